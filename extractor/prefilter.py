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

PREFIX_LEN = 3
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
        elif op is _c.IN and all(o is _c.LITERAL for o, _ in av):
            sub = ({chr(v) for _, v in av}, set())
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
        new_closed: set[str] = set()
        _cap((s + t for s in closed for t in sub[0]), new_closed, opened)
        opened |= {(s + t)[:PREFIX_LEN] for s in closed for t in sub[1]}
        closed = new_closed
    return closed, opened


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

    def candidates(self, text: str, word_starts: list[int]) -> dict[str, list[int]]:
        """For each key, the word starts (in order) where its pattern could match."""
        table = self._table
        lengths = self._lengths
        always = self._always
        found: list[list[int]] = [[] for _ in self.keys]
        n = len(text)
        for p in word_starts:
            mask = always
            c = p
            k = 0
            while True:
                for q in (c, c + 2) if text.startswith(_ARTICLE, c) else (c,):
                    for ln in lengths:
                        if q + ln <= n:
                            mask |= table.get(text[q:q + ln], 0)
                if k == 2 or c >= n or text[c] not in _CLITIC_LETTERS:
                    break
                c += 1
                k += 1
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
