"""Configuration: durations, defaults, the example file, and every problem reported by key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import SAMPLE_FEED, ConfigError, Settings, load_settings, parse_settings
from bot.durations import format_duration, parse_duration

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),  # seconds
        ("5m", 300),  # minutes
        ("2h", 7200),  # hours
        ("1d", 86400),  # days
        ("1h30m", 5400),  # combined units
        ("0", 0),  # "0" switches a check off
        ("2s", 2),  # the shortest interval scripts use
        (" 10 m ", 600),  # spaces tolerated
        ("45", 45),  # bare number = seconds
        (30, 30),  # TOML integer = seconds
        ("500ms", 0.5),  # sub-second (timeouts in tests)
    ],
)
def test_parse_duration(text: object, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["soon", "5 minutes", "-5m", "m5", "", "1x", True, None, [1]])
def test_parse_duration_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_duration_round_trips() -> None:
    for text in ("90s", "5m", "2h", "1d", "1h30m", "0"):
        assert format_duration(parse_duration(text)) == format_duration(
            parse_duration(format_duration(parse_duration(text)))
        )
    assert format_duration(timedelta(minutes=90)) == "1h30m"


def test_embedded_defaults_use_sqlite_and_no_feeds_the_sample_only_without_any_file() -> None:
    s = Settings()
    assert s.database.url == "sqlite:///rasad.db"
    assert s.feeds == ()
    assert s.telegram.api_base_url is None
    demo = load_settings(None)  # no config file at all: the first-run demo
    assert [f.url for f in demo.feeds] == [SAMPLE_FEED.as_uri()]
    assert SAMPLE_FEED.is_file()


@pytest.mark.parametrize("text", ["", "feeds = []\n", '[polling]\ninterval = "5m"\n'])
def test_a_config_file_without_feeds_is_valid_and_has_no_feeds(tmp_path: Path, text: str) -> None:
    path = tmp_path / "quiet.toml"
    path.write_text(text, encoding="utf-8")
    assert load_settings(path).feeds == ()


def test_example_file_is_valid_and_matches_the_demo_defaults() -> None:
    example = load_settings(REPO / "config.example.toml")
    demo = load_settings(None)
    assert example.model_dump(exclude={"feeds"}) == demo.model_dump(exclude={"feeds"})
    assert [(f.name, f.url, f.max_age) for f in example.feeds] == [(f.name, f.url, f.max_age) for f in demo.feeds]


def test_every_key_of_the_example_is_documented_by_a_comment() -> None:
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    for section, model in Settings.model_fields.items():
        assert section in text, section
        sub = model.annotation
        fields = getattr(sub, "model_fields", None) or {}
        for key in fields:
            if key == "token":
                continue
            assert f"{key} =" in text or f"{key} " in text, f"{section}.{key} missing from config.example.toml"


def test_all_problems_are_reported_at_once_with_their_keys() -> None:
    data = {
        "telegram": {"api_base_url": "ftp://x", "admins": ["me"]},
        "database": {"url": "mysql://x"},
        "polling": {"interval": "soon", "max_age": "0", "concurrency": 0, "bogus": 1},
        "feeds": [{"name": "ok", "url": "https://a.example/rss"}, {"name": "bad", "url": "gopher://x", "lang": "fr"}],
    }
    with pytest.raises(ConfigError) as info:
        parse_settings(data, source="test.toml")
    problems = info.value.problems
    assert 'polling.interval: "soon" is not a duration (write e.g. 90s, 5m, 2h, 1d)' in problems
    assert "feeds[1].url: must be an http, https or file URL" in problems
    assert "polling.bogus: unknown key" in problems
    keys = {p.split(":", 1)[0] for p in problems}
    assert {
        "telegram.api_base_url",
        "telegram.admins[0]",
        "database.url",
        "polling.concurrency",
        "feeds[1].lang",
    } <= keys
    assert "Traceback" not in info.value.report()


def test_token_in_file_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings({"telegram": {"token": "123456:SECRET-TOKEN-VALUE"}}, source="t.toml")
    assert info.value.problems[0].startswith("telegram.token: the bot token is read only from")
    assert "SECRET" not in info.value.report()


def test_duplicate_feed_names_are_refused() -> None:
    feeds = [{"name": "Shafaq", "url": "https://a.example/rss"}, {"name": "shafaq", "url": "https://b.example/rss"}]
    with pytest.raises(ConfigError) as info:
        parse_settings({"feeds": feeds}, source="t.toml")
    assert info.value.problems == ["feeds[1].name: 'shafaq' is already used by feeds[0]"]


def test_relative_file_urls_resolve_against_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    cfg = tmp_path / "rasad.toml"
    cfg.write_text('[[feeds]]\nname = "local"\nurl = "file:feeds/x.xml"\n', encoding="utf-8")
    s = load_settings(cfg)
    assert s.feeds[0].url == (tmp_path / "feeds" / "x.xml").as_uri()


def test_script_settings_are_valid() -> None:
    """Settings that scripts depend on (issue 5): 2s interval, max_age "0", a plain-HTTP stand-in."""
    s = parse_settings(
        {
            "polling": {"interval": "2s", "max_age": "0"},
            "telegram": {"api_base_url": "http://127.0.0.1:8081/bot"},
            "feeds": [{"name": "x", "url": "https://x.example/rss"}],
        },
        source="t.toml",
    )
    assert s.polling.interval == timedelta(seconds=2)
    assert s.feed_max_age(s.feeds[0]) is None
    assert s.telegram.api_base_url == "http://127.0.0.1:8081/bot"


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "missing.toml")
    assert "cannot read the file" in info.value.problems[0]
    bad = tmp_path / "bad.toml"
    bad.write_text("[polling\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    assert info.value.problems[0].startswith("not valid TOML")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError):
        load_settings(binary)
