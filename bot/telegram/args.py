"""Command arguments as users type them: parsed by pure functions into a request or a Problem.

A Problem carries a code that bot.telegram.texts turns into a short, helpful answer, so bad input
is always answered and never reaches a handler half-parsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.incidents.subscriptions import KEYWORD_MAX_CHARS, KEYWORD_MIN, KEYWORDS_MAX

RECENT_DEFAULT: Final = 5
RECENT_MAX: Final = 20

_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_TME = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/([A-Za-z0-9_]+)/?$", re.IGNORECASE)
_ID = re.compile(r"^-100\d{5,15}$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the arguments cannot be used: a code for texts.usage_text and the offending argument."""

    code: str
    arg: str | None = None


@dataclass(frozen=True, slots=True)
class RecentRequest:
    """How many incidents /recent shows, and a note when the request was trimmed."""

    count: int
    note: str | None = None


def _number(text: str) -> int | None:
    """Western or Arabic-Indic digits (Arabic keyboards type ٥), an optional leading #."""
    t = text.strip().lstrip("#").translate(_DIGITS)
    return int(t) if t.isdigit() and len(t) <= 12 else None


def parse_recent(args: Sequence[str]) -> RecentRequest | Problem:
    """/recent [N]: default 5; above 20 shows 20 and says so; 0, negatives and words are refused."""
    if not args:
        return RecentRequest(RECENT_DEFAULT)
    if len(args) > 1:
        return Problem("too_many_args")
    raw = args[0]
    if raw.strip().startswith("-") and _number(raw.strip()[1:]) is not None:
        return Problem("recent_too_few", raw)
    n = _number(raw)
    if n is None:
        return Problem("recent_not_number", raw)
    if n < 1:
        return Problem("recent_too_few", raw)
    if n > RECENT_MAX:
        return RecentRequest(RECENT_MAX, "recent_too_many")
    return RecentRequest(n)


def parse_incident(args: Sequence[str]) -> int | Problem:
    """/incident ID: one positive number (with or without #)."""
    if not args:
        return Problem("incident_missing")
    if len(args) > 1:
        return Problem("too_many_args")
    n = _number(args[0])
    if n is None or n < 1:
        return Problem("incident_not_number", args[0])
    return n


def parse_target(args: Sequence[str]) -> str | int | Problem | None:
    """/subscribe [@channel]: None for this chat, "@name" for a public channel, an id for a private one."""
    if not args:
        return None
    if len(args) > 1:
        return Problem("too_many_args")
    raw = args[0].strip()
    match = _TME.match(raw)
    name = match.group(1) if match else raw[1:] if raw.startswith("@") else None
    if name is not None:
        return f"@{name}" if _USERNAME.match(name) else Problem("subscribe_bad_target", raw)
    if _ID.match(raw):
        return int(raw)
    return Problem("subscribe_bad_target", raw)


def command_of(text: str) -> tuple[str, str | None]:
    """"/Recent@rasad_bot 5" → ("recent", "rasad_bot"): the command, lower-cased, and who it addresses."""
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    name, _, to = head.lstrip("/").partition("@")
    return name.lower(), (to or None)


def answer_unknown(chat_type: str, addressed_to: str | None, bot_username: str | None) -> bool:
    """Answer an unknown command in private, or in a group only when it names us (other bots live there)."""
    if addressed_to is not None:
        return bot_username is not None and addressed_to.lower() == bot_username.lower()
    return chat_type == "private"


PAGE_PREFIX: Final = "rc"
"""Callback data of the /recent page buttons: "rc:<offset>:<page size>"."""
PAGE_OFFSET_MAX: Final = 100_000


@dataclass(frozen=True, slots=True)
class Page:
    """A /recent page: skip the `offset` newest incidents, show up to `size`."""

    offset: int
    size: int


def page_data(page: Page) -> str:
    """The callback data of a page button."""
    return f"{PAGE_PREFIX}:{page.offset}:{page.size}"


def parse_page(data: str | None) -> Page | None:
    """Read a page button's data back; None for anything a page button did not make (data comes from clients)."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] != PAGE_PREFIX or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    offset, size = int(parts[1]), int(parts[2])
    if offset > PAGE_OFFSET_MAX or not 1 <= size <= RECENT_MAX:
        return None
    return Page(offset, size)


def page_turns(page: Page, shown: int, more: bool) -> tuple[Page | None, Page | None]:
    """(newer page, older page) after showing `shown` incidents of `page`; None where there is none.

    The older page starts right after what was shown (a page that did not fit whole continues where it
    stopped); the newer one is a page size back, never before the newest.
    """
    newer = Page(max(0, page.offset - page.size), page.size) if page.offset > 0 else None
    older = Page(page.offset + shown, page.size) if more and shown > 0 else None
    return newer, older


CLEAR_WORDS: Final = frozenset({"clear", "مسح", "حذف"})


@dataclass(frozen=True, slots=True)
class KeywordsRequest:
    """/keywords [@channel] [+word | -word | word | clear]…: the channel (if any) and the changes asked."""

    target: str | int | None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    clear: bool = False

    @property
    def changes(self) -> bool:
        return self.clear or bool(self.include or self.exclude)


def looks_like_target(arg: str) -> bool:
    """Whether an argument names a chat (@name, t.me link, -100 id) rather than a keyword."""
    raw = arg.strip()
    return raw.startswith("@") or bool(_TME.match(raw)) or bool(_ID.match(raw))


def parse_keywords(args: Sequence[str]) -> KeywordsRequest | Problem:
    """Read /keywords arguments: "+word" (or a bare word) to require, "-word" to exclude, "clear" to remove all.

    Plain words only (no patterns), KEYWORD_MIN to KEYWORD_MAX_CHARS characters each.
    """
    rest = list(args)
    target: str | int | None = None
    if rest and looks_like_target(rest[0]):
        got = parse_target([rest.pop(0)])
        if isinstance(got, Problem):
            return got
        target = got
    include: list[str] = []
    exclude: list[str] = []
    clear = False
    for raw in rest:
        word = raw.strip()
        if word.casefold() in CLEAR_WORDS:
            clear = True
            continue
        sign, bare = (word[0], word[1:]) if word[:1] in "+-−" else ("+", word)
        bare = bare.strip()
        if not KEYWORD_MIN <= len(bare) <= KEYWORD_MAX_CHARS:
            return Problem("keyword_length", raw)
        (include if sign == "+" else exclude).append(bare)
    return KeywordsRequest(target, tuple(include), tuple(exclude), clear)


def apply_keywords(
    include_now: Sequence[str], exclude_now: Sequence[str], req: KeywordsRequest
) -> tuple[tuple[str, ...], tuple[str, ...]] | Problem:
    """The chat's keyword lists after a request; a word moves between lists, each is kept once (case-blind)."""
    inc = [] if req.clear else list(include_now)
    exc = [] if req.clear else list(exclude_now)

    def put(word: str, into: list[str], other: list[str]) -> None:
        key = word.casefold()
        other[:] = [w for w in other if w.casefold() != key]
        if all(w.casefold() != key for w in into):
            into.append(word)

    for word in req.include:
        put(word, inc, exc)
    for word in req.exclude:
        put(word, exc, inc)
    if len(inc) > KEYWORDS_MAX or len(exc) > KEYWORDS_MAX:
        return Problem("keywords_too_many")
    return tuple(inc), tuple(exc)
