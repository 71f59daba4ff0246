"""Editing the config file with tomlkit: comments and layout kept, invalid edits refused, file untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from tomlkit.toml_document import TOMLDocument

from bot.config import ConfigError, load_settings
from bot.ops.configfile import FeedEditError, add_feed, default_name, edit_config, remove_feed, set_enabled
from tests.ops.conftest import write_config

Mutation = Callable[[TOMLDocument], object]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(
        tmp_path / "rasad.toml",
        db=f"sqlite:///{tmp_path / 'db.sqlite'}",
        alpha="https://alpha.example/feed.xml",
        beta="https://beta.example/rss",
    )


def test_add_keeps_comments_and_validates(config: Path) -> None:
    before = config.read_text(encoding="utf-8")
    settings = edit_config(config, lambda doc: add_feed(doc, "Gamma", "https://gamma.example/atom", "en"))
    after = config.read_text(encoding="utf-8")
    assert after.startswith(before), "the existing text is kept byte for byte; the feed is appended"
    assert (
        after[len(before) :]
        == '\n[[feeds]]\nname = "Gamma"\nurl = "https://gamma.example/atom"\nlang = "en"\nenabled = true\n'
    )
    assert [f.name for f in settings.feeds] == ["Alpha", "Beta", "Gamma"]
    assert load_settings(config) == settings


def test_pause_and_resume_touch_one_value(config: Path) -> None:
    edit_config(config, lambda doc: set_enabled(doc, "alpha", False))  # names match case-insensitively
    text = config.read_text(encoding="utf-8")
    assert 'url = "https://alpha.example/feed.xml"  # the first feed\nlang = "ar"\nenabled = false\n' in text
    assert "# The feeds we watch." in text and "# operators" in text
    assert not load_settings(config).feeds[0].enabled
    settings = edit_config(config, lambda doc: set_enabled(doc, "Alpha", True))
    assert settings.feeds[0].enabled


def test_remove_keeps_the_rest(config: Path) -> None:
    settings = edit_config(config, lambda doc: remove_feed(doc, "ALPHA"))
    text = config.read_text(encoding="utf-8")
    assert "Alpha" not in text and "# The feeds we watch." in text and 'name = "Beta"' in text
    assert [f.name for f in settings.feeds] == ["Beta"]


def test_removing_the_last_feed_writes_an_empty_list(config: Path) -> None:
    """No `feeds` key means "the built-in sample", so the file must say `feeds = []` explicitly."""
    edit_config(config, lambda doc: remove_feed(doc, "Alpha"))
    settings = edit_config(config, lambda doc: remove_feed(doc, "Beta"))
    assert settings.feeds == ()
    assert load_settings(config).feeds == ()
    settings = edit_config(config, lambda doc: add_feed(doc, "Again", "https://again.example/", "ar"))
    assert [f.name for f in settings.feeds] == ["Again"]
    assert "[[feeds]]" in config.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda doc: add_feed(doc, "beta", "https://other.example/", "ar"), "a feed named 'Beta' already exists"),
        (lambda doc: add_feed(doc, "Other", "https://beta.example/rss", "ar"), "already the feed 'Beta'"),
        (lambda doc: remove_feed(doc, "Nope"), "no feed named 'Nope'"),
        (lambda doc: set_enabled(doc, "Nope", False), "feeds: 'Alpha', 'Beta'"),
    ],
)
def test_refused_edits_leave_the_file_untouched(config: Path, mutate: Mutation, error: str) -> None:
    before = config.read_bytes()
    with pytest.raises(FeedEditError, match=error):
        edit_config(config, mutate)
    assert config.read_bytes() == before


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (
            lambda doc: add_feed(doc, "Bad", "ftp://bad.example/", "ar"),
            "feeds[2].url: must be an http, https or file URL",
        ),
        (lambda doc: add_feed(doc, "Bad", "https://bad.example/", "fr"), "feeds[2].lang"),
        (lambda doc: doc["polling"].__setitem__("tick", "soon"), "polling.tick"),
    ],
)
def test_invalid_results_are_not_written(config: Path, mutate: Mutation, problem: str) -> None:
    before = config.read_bytes()
    with pytest.raises(ConfigError) as caught:
        edit_config(config, mutate)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert config.read_bytes() == before
    assert sorted(p.name for p in config.parent.iterdir()) == ["rasad.toml"], "no temporary file left behind"


def test_a_symlinked_config_stays_a_link(tmp_path: Path, config: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(config)
    edit_config(link, lambda doc: set_enabled(doc, "Beta", False))
    assert link.is_symlink()
    assert "enabled = false" in config.read_text(encoding="utf-8")


def test_inline_feed_arrays_are_edited_too(tmp_path: Path) -> None:
    path = tmp_path / "inline.toml"
    path.write_text('feeds = [{name = "A", url = "https://a.example/"}]  # inline\n', encoding="utf-8")
    settings = edit_config(path, lambda doc: add_feed(doc, "B", "https://b.example/", "en"))
    assert [f.name for f in settings.feeds] == ["A", "B"]
    assert "# inline" in path.read_text(encoding="utf-8")
    assert tomlkit.parse(path.read_text(encoding="utf-8"))["feeds"][1]["lang"] == "en"


@pytest.mark.parametrize(
    ("title", "url", "taken", "expected"),
    [
        ("Enab Baladi", "https://enab.example/feed", [], "Enab Baladi"),  # the feed's title
        ("  Two\n lines ", "https://x.example/", [], "Two lines"),  # one line, spaces squeezed
        ("", "https://www.enab.example/feed", [], "enab.example"),  # no title: the host without www.
        ("Alpha", "https://a.example/", ["alpha"], "Alpha (2)"),  # taken (case-insensitive): numbered
        ("Alpha", "https://a.example/", ["Alpha", "Alpha (2)"], "Alpha (3)"),
    ],
)
def test_default_name(title: str, url: str, taken: list[str], expected: str) -> None:
    assert default_name(title, url, taken) == expected
