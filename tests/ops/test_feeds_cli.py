"""`rasad feeds list|add|remove|pause|resume` through bot.cli.main, on a real file and SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.cli import main
from bot.config import load_settings
from bot.models import Feed
from tests.ops.conftest import write_config
from tests.support.feed_server import FeedServer


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str, feed_server: FeedServer) -> Path:
    return write_config(
        tmp_path / "rasad.toml", db=sqlite_url, alpha=feed_server.url("/alpha.xml"), beta=feed_server.url("/beta.xml")
    )


def rasad(config: Path, *args: str) -> int:
    return main(["feeds", "--config", str(config), *args])


def test_add_checks_the_feed_and_writes_the_file(
    config: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gamma = feed_server.add("/gamma.xml", feed_server.routes["/alpha.xml"])
    assert rasad(config, "add", gamma, "--lang", "en") == 0  # loopback is fine from the CLI
    out = capsys.readouterr().out
    assert "checked: رصد أتوم تجريبي, 2 item(s)" in out and "added feed 'رصد أتوم تجريبي' (en)" in out
    assert [f.name for f in load_settings(config).feeds] == ["Alpha", "Beta", "رصد أتوم تجريبي"]

    assert rasad(config, "add", feed_server.url("/page.html"), "Page") == 1
    assert "was not added: not a feed: got an HTML page" in capsys.readouterr().err
    assert rasad(config, "add", "https://unchecked.example/feed", "Unchecked", "--no-check") == 0
    assert load_settings(config).feeds[-1].name == "Unchecked"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "https://x.example/feed", "alpha", "--no-check"], "a feed named 'Alpha' already exists"),
        (["add", "ftp://x.example/feed", "X", "--no-check"], "feeds[2].url: must be an http, https or file URL"),
        (["add", "ftp://x.example/feed", "X"], "only http and https URLs are allowed"),
        (["remove", "Nope"], "no feed named 'Nope'"),
        (["pause", "Nope"], "no feed named 'Nope'"),
        (["resume", "Nope"], "no feed named 'Nope'"),
    ],
)
def test_bad_input_exits_2_and_leaves_the_file(
    config: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = config.read_bytes()
    code = rasad(config, *args)
    err = capsys.readouterr().err
    assert message in err
    assert code == (1 if args == ["add", "ftp://x.example/feed", "X"] else 2)
    assert config.read_bytes() == before


def test_no_config_file_to_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASAD_CONFIG", raising=False)
    assert main(["feeds", "pause", "Rasad sample"]) == 2
    assert "no config file to edit: pass --config FILE" in capsys.readouterr().err
    assert main(["feeds", "--config", str(tmp_path / "missing.toml"), "pause", "X"]) == 2
    assert "no config file at" in capsys.readouterr().err


def test_list_pause_resume_remove(
    config: Path, engine: Engine, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["poll", "--once", "--config", str(config)]) == 0
    capsys.readouterr()
    with Session(engine) as s:  # Beta disabled for failures
        beta = s.exec(select(Feed).where(Feed.name == "Beta")).one()
        beta.disabled_reason, beta.consecutive_errors, beta.last_error = (
            "2 consecutive failures; last: HTTP 500",
            2,
            "HTTP 500",
        )
        s.add(beta)
        s.commit()

    assert rasad(config, "pause", "alpha") == 0
    assert "paused feed 'Alpha'" in capsys.readouterr().out
    assert rasad(config, "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{config}: 2 feed(s)"
    assert out[1].split() == [
        "NAME",
        "STATE",
        "LAST",
        "SUCCESS",
        "NEXT",
        "CHECK",
        "ERRORS",
        "ART",
        "7D",
        "INC",
        "7D",
        "LAST",
        "ERROR",
    ]
    alpha, beta_line = out[2], out[3]
    assert alpha.split()[:2] == ["Alpha", "paused"] and alpha.split()[-4:] == ["0", "2", "1", "-"]
    assert beta_line.split()[:2] == ["Beta", "disabled"] and beta_line.endswith(
        "2 consecutive failures; last: HTTP 500"
    )

    assert rasad(config, "resume", "Beta") == 0
    assert "resumed feed 'Beta': failure count cleared" in capsys.readouterr().out
    with Session(engine) as s:
        beta = s.exec(select(Feed).where(Feed.name == "Beta")).one()
        assert (beta.disabled_reason, beta.consecutive_errors, beta.next_check_at) == (None, 0, None)
    assert rasad(config, "resume", "Alpha") == 0
    assert "re-enabled in the file" in capsys.readouterr().out
    assert rasad(config, "remove", "Beta") == 0
    assert "its articles and incidents stay stored" in capsys.readouterr().out
    assert rasad(config, "list") == 0
    listing = capsys.readouterr().out
    assert "Beta" in listing and "removed" in listing
    assert [f.name for f in load_settings(config).feeds] == ["Alpha"]


def test_list_without_a_database_creates_none(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "never.db"
    config = write_config(
        tmp_path / "rasad.toml",
        db=f"sqlite:///{db}",
        alpha=feed_server.url("/alpha.xml"),
        beta=feed_server.url("/beta.xml"),
    )
    assert rasad(config, "list") == 0
    out = capsys.readouterr().out
    assert "no database yet" in out and "Alpha" in out
    assert not db.exists()


def test_add_a_claimant_channel(config: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.channel_pages import Post, preview_page
    from tests.support.feed_server import Route

    with config.open("a", encoding="utf-8") as f:
        f.write(f'\n[channels]\npreview_base_url = "{feed_server.url("/s/")}"\n')
    feed_server.add(
        "/s/group_chan", Route(body=preview_page("group_chan", [Post(1, "بيان")]), content_type="text/html")
    )
    assert rasad(config, "add", "https://t.me/s/group_chan", "Group", "--role", "claimant") == 0
    out = capsys.readouterr().out
    assert "checked: group_chan, 1 item(s)" in out and "added Telegram channel 'Group' (ar, role claimant)" in out
    feed = load_settings(config).feeds[-1]
    assert (feed.url, feed.role) == ("tg:group_chan", "claimant")
    assert rasad(config, "list") == 0
    assert "Group [channel, claimant]" in capsys.readouterr().out


NOW_UTC = __import__("datetime").datetime(2024, 5, 3, 12, 0, tzinfo=__import__("datetime").UTC)


@pytest.mark.parametrize(
    ("published", "backlog", "max_age_days", "says"),
    [
        (None, True, 2, "not checked, so its existing items are unknown"),
        ((), True, 2, "it has no items yet: the first ones to appear may alert"),
        ((10, 20, 30), True, 2, "its 3 existing item(s) are older than max_age 2d (or undated) and will not alert"),
        ((0.5, None, 30), True, 2, "of its 3 existing item(s), 1 are newer than max_age 2d and may alert, "
                                   "2 are older (or undated) and will not"),
        ((0.5, 1), False, 2, "--backlog skip: none of its 2 existing item(s) will alert, only items that appear later"),
        ((0.5, 100), True, None, "max_age is 0 (off): its 2 dated item(s) may alert, whatever their age"),
    ],
)
def test_backlog_note_says_what_a_new_feed_will_do(
    published: tuple[float | None, ...] | None, backlog: bool, max_age_days: int | None, says: str
) -> None:
    from datetime import timedelta

    from bot.commands.feeds import backlog_note

    dates = None if published is None else tuple(
        None if d is None else NOW_UTC - timedelta(days=d) for d in published
    )
    max_age = None if max_age_days is None else timedelta(days=max_age_days)
    note = backlog_note(dates, now=NOW_UTC, max_age=max_age, backlog=backlog, tick=timedelta(seconds=15))
    assert note == f"polled within 15s once a running Rasad has read the file; {says}"


def test_add_with_name_lang_backlog_and_a_relative_file_path(
    config: Path, tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    import urllib.request

    body = urllib.request.urlopen(feed_server.url("/alpha.xml")).read()
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "feed.xml").write_bytes(body)
    assert rasad(config, "add", "file:local/feed.xml", "--name", "Local", "--lang", "en", "--backlog", "skip") == 0
    out = capsys.readouterr().out
    assert "added feed 'Local' (en)" in out
    assert "--backlog skip: none of its 2 existing item(s) will alert, only items that appear later" in out
    feed = load_settings(config).feeds[-1]
    assert (feed.name, feed.lang, feed.backlog) == ("Local", "en", False)
    assert 'backlog = false' in config.read_text(encoding="utf-8")
    assert rasad(config, "add", feed_server.url("/beta.xml") + "?again", "--name", "Again") == 0
    out = capsys.readouterr().out
    assert "It will be polled within " in out and "older than max_age" in out
    assert load_settings(config).feeds[-1].backlog is True
