"""Operator commands through the real PTB Application and the Bot API stand-in.

Admin-only for every command (a stranger is told and nothing changes), /addfeed's checks (not a feed,
private address), and edits that land in the file and in the running poller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram.ext import ApplicationBuilder

from bot.clock import utc_now
from bot.config import Settings, load_settings
from bot.feeds.fetcher import FetchLimits, make_client
from bot.incidents.poller import Poller
from bot.models import Feed
from bot.ops.operators import ConfigWatcher
from bot.telegram.admin import NOT_ALLOWED, AdminContext, admin_handlers, make_admin_notifier, parse_addfeed_args
from tests.ops.conftest import write_config
from tests.support.feed_server import FeedServer
from tests.support.telegram_standin import BotApiStandin

ADMIN = 1001
STRANGER = 2002
HANG_GUARD = 20.0


@pytest.fixture
def standin() -> Iterator[BotApiStandin]:
    with BotApiStandin() as server:
        yield server
        assert not server.internal_errors, "\n".join(server.internal_errors)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["https://a.example/feed"], ("https://a.example/feed", None, None)),
        (["https://a.example/feed", "en"], ("https://a.example/feed", None, "en")),  # a lone language is a language
        (["https://a.example/feed", "Enab", "Baladi", "AR"], ("https://a.example/feed", "Enab Baladi", "ar")),
        (["https://a.example/feed", "Enab", "Baladi"], ("https://a.example/feed", "Enab Baladi", None)),
    ],
)
def test_parse_addfeed_args(args: list[str], expected: tuple[str, str | None, str | None]) -> None:
    assert parse_addfeed_args(args) == expected


def test_parse_addfeed_args_needs_a_url() -> None:
    with pytest.raises(ValueError, match="usage: /addfeed URL"):
        parse_addfeed_args([])


Say = Callable[..., Awaitable[str]]
"""say(user, text, language_code="en") → the bot's reply."""


def _drive(
    standin: BotApiStandin,
    engine: Engine,
    config: Path,
    script: Callable[[Say, Poller, ConfigWatcher], Awaitable[None]],
) -> None:
    """Run the admin handlers in a real Application; `say(user, text)` sends and returns the bot's reply."""

    async def main() -> None:
        settings = load_settings(config)
        async with make_client(FetchLimits(timeout=5)) as client:
            poller = Poller(engine, settings, client, clock=utc_now)
            await poller.sync_feeds()

            async def apply(new: Settings) -> None:
                poller.settings = new
                await poller.sync_feeds()

            app = ApplicationBuilder().token(standin.token).base_url(standin.base_url).build()
            watcher = ConfigWatcher(
                config, settings, apply=apply, notify_admins=make_admin_notifier(app.bot, lambda: watcher.settings)
            )
            app.add_handlers(admin_handlers(AdminContext(engine=engine, watcher=watcher)))
            async with app:
                await app.start()
                assert app.updater is not None
                await app.updater.start_polling(poll_interval=0, timeout=1)

                async def say(user: int, text: str, language_code: str = "en") -> str:
                    seen = len(standin.sent(user))
                    standin.user_sends(user, user, text, language_code)
                    replies = await standin.async_wait_for(lambda: standin.sent(user)[seen:], HANG_GUARD)
                    await standin.async_wait_for(lambda: standin.pending_updates == 0 or None, HANG_GUARD)
                    return "\n".join(m.text for m in standin.sent(user)[seen:]) if replies else ""

                try:
                    await script(say, poller, watcher)
                finally:
                    await app.updater.stop()
                    await app.stop()

    asyncio.run(main())


def _rows(engine: Engine) -> dict[str, Feed]:
    with Session(engine) as s:
        return {f.name: f for f in s.exec(select(Feed)).all()}


COMMANDS = [
    "/feeds",
    "/addfeed {alpha2} Sneaky",
    "/removefeed Alpha",
    "/pausefeed Alpha",
    "/resumefeed Beta",
    "/reload",
]


def test_every_operator_command_is_admin_only(
    tmp_path: Path, engine: Engine, sqlite_url: str, standin: BotApiStandin, feed_server: FeedServer
) -> None:
    config = write_config(
        tmp_path / "rasad.toml",
        db=sqlite_url,
        alpha=feed_server.url("/alpha.xml"),
        beta=feed_server.url("/beta.xml"),
        admins=(ADMIN,),
    )

    async def script(say: Say, poller: Poller, watcher: ConfigWatcher) -> None:
        with Session(engine) as s:  # Beta disabled for failures: a stranger's /resumefeed must not clear it
            beta = s.exec(select(Feed).where(Feed.name == "Beta")).one()
            beta.disabled_reason, beta.consecutive_errors = "2 consecutive failures; last: HTTP 500", 2
            s.add(beta)
            s.commit()
        before_file = config.read_bytes()
        before_settings = watcher.settings
        for command in COMMANDS:
            reply = await say(STRANGER, command.format(alpha2=feed_server.url("/beta.xml") + "?x"))
            assert reply == NOT_ALLOWED, command
        assert config.read_bytes() == before_file
        assert watcher.settings is before_settings and watcher.reloads == 0
        assert _rows(engine)["Beta"].disabled_reason is not None
        assert feed_server.requests_for("/beta.xml?x") == [], "a stranger's /addfeed fetches nothing"
        # The same commands from the admin do their work.
        assert "Feeds: 2" in await say(ADMIN, "/feeds")
        assert "Resumed feed 'Beta'" in await say(ADMIN, "/resumefeed beta")
        assert _rows(engine)["Beta"].disabled_reason is None and _rows(engine)["Beta"].consecutive_errors == 0

    _drive(standin, engine, config, script)


def test_admin_edits_reach_the_file_and_the_poller(
    tmp_path: Path, engine: Engine, sqlite_url: str, standin: BotApiStandin, feed_server: FeedServer
) -> None:
    config = write_config(
        tmp_path / "rasad.toml",
        db=sqlite_url,
        alpha=feed_server.url("/alpha.xml"),
        beta=feed_server.url("/beta.xml"),
        admins=(ADMIN,),
    )
    gamma = feed_server.add("/gamma.xml", feed_server.routes["/alpha.xml"])

    async def script(say: Say, poller: Poller, watcher: ConfigWatcher) -> None:
        reply = await say(ADMIN, f"/addfeed {feed_server.url('/page.html')} Page")
        assert reply == "Not added: not a feed: got an HTML page"
        assert "Page" not in config.read_text(encoding="utf-8")

        reply = await say(ADMIN, f"/addfeed {gamma} Gamma Feed en")
        assert reply.startswith("Added feed 'Gamma Feed' (en)") and "2 item(s)" in reply
        text = config.read_text(encoding="utf-8")
        assert f'[[feeds]]\nname = "Gamma Feed"\nurl = "{gamma}"\nlang = "en"\nenabled = true\n' in text
        assert "# The feeds we watch." in text and "# the first feed" in text
        assert [f.name for f in poller.settings.feeds] == ["Alpha", "Beta", "Gamma Feed"]
        assert _rows(engine)["Gamma Feed"].in_config

        assert "already exists" in await say(ADMIN, f"/addfeed {gamma}?v=2 gamma feed")
        assert (await say(ADMIN, "/pausefeed alpha")).startswith("Paused feed 'Alpha'")
        assert not _rows(engine)["Alpha"].enabled and "enabled = false" in config.read_text(encoding="utf-8")
        assert "already paused" in await say(ADMIN, "/pausefeed Alpha")
        assert (await say(ADMIN, "/resumefeed Alpha")).startswith("Resumed feed 'Alpha'")
        assert _rows(engine)["Alpha"].enabled

        reply = await say(ADMIN, "/removefeed Beta")
        assert reply == "Remove feed 'Beta'? It will no longer be polled; its articles and incidents stay stored."
        assert 'name = "Beta"' in config.read_text(encoding="utf-8")  # nothing happens before the answer

        async def press(label: str) -> str:
            ask = next(m for m in reversed(standin.sent(ADMIN)) if m.buttons)
            data = {b["text"]: b["callback_data"] for b in ask.buttons}
            seen, answers = len(standin.sent(ADMIN)), len(standin.callback_answers())
            standin.user_presses(ADMIN, ADMIN, ask.message_id, data[label])
            await standin.async_wait_for(lambda: standin.callback_answers()[answers:], HANG_GUARD)
            await standin.async_wait_for(lambda: standin.sent(ADMIN)[seen:], HANG_GUARD)
            return standin.sent(ADMIN)[-1].text

        assert await press("Cancel / إلغاء") == "Kept feed 'Beta'."
        assert 'name = "Beta"' in config.read_text(encoding="utf-8")
        await say(ADMIN, "/removefeed beta")
        assert await press("Remove / حذف") == "Removed feed 'Beta'. Its articles and incidents stay stored."
        assert not _rows(engine)["Beta"].in_config and 'name = "Beta"' not in config.read_text(encoding="utf-8")
        assert "no feed named 'Nope'" in await say(ADMIN, "/removefeed Nope")

        listing = await say(ADMIN, "/feeds")
        assert "• Alpha: new" in listing and "• Gamma Feed: new" in listing and "• Beta: removed" in listing

        good = config.read_text(encoding="utf-8")
        config.write_text(good.replace('tick = "1s"', 'tick = "-5s"'), encoding="utf-8")
        reply = await say(ADMIN, "/reload")
        assert reply.startswith("Config NOT applied") and "polling.tick:" in reply
        seen = len(standin.sent(ADMIN))
        await watcher.reload("file saved")  # what the file watcher does: the admins are told in private
        notice = standin.sent(ADMIN)[seen:]
        assert (
            len(notice) == 1 and notice[0].text.startswith("Config NOT applied") and "polling.tick:" in notice[0].text
        )
        config.write_text(good.replace('interval = "5m"', 'interval = "10m"'), encoding="utf-8")
        reply = await say(ADMIN, "/reload")
        assert reply.startswith("Config applied") and "polling: interval changed" in reply

    _drive(standin, engine, config, script)


def test_addfeed_refuses_private_addresses_from_a_chat(
    tmp_path: Path, engine: Engine, sqlite_url: str, standin: BotApiStandin, feed_server: FeedServer
) -> None:
    config = write_config(
        tmp_path / "rasad.toml",
        db=sqlite_url,
        alpha="https://alpha.example/feed",
        beta="https://beta.example/rss",
        admins=(ADMIN,),
        private=False,
    )

    async def script(say: Say, poller: Poller, watcher: ConfigWatcher) -> None:
        before = config.read_bytes()
        reply = await say(ADMIN, f"/addfeed {feed_server.url('/alpha.xml')} Local")
        assert reply.startswith("Not added: refused: 127.0.0.1 is a loopback address")
        reply = await say(ADMIN, "/addfeed file:///etc/passwd")
        assert reply.startswith("Not added: only http and https URLs are allowed")
        assert config.read_bytes() == before
        assert feed_server.requests_for("/alpha.xml") == []

    _drive(standin, engine, config, script)


def test_addfeed_takes_a_telegram_channel_and_feeds_shows_its_kind(
    tmp_path: Path, engine: Engine, sqlite_url: str, standin: BotApiStandin, feed_server: FeedServer
) -> None:
    from tests.support.channel_pages import Post, missing_channel_page, preview_page
    from tests.support.feed_server import Route

    config = write_config(
        tmp_path / "rasad.toml",
        db=sqlite_url,
        alpha=feed_server.url("/alpha.xml"),
        beta=feed_server.url("/beta.xml"),
        admins=(ADMIN,),
    )
    with config.open("a", encoding="utf-8") as f:
        f.write(f'\n[channels]\npreview_base_url = "{feed_server.url("/s/")}"\n')
    feed_server.add("/s/news_chan", Route(body=preview_page("news_chan", [Post(1, "خبر")]), content_type="text/html"))
    feed_server.add("/s/gone_chan", Route(body=missing_channel_page("gone_chan"), content_type="text/html"))

    async def script(say: Say, poller: Poller, watcher: ConfigWatcher) -> None:
        reply = await say(ADMIN, "/addfeed https://t.me/gone_chan Gone")
        assert reply.startswith("Not added") and "private, missing or renamed" in reply
        reply = await say(ADMIN, "/addfeed https://t.me/news_chan News channel")
        assert reply.startswith("Added feed 'News channel' (ar)") and "1 item(s)" in reply
        assert [f.url for f in poller.settings.feeds][-1] == "tg:news_chan"
        listing = await say(ADMIN, "/feeds")
        assert "• News channel: new\n  Telegram channel · role news" in listing

    _drive(standin, engine, config, script)


def test_operator_replies_speak_the_operators_language(
    tmp_path: Path, engine: Engine, sqlite_url: str, standin: BotApiStandin, feed_server: FeedServer
) -> None:
    config = write_config(
        tmp_path / "rasad.toml", db=sqlite_url, alpha=feed_server.url("/alpha.xml"),
        beta=feed_server.url("/beta.xml"), admins=(ADMIN,),
    )

    async def script(say: Say, poller: Poller, watcher: ConfigWatcher) -> None:
        assert await say(ADMIN, "/pausefeed", "ar") == "الاستعمال: \u200e/pausefeed اسم_المصدر"
        paused = await say(ADMIN, "/pausefeed alpha", "ar")
        assert paused.startswith("أُوقف المصدر «Alpha» مؤقتاً.")
        assert await say(ADMIN, "/pausefeed Alpha", "ar") == "المصدر «Alpha» متوقف بالفعل."
        assert await say(ADMIN, "/pausefeed Alpha", "en") == "Feed 'Alpha' is already paused."
        assert (await say(ADMIN, "/removefeed Beta", "ar")).startswith("أتريد حذف المصدر «Beta»؟")
        missing = await say(ADMIN, "/addfeed " + feed_server.url("/page.html"), "ar")
        assert missing.startswith("لم يُضَف المصدر: ")
        listing = (await say(ADMIN, "/feeds", "ar")).splitlines()
        assert listing[0] == "المصادر: 2 (جديد 1، متوقف 1)"
        assert "• Alpha: متوقف" in listing and "• Beta: جديد" in listing
        assert "  آخر 7 أيام: المقالات 0، الهجمات 0" in listing
        assert "  آخر نجاح لم يحدث بعد · الفحص التالي مستحق · الأخطاء 0" in listing
        assert (await say(ADMIN, "/feeds", "en")).startswith("Feeds: 2 (new 1, paused 1)")
        reloaded = await say(ADMIN, "/reload", "ar")
        assert reloaded.startswith("أُعيدت قراءة الإعدادات (") and reloaded.endswith("): لا تغييرات.")

    _drive(standin, engine, config, script)
