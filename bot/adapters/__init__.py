"""Chat platforms around the core: Telegram, Discord and the console. Each turns its platform's
events into core calls and the core's replies into its own messages; none imports another."""
