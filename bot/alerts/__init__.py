"""Alerts stage: render incidents in Arabic and English and deliver the outbox to Telegram or the terminal."""
