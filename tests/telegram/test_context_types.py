"""Every handler and job of the application gets a RasadContext, registered once through ContextTypes.

A handler typed with PTB's default context (or an application built without CONTEXT_TYPES) fails here.
"""

from __future__ import annotations

import typing
from pathlib import Path

from bot.config import Settings
from bot.database import make_engine
from bot.ops.operators import ConfigWatcher
from bot.telegram.admin import AdminContext, admin_handlers
from bot.telegram.app import ADMIN_GROUP, build_application
from bot.telegram.deps import RasadContext


async def _nothing(_: object) -> None:
    return None


def test_every_handler_and_the_job_queue_are_typed_with_rasad_context(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'rasad.db'}")
    settings = Settings()
    watcher = ConfigWatcher(None, settings, apply=_nothing, notify_admins=_nothing)
    admin = admin_handlers(AdminContext(engine=engine, watcher=watcher))
    try:
        app = build_application(settings, engine, "123:abc", extra_handlers={ADMIN_GROUP: admin})
        assert app.context_types.context is RasadContext
        assert app.job_queue is not None
        callbacks = [h.callback for group in app.handlers.values() for h in group]
        assert len(callbacks) > 15 and all(h.callback in callbacks for h in admin)
        untyped = [
            getattr(cb, "__qualname__", repr(cb))
            for cb in callbacks
            if typing.get_type_hints(cb).get("context") is not RasadContext
        ]
        assert untyped == []
    finally:
        engine.dispose()
