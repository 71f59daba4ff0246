"""Edit the config file's feeds in place, keeping its comments and layout, so the file stays the truth.

Admin commands and `rasad feeds add|remove|pause|resume` change feeds only through `edit_config`: it
reads the file with tomlkit, applies one mutation to the document, validates the result exactly as a
start-up would (bot.config.parse_settings) and only then replaces the file atomically (a temporary file
in the same folder, fsync, os.replace). An edit that would make the file invalid leaves it untouched.

The mutations are plain functions over a tomlkit document, so they are tested without any file.
Feed names match case-insensitively, like the uniqueness check in bot.config.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from bot.config import ConfigError, Settings, parse_settings

__all__ = [
    "FeedEditError",
    "add_feed",
    "default_name",
    "edit_config",
    "feed_names",
    "find_feed",
    "read_document",
    "remove_feed",
    "set_enabled",
]

_EDIT_LOCK = threading.Lock()  # one edit at a time within this process (bot handlers, CLI)

FeedTable = Table | InlineTable


class FeedEditError(ValueError):
    """A requested change that cannot be made (unknown name, duplicate); the message is for the operator."""


def _feeds(doc: TOMLDocument) -> AoT | Array | None:
    """The document's feeds container: `[[feeds]]` (AoT) or an inline `feeds = [...]` array."""
    feeds = doc.get("feeds")
    if feeds is None:
        return None
    if not isinstance(feeds, (AoT, Array)):
        raise FeedEditError("`feeds` in the config file is not a list of [[feeds]] tables")
    return feeds


def _tables(doc: TOMLDocument) -> Iterator[tuple[int, FeedTable]]:
    feeds = _feeds(doc)
    for i, item in enumerate(feeds if feeds is not None else ()):
        if isinstance(item, (Table, InlineTable)):
            yield i, item


def feed_names(doc: TOMLDocument) -> list[str]:
    """The names of the feeds written in the document, in file order."""
    return [str(t.get("name", "")) for _, t in _tables(doc)]


def find_feed(doc: TOMLDocument, name: str) -> tuple[int, FeedTable]:
    """The feed table called `name` (case-insensitive) and its index; FeedEditError when there is none."""
    key = name.strip().casefold()
    for i, table in _tables(doc):
        if str(table.get("name", "")).strip().casefold() == key:
            return i, table
    known = ", ".join(repr(n) for n in feed_names(doc)) or "none"
    raise FeedEditError(f"no feed named {name.strip()!r} in the config file (feeds: {known})")


def add_feed(
    doc: TOMLDocument, name: str, url: str, lang: str = "ar", *, role: str = "news", backlog: bool = True
) -> None:
    """Append a `[[feeds]]` table; refuses a name or URL already in the file."""
    name, url = name.strip(), url.strip()
    for _, table in _tables(doc):
        if str(table.get("name", "")).strip().casefold() == name.casefold():
            raise FeedEditError(f"a feed named {str(table.get('name'))!r} already exists")
        if str(table.get("url", "")).strip() == url:
            raise FeedEditError(f"this URL is already the feed {str(table.get('name'))!r}")
    feeds = _feeds(doc)
    values: dict[str, Any] = {"name": name, "url": url, "lang": lang, "enabled": True}
    if role != "news":
        values["role"] = role
    if not backlog:
        values["backlog"] = False
    if isinstance(feeds, Array) and len(feeds) > 0:
        entry = tomlkit.inline_table()
        entry.update(values)
        feeds.append(entry)
        return
    table = tomlkit.table()
    table.trivia.indent = "\n"  # a blank line before the new [[feeds]] header, like hand-written ones
    for key, value in values.items():
        table.add(key, value)
    if isinstance(feeds, AoT):
        feeds.append(table)
        return
    # No feeds written yet (or an explicit empty array was removed): start the array of tables.
    if "feeds" in doc:
        del doc["feeds"]
    doc.append("feeds", tomlkit.aot())
    aot = doc["feeds"]
    assert isinstance(aot, AoT)
    aot.append(table)


def remove_feed(doc: TOMLDocument, name: str) -> str:
    """Delete a feed's table; returns its name as written. The last feed leaves `feeds = []` behind.

    An explicit empty list says plainly that no feed is wanted (an absent key means the same).
    """
    index, table = find_feed(doc, name)
    written = str(table.get("name", name))
    feeds = _feeds(doc)
    assert feeds is not None
    del feeds[index]
    if len(feeds) == 0:
        del doc["feeds"]
        doc.append("feeds", tomlkit.array())
    return written


def set_enabled(doc: TOMLDocument, name: str, enabled: bool) -> tuple[str, bool]:
    """Set a feed's `enabled`; returns its name as written and whether the value changed."""
    _, table = find_feed(doc, name)
    before = bool(table.get("enabled", True))
    table["enabled"] = enabled
    return str(table.get("name", name)), before != enabled


def read_document(path: Path) -> TOMLDocument:
    """Parse the file with tomlkit; ConfigError (same shape as load_settings') when it cannot be."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["the file is not UTF-8 text"]) from None
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None


def _validate(text: str, path: Path) -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # tomlkit wrote something tomllib rejects: never save it
        raise ConfigError(str(path), [f"the edited file would not be valid TOML: {exc}"]) from None
    return parse_settings(data, source=str(path), base_dir=path.parent)


def _write_atomically(path: Path, text: str, expected: str) -> None:
    """Replace `path` with `text` unless someone changed it since we read `expected`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        if path.read_text(encoding="utf-8") != expected:
            raise ConfigError(str(path), ["the file changed while it was being edited; try again"])
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename durable too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def edit_config(path: str | Path, mutate: Callable[[TOMLDocument], object]) -> Settings:
    """Apply `mutate` to the file's document, validate, write atomically; returns the new Settings.

    Raises FeedEditError (from `mutate`) or ConfigError (the result would be invalid, or the file
    cannot be read); in both cases the file is left exactly as it was. A symlink is followed, so the
    link stays a link.
    """
    real = Path(path).resolve()
    with _EDIT_LOCK:
        try:
            original = real.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from None
        except UnicodeDecodeError:
            raise ConfigError(str(path), ["the file is not UTF-8 text"]) from None
        try:
            doc = tomlkit.parse(original)
        except TOMLKitError as exc:
            raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None
        mutate(doc)
        text = tomlkit.dumps(doc)
        if original.endswith("\n") and not text.endswith("\n"):
            text += "\n"  # a table appended after the last line would otherwise end the file without one
        settings = _validate(text, real)
        if text != original:
            _write_atomically(real, text, original)
        return settings


def default_name(title: str, url: str, taken: Iterable[str]) -> str:
    """A name for a feed added without one: its title, else its host; " (2)", " (3)"… when taken."""
    used = {t.casefold() for t in taken}
    base = " ".join(title.split())[:80].strip()
    if not base:
        try:
            base = (urlsplit(url).hostname or "").removeprefix("www.")
        except ValueError:
            base = ""
    base = base or "feed"
    name, n = base, 2
    while name.casefold() in used:
        name, n = f"{base} ({n})", n + 1
    return name
