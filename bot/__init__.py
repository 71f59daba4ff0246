"""Rasad: the service (config, storage, feeds, pipeline, delivery, Telegram)."""

__version__ = "0.1.0"
