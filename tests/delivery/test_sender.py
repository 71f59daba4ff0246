"""The outbox sender against the Bot API stand-in over loopback, with a real SQLite file and a real PTB Bot."""

from __future__ import annotations

import re

from bot.models import OutboxState
from tests.delivery.conftest import World, drain
from tests.support.telegram_standin import BotApiStandin, ChatType

ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_alert_goes_out_in_each_chats_language_as_valid_html_without_preview(
    world: World, standin: BotApiStandin
) -> None:
    inc = world.incident()
    chats = {101: "ar", 102: "en", 103: "both", -1000200: "both"}
    for chat_id, lang in chats.items():
        kind: ChatType = "supergroup" if chat_id < 0 else "private"
        standin.register_chat(chat_id, kind)
        world.chat(chat_id, type=kind, language=lang)
        world.alert(inc, chat_id)

    assert drain(world, standin) == 4

    for chat_id, lang in chats.items():
        [msg] = standin.sent(chat_id)
        assert msg.parse_mode is not None and msg.parse_mode.lower() == "html"
        assert msg.link_preview_disabled
        assert f"#{inc}" in msg.text
        assert "https://www.rudaw.net/a/1" in msg.links
        assert any("openstreetmap.org" in url for url in msg.links)
        assert "Rudaw <b>&amp;" in msg.text  # feed text shown literally: it was escaped, not interpreted
        has_ar, has_en = bool(ARABIC.search(msg.text)), "Rasad #" in msg.text
        assert (has_ar, has_en) == {"ar": (True, False), "en": (False, True), "both": (True, True)}[lang]
    for row in world.rows():
        assert row.state == OutboxState.SENT.value and row.attempts == 1 and row.last_error is None
        assert row.telegram_message_id == standin.sent(row.chat_id)[0].message_id
        assert row.sent_at is not None
