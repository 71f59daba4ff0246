"""Telegram stage: the bot (application, user and admin commands) and the start of the outbox sender."""
