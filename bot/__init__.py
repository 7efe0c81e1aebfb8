"""The learning core and the chat adapters (Telegram, Discord, console); see DESIGN.md."""
