"""Layout of an article: lines, page furniture, headings, sentences and clause pieces (language-neutral).

News pages arrive with their furniture (related headlines, sign-up prompts, captions) and headings mixed
into the text; the reader must know which lines are running prose before it looks for attacks.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from extractor.normalize import fold_pattern

_LINE = re.compile(r"[^\n\r]+")
_TERMINAL = re.compile(r"[.!?؟:»\"”'…)]\s*$")
_MID_STOP = re.compile(r"[.!?؟](?:\s|$)")  # a sentence ended inside a line
# Sentence ends: . ! ? ؟ followed by space or end (not a decimal point or an initial like "أ.ف.ب").
_SENT_END = re.compile(r"(?<=[^\d\s.][.!?؟])(?=\s|$)|(?<=[!?؟])(?=\S)")
_WORD = re.compile(r"\w+")
HEADING_MAX_WORDS = 14


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the article in folded-text offsets, and what it is."""

    start: int
    end: int
    kind: str  # "body", "heading" or "furniture"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of running text (or a heading) in folded-text offsets."""

    start: int
    end: int
    heading: bool
    index: int


def _word_count(s: str) -> int:
    return len(_WORD.findall(s))


def classify_lines(text: str, furniture_spans: list[tuple[int, int]]) -> list[Line]:
    """Sort lines into body, heading and furniture.

    Furniture: a line holding a furniture cue (unless the cue only trails a paragraph), and the run of
    short unpunctuated lines that ends a page (related headlines). Heading: any other short line without
    final punctuation (titles, subheads, datelines, captions): readable, but it summarises rather than reports.
    """
    spans = sorted(furniture_spans)
    starts = [a for a, _ in spans]
    raw = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    raw = [(a, b) for a, b in raw if text[a:b].strip()]
    kinds: list[str] = []
    for a, b in raw:
        i = bisect_left(starts, a)
        if i < len(starts) and starts[i] < b and _word_count(text[a:starts[i]]) <= HEADING_MAX_WORDS:
            kinds.append("furniture")
            continue
        # A cue that closes a line with no full stop in it is a caption's credit ("... في ريف الحسكة – أرشيف"): a
        # photo's caption, however long, not the article's report.
        j = bisect_left(starts, b) - 1
        if j >= i and spans[j][1] <= b and not text[spans[j][1]:b].strip(" \t.)(-–—") \
                and not _MID_STOP.search(text, a, spans[j][0]):
            kinds.append("furniture")
            continue
        # A cue after a full paragraph is a trailing link ("... اقرأ المزيد" ending a feed summary): the
        # paragraph before it is article text.
        s = text[a:b].strip()
        short = _word_count(s) <= HEADING_MAX_WORDS and not _TERMINAL.search(s)
        kinds.append("heading" if short else "body")
    # The tail of a page: short lines after the last body paragraph are related links, not article text.
    last_body = max((i for i, k in enumerate(kinds) if k == "body"), default=-1)
    if last_body >= 0:
        for i in range(last_body + 1, len(kinds)):
            kinds[i] = "furniture"
        # A furniture cue inside the body usually opens a block of links ("اقرأ أيضا:" then headlines).
        for i, k in enumerate(kinds):
            if k == "furniture" and i + 1 < len(kinds) and kinds[i + 1] == "heading":
                j = i + 1
                while j < len(kinds) and kinds[j] == "heading":
                    kinds[j] = "furniture"
                    j += 1
    return [Line(a, b, k) for (a, b), k in zip(raw, kinds, strict=True)]


def split_sentences(text: str, lines: list[Line]) -> list[Sentence]:
    """Sentences of body and heading lines, in order."""
    out: list[Sentence] = []
    for line in lines:
        if line.kind == "furniture":
            continue
        seg = text[line.start:line.end]
        pos = 0
        for m in _SENT_END.finditer(seg):
            if m.start() > pos:
                _add(out, text, line.start + pos, line.start + m.start(), line.kind == "heading")
            pos = m.start()
        if pos < len(seg):
            _add(out, text, line.start + pos, line.end, line.kind == "heading")
    return out


MAX_SENTENCE = 1500  # no real sentence is longer; cutting keeps every later step linear on junk input


def _add(out: list[Sentence], text: str, a: int, b: int, heading: bool) -> None:
    while a < b and text[a] in " \t.!?؟":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut if cut > a else a + MAX_SENTENCE
        out.append(Sentence(a, cut, heading, len(out)))
        a = cut
    if b - a >= 2:
        out.append(Sentence(a, b, heading, len(out)))


_PIECE_BREAK = re.compile(r"[،,؛;]\s*|\s(?=(?:بينما|فيما|في حين|وفي حين|بعد|وبعد|عقب|غداة|اثر|إثر)\s)")
# "... in response to the attack on X": what follows is another event than what precedes.
HARD_BREAK = re.compile(fold_pattern(r"\s(?=(?:ردا|وردا)\s+على\s+(?!سؤال))"))


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause-sized pieces of a sentence, cut at commas and at connectors (بينما، فيما، بعد ...)."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _PIECE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


__all__ = ["HARD_BREAK", "Line", "Sentence", "classify_lines", "pieces", "split_sentences"]
