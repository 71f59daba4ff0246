"""The chat writes under real concurrency: threads hitting one database at once, as handlers of different
chats (or a channel configured from two private chats) do. Per-chat ordering of updates is not relied on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import Chat as TgChat
from telegram import Message, Update, User

from bot.database import in_transaction, make_engine, upgrade
from bot.models import Chat, Subscription
from bot.telegram import queries
from bot.telegram.queries import ChatState, SubscribeOutcome
from bot.telegram.update_order import order_key

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def at_once(engine: Engine, works: list[Callable[[Session], Any]]) -> list[Any]:
    """Run each work in its own thread and transaction, released together; returns results or exceptions."""
    barrier = threading.Barrier(len(works))
    out: list[Any] = [None] * len(works)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = in_transaction(engine, works[i])
        except Exception as exc:  # collected: the test asserts there are none
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def _ensure(chat_id: int) -> Callable[[Session], ChatState]:
    return lambda s: queries.ensure_chat(
        s, chat_id=chat_id, type="private", title=None, username=None, language="en", now=NOW
    )


def test_the_same_new_chat_created_and_subscribed_by_eight_threads(engine: Engine) -> None:
    def arrive_and_subscribe(s: Session) -> SubscribeOutcome:
        _ensure(4242)(s)
        return queries.subscribe(s, 4242, NOW)

    results = at_once(engine, [arrive_and_subscribe] * 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.value for r in results) == ["already"] * 7 + ["new"]
    with Session(engine) as s:
        assert len(s.exec(select(Chat)).all()) == 1
        assert s.exec(select(Subscription)).one().active


def test_a_changed_title_is_kept_and_the_first_language_guess_is_not_overwritten(engine: Engine) -> None:
    in_transaction(engine, _ensure(77))
    state = in_transaction(
        engine,
        lambda s: queries.ensure_chat(s, chat_id=77, type="private", title="x", username="u", language="ar", now=NOW),
    )
    assert state.language == "en" and state.title == "x"


@pytest.mark.parametrize("slow", [0.0, 0.05])
def test_concurrent_settings_changes_of_one_chat_are_all_kept(engine: Engine, slow: float) -> None:
    in_transaction(engine, _ensure(31))

    def change(edit: Callable[[ChatState], ChatState]) -> Callable[[Session], Any]:
        def pure(state: ChatState) -> ChatState:
            time.sleep(slow)  # a slow press: another one arrives between its read and its write
            return edit(state)

        return lambda s: queries.change_choices(s, 31, pure, NOW)

    edits: list[Callable[[ChatState], ChatState]] = [
        lambda st: replace(st, include_convoy=not st.include_convoy),
        lambda st: replace(st, include_diplomatic=not st.include_diplomatic),
        lambda st: replace(st, send_updates=not st.send_updates),
        lambda st: replace(st, language="ar"),
    ]
    results = at_once(engine, [change(e) for e in edits])
    assert not [r for r in results if isinstance(r, Exception)], results
    with Session(engine) as s:
        sub = s.exec(select(Subscription)).one()
        chat = s.get(Chat, 31)
        assert (sub.include_convoy, sub.include_diplomatic, sub.send_updates) == (False, False, False)
        assert chat is not None and chat.language == "ar"
        assert sub.active is False  # changing settings does not subscribe


def test_a_change_for_an_unknown_chat_is_none_and_a_problem_code_writes_nothing(engine: Engine) -> None:
    assert in_transaction(engine, lambda s: queries.change_choices(s, 999, lambda st: st, NOW)) is None
    in_transaction(engine, _ensure(32))
    assert in_transaction(engine, lambda s: queries.change_choices(s, 32, lambda st: "last_country", NOW)) == (
        "last_country"
    )


def _update(chat: TgChat | None, user: User | None) -> Update:
    msg = Message(1, NOW, chat, from_user=user) if chat is not None else None
    return Update(1, message=msg)


@pytest.mark.parametrize(
    ("update", "key"),
    [
        (_update(TgChat(5, "private"), User(5, "a", False)), 5),
        (_update(TgChat(-100, "group"), User(6, "b", False)), -100),
        (Update(2), None),
        ("not an update", None),
    ],
)
def test_updates_are_ordered_by_their_chat(update: object, key: int | None) -> None:
    assert order_key(update) == key


def test_the_issue_17_choices_are_stored_and_read_back_and_a_topic_is_kept_and_dropped(engine: Engine) -> None:
    from bot.alerts.outbox import drop_topic

    in_transaction(engine, _ensure(901))
    assert in_transaction(engine, lambda s: queries.subscribe(s, 901, NOW, thread_id=77)) is SubscribeOutcome.NEW
    chosen = {
        "bases": ("IQ-ASAD", "JO-T22"), "provinces": ("Anbar",), "weapons": ("drone",), "casualties_only": True,
        "keywords_in": ("مسيرة",), "keywords_out": ("exercise",), "quiet_from": 22, "quiet_to": 7,
        "silent_updates": True,
    }
    saved = in_transaction(engine, lambda s: queries.change_choices(s, 901, lambda st: replace(st, **chosen), NOW))
    assert isinstance(saved, ChatState)
    again = in_transaction(engine, lambda s: queries.chat_state(s, 901))
    assert again is not None and again == saved
    assert {k: getattr(again, k) for k in chosen} == chosen and again.thread_id == 77
    in_transaction(engine, lambda s: queries.subscribe(s, 901, NOW, thread_id=78))  # sent again in another topic
    assert in_transaction(engine, lambda s: queries.chat_state(s, 901)).thread_id == 78  # type: ignore[union-attr]
    assert in_transaction(engine, lambda s: drop_topic(s, 901, thread_id=78, now=NOW)) is True
    assert in_transaction(engine, lambda s: drop_topic(s, 901, thread_id=78, now=NOW)) is False  # once
    assert in_transaction(engine, lambda s: queries.chat_state(s, 901)).thread_id is None  # type: ignore[union-attr]
