"""Logging set-up: one format, noisy libraries quietened, and the bot token never printed.

httpx logs every request URL at INFO, and Telegram URLs contain the token, so httpx and httpcore
stay at WARNING; a filter also masks the token anywhere it would still appear (defence in depth).
"""

from __future__ import annotations

import logging
import sys

from bot.config import bot_token

QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "telegram.ext.Updater": logging.INFO,
    "alembic": logging.WARNING,
}
MASK = "[token]"


class RedactToken(logging.Filter):
    """Replace the bot token (and its secret half) in a record's final message."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.secrets = [s for s in _secrets(token) if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, MASK)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, MASK)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _secrets(token: str | None) -> list[str]:
    if not token:
        return []
    parts = [token]
    if ":" in token:
        parts.append(token.split(":", 1)[1])
    return parts


def setup_logging(level: str = "INFO", stream: object = None) -> None:
    """Configure the root logger once for the `rasad` command."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(RedactToken(bot_token()))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name, lvl in QUIET.items():
        logging.getLogger(name).setLevel(max(lvl, root.level))
