"""Chat basics and accounts: /start, /help, /cancel, /whoami, /lang, /bind and /invite."""
