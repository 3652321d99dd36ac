"""Plans and draws from chat: /newplan, /plans, /draw, /verify and /void, and their rendering."""
