"""python-telegram-bot wiring: the application, command handlers and the outbox sender."""
