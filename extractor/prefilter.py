"""A word-start gate that lets many cue regexes share one pass over an article.

Every cue regex in the reader has the shape `(?<!\\w)<clitics>(?:ال)?<words>...`: it can only match at the
start of a word. Rather than letting each regex try every character of the article, the gate walks the
word starts once, looks up the first letters after each possible clitic split in one table of prefixes,
and hands each regex only the word starts where it could match. The regex itself still decides
(`pattern.match` at that position), so results are exactly those of `pattern.finditer` over the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as _c  # type: ignore[attr-defined]  # the stdlib parser's opcodes
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

PREFIX_LEN = 4
_CLITIC_LETTERS = frozenset("وفبلك")
_ARTICLE = "ال"


def _cap(strings: Iterable[str], closed: set[str], opened: set[str]) -> None:
    for s in strings:
        if len(s) >= PREFIX_LEN:
            opened.add(s[:PREFIX_LEN])
        else:
            closed.add(s)


def _starts(items: Any) -> tuple[set[str], set[str]]:
    """(closed, open) first strings of a parsed regex sequence.

    Closed strings are whole matches shorter than PREFIX_LEN; open ones are what a longer match starts with.
    Anything the analysis cannot follow (a character class, a back reference) ends the string there.
    """
    closed: set[str] = {""}
    opened: set[str] = set()
    for op, av in items:
        if not closed:
            break
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width
        sub: tuple[set[str], set[str]] | None = None
        if op is _c.LITERAL:
            sub = ({chr(av)}, set())
        elif op is _c.IN:
            chars = _class_chars(av)
            sub = (chars, set()) if chars is not None else None
        elif op is _c.SUBPATTERN:
            sub = _starts(av[-1])
        elif op is _c.BRANCH:
            cs: set[str] = set()
            os_: set[str] = set()
            for alt in av[1]:
                c, o = _starts(alt)
                cs |= c
                os_ |= o
            sub = (cs, os_)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, body = av
            c, o = _starts(body)
            if lo == 1 and hi == 1:
                sub = (c, o)
            elif lo == 0 and hi == 1:
                sub = (c | {""}, o)
            elif lo == 0:
                sub = ({""}, o | c)
            else:
                sub = (set(), o | c)
        if sub is None:
            opened |= closed
            closed = set()
            break
        if len(closed) * (len(sub[0]) + len(sub[1])) > 20_000:
            opened |= closed  # too many spellings to list: stop here
            closed = set()
            break
        new_closed: set[str] = set()
        _cap((s + t for s in closed for t in sub[0]), new_closed, opened)
        opened |= {(s + t)[:PREFIX_LEN] for s in closed for t in sub[1]}
        closed = new_closed
    return closed, opened


_DIGITS = frozenset(chr(i) for i in range(0x110000) if chr(i).isdecimal())  # what \d matches in str patterns


def _class_chars(items: Any) -> set[str] | None:
    r"""The characters a small class matches ([وبل], \d, [0-9]); None for a large or negated one."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 64:
            out.update(chr(i) for i in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out.update(_DIGITS)
        else:
            return None
    return out


def first_strings(pattern: str) -> set[str]:
    """Strings (at most PREFIX_LEN long) one of which starts every match of `pattern`; '' means any."""
    closed, opened = _starts(_p.parse(pattern))
    return closed | opened


class WordGate:
    """Word starts at which each of several patterns may match, found in one pass over the word starts."""

    def __init__(self, word_patterns: dict[str, str]) -> None:
        """`word_patterns`: key → the regex of the words a cue pattern matches after its clitics."""
        self.keys = list(word_patterns)
        self._table: dict[str, int] = {}
        self._always = 0
        lengths: set[int] = set()
        for bit, key in enumerate(self.keys):
            for s in first_strings(word_patterns[key]):
                if not s:
                    self._always |= 1 << bit
                    continue
                self._table[s] = self._table.get(s, 0) | (1 << bit)
                lengths.add(len(s))
        self._lengths = sorted(lengths)
        # The mask of a word start depends only on the next few characters: clitics, article, prefix.
        self._span = 2 + len(_ARTICLE) + PREFIX_LEN
        self._cache: dict[str, int] = {}

    def _mask(self, head: str) -> int:
        """The keys (as bits) whose words may start `head`, after 0-2 clitic letters and an optional ال."""
        table = self._table
        mask = self._always
        n = len(head)
        c = 0
        k = 0
        while True:
            for q in (c, c + 2) if head.startswith(_ARTICLE, c) else (c,):
                for ln in self._lengths:
                    if q + ln <= n:
                        mask |= table.get(head[q:q + ln], 0)
            if k == 2 or c >= n or head[c] not in _CLITIC_LETTERS:
                break
            c += 1
            k += 1
        return mask

    def candidates(self, text: str, word_starts: list[int]) -> dict[str, list[int]]:
        """For each key, the word starts (in order) where its pattern could match."""
        found: list[list[int]] = [[] for _ in self.keys]
        cache = self._cache
        span = self._span
        for p in word_starts:
            head = text[p:p + span]
            mask = cache.get(head)
            if mask is None:
                mask = self._mask(head)
                if len(cache) < 200_000:
                    cache[head] = mask
            while mask:
                low = mask & -mask
                found[low.bit_length() - 1].append(p)
                mask ^= low
        return dict(zip(self.keys, found, strict=True))


def gated_finditer(rx: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What `rx.finditer(text)` yields, trying only `starts` (which must hold every possible match start)."""
    out: list[re.Match[str]] = []
    last = -1
    for p in starts:
        if p < last:
            continue
        m = rx.match(text, p)
        if m is not None:
            out.append(m)
            last = m.end() if m.end() > p else p + 1
    return out


__all__ = ["PREFIX_LEN", "WordGate", "first_strings", "gated_finditer"]
