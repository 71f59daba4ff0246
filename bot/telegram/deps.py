"""What every handler needs from the service (database, settings, clock), kept in bot_data.

Handlers get a `RasadContext` (registered through ContextTypes), whose `deps` is typed.

Handlers run on the event loop; database work is synchronous SQLModel, so it runs in a thread with
its own session and transaction (`Deps.db`), and a slow query never stalls other chats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import Application, BaseHandler, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.clock import utc_now
from bot.config import SettingsSource
from bot.database import run_db

T = TypeVar("T")
KEY = "rasad"


@dataclass(frozen=True)
class Deps:
    """The service's parts a handler may use."""

    engine: Engine
    settings: SettingsSource
    """The configuration in force (the service's live settings)."""
    clock: Callable[[], datetime] = utc_now
    reply_hooks: list[Callable[[int, str | None], None]] = field(default_factory=list)
    """Told of every reply sent (chat id, chat type): the outbox sender counts them in its pacing."""

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in its own session off the event loop and commit it."""
        return await run_db(self.engine, work)


def deps_of(bot_data: dict[Any, Any]) -> Deps:
    """The Deps that build_application stored in the application's bot_data."""
    deps = bot_data.get(KEY)
    if not isinstance(deps, Deps):
        raise RuntimeError("bot_data has no Rasad Deps; build the application with build_application")
    return deps


class RasadContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context of every Rasad handler and job: `context.deps` instead of a lookup in bot_data."""

    @property
    def deps(self) -> Deps:
        return deps_of(self.bot_data)


CONTEXT_TYPES: Final = ContextTypes(context=RasadContext)
"""Given to ApplicationBuilder.context_types, so PTB builds a RasadContext for each update and job."""

RasadHandler = BaseHandler[Update, RasadContext, None]
"""Every handler Rasad registers (user commands, settings, exports, guidance, operator commands)."""
Data = dict[Any, Any]
RasadApp = Application[ExtBot[None], RasadContext, Data, Data, Data, JobQueue[RasadContext]]
"""The application build_application makes: its handlers and jobs get a RasadContext."""
