"""Chat basics and accounts: /start, /help, /cancel, /whoami, /lang, /bind, /invite, /people."""
