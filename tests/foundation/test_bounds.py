"""Every duration and number in the config has a documented range; values outside it are refused by key."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.bounds import BOUNDS, problem
from bot.config import ConfigError, FeedSettings, PollingSettings, TelegramSettings, parse_settings
from bot.durations import parse_duration
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("polling.interval", timedelta(seconds=1), None),
        ("polling.interval", timedelta(days=7), None),
        ("polling.interval", timedelta(days=30000), "must be 1s to 7d (got 30000d)"),
        ("polling.interval", timedelta(0), "must be 1s to 7d (got 0)"),
        ("polling.tick", timedelta(days=99999999), "must be 1s to 1h (got 99999999d)"),
        ("telegram.chat_interval", timedelta(days=999999999), "must be 0 to 10m (got 999999999d)"),
        ("telegram.chat_interval", timedelta(0), None),
        ("polling.max_age", timedelta(0), None),
        ("polling.max_age", timedelta(seconds=30), "must be 0 (off) or 1m to 365d (got 30s)"),
        ("polling.max_bytes", 10**12, "must be 1024 to 100_000_000 (got 1_000_000_000_000)"),
        ("polling.concurrency", 0, "must be 1 to 500 (got 0)"),
        ("telegram.global_rate", 1e9, "must be 0.1 to 1000 (got 1_000_000_000)"),
        ("polling.merge_distance_km", 0.5, None),
        ("database.url", 5, None),  # no range: not a number key
    ],
)
def test_problem(key: str, value: float | timedelta, expected: str | None) -> None:
    assert problem(key, value) == expected


@pytest.mark.parametrize("text", ["99999999999999d", "1e400", str(10**30)])
def test_durations_beyond_any_timedelta_are_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(("section", "model"), [("telegram", TelegramSettings), ("polling", PollingSettings),
                                                ("feeds", FeedSettings)])
def test_every_duration_and_number_key_has_a_range(section: str, model: type) -> None:
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        text = str(field.annotation)
        numeric = any(t in text for t in ("int", "float", "timedelta", "Duration"))
        if numeric and "bool" not in text and "tuple" not in text:
            assert f"{section}.{name}" in BOUNDS, f"{section}.{name} has no range"


def test_every_range_is_documented_in_the_example_config() -> None:
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    for key, bounds in BOUNDS.items():
        section, name = key.split(".")
        if section == "feeds":
            assert re.search(rf"#\s+{name}\s+.*\(range: {re.escape(bounds.text())}\)", text), key
        else:
            assert re.search(rf"# Range: {re.escape(bounds.text())}\.\n{name} = ", text), key


def test_out_of_range_values_are_all_reported_by_key() -> None:
    data = {
        "polling": {"interval": "99999999999999d", "tick": "99999999d", "concurrency": 0},
        "telegram": {"chat_interval": "999999999d"},
        "feeds": [{"name": "a", "url": "https://a.example/rss", "interval": "30000d"}],
    }
    with pytest.raises(ConfigError) as info:
        parse_settings(data, source="t.toml")
    problems = info.value.problems
    assert 'polling.interval: "99999999999999d" is far too long a duration' in problems
    assert "polling.tick: must be 1s to 1h (got 99999999d)" in problems
    assert "polling.concurrency: must be 1 to 500 (got 0)" in problems
    assert "telegram.chat_interval: must be 0 to 10m (got 999999999d)" in problems
    assert "feeds[0].interval: must be 1s to 7d (got 30000d)" in problems
