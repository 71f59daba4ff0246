"""English article text: quote folding, lower-casing that keeps offsets, lines of page furniture, sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-",
                         "\u2014": "-", "\u02bc": "'", "\u2032": "'"})
_FOLDS = tuple((chr(k), v) for k, v in _QUOTES.items() if isinstance(v, str))
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset((
    "u.s", "u.k", "u.n", "gen", "brig", "col", "capt", "lt", "sgt", "maj", "adm", "cmdr", "rep", "sen", "gov",
    "mr", "mrs", "ms", "dr", "st", "jr", "no", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec", "a.m", "p.m", "vs", "inc", "co", "corp", "approx", "est",
))
# a sentence's end; also a full stop glued to the next sentence when paragraphs were run together ("Iran.The")
_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|(?<=[a-z]{2})\.(?=[A-Z][a-z]{2})")
_LAST_WORD = re.compile(r"[\w.]+$")
_CAPTION = re.compile(
    r"(?:getty images|\(ap photo|/ap\)|\(reuters/|/reuters|/afp\)|afp via getty|photo:|file photo|^file -|\bfile\)$"
    r"|^\(?[a-z .'-]+/(?:ap|afp|reuters|anadolu)\)?$)"
)


_CAPTION_WORD = re.compile(r"/|photo|getty|file")  # a word every _CAPTION form holds: a cheap test first
# A photo caption: a line that ends with where and when the picture was taken ("... in Irbil, Iraq, Feb. 15, 2021.",
# "... in Anbar province, Iraq on Jan. 9, 2020."), before an optional credit ("REUTERS/...", "(U.S. Army photo ...)").
_CAPTION_DATED = re.compile(
    r", (?:iraq|syria|jordan|kurdistan region),? (?:on )?[a-z]{3,9}\.? \d{1,2}, (?:19|20)\d\d\."
    r"(?:\s+(?:\([^()]{0,80}\)|[a-z]+/[\w .'-]{0,40}))?$"
)


# A caption that opens by naming the picture ("This photo released by the ministry on <date> shows ...", "In this
# image provided by ...", "A handout picture taken on ... shows ..."): its date is the picture's, and the attack it
# names is the one the picture illustrates, told elsewhere or long past.
_CAPTION_LEAD = re.compile(
    r"(?:in )?(?:this|the|a) (?:[\w.,-]+ ){0,3}?(?:photo(?:graph)?|image|picture|video grab|frame grab|handout)"
    r"(?: \w+)?,? (?:(?:that was |which was )?(?:released|provided|taken|made available|distributed|posted|obtained"
    r"|published|shared)\b|shows\b)"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article: its span in the text, and whether it is a heading (no closing stop)."""

    start: int
    end: int
    heading: bool


def fold(text: str) -> str:
    """Straight quotes and plain dashes; same length as the input, so offsets carry over."""
    for a, b in _FOLDS:
        if a in text:
            text = text.replace(a, b)
    return text


def lower(text: str) -> str:
    """Lower case with the same length as the input (a few letters grow when lowered; those stay as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# one link to another story on a line of its own ("Also read: <its headline>"), or the page's keywords ("Tags: ..."):
# never this story's facts
_INLINE_LINK = re.compile(r"(?:also read|read also|read more|related|see also|recommended|more from|related stories"
                          r"|related news|most read|tags|topics|keywords|related topics|filed under)\s*:\s*\S", re.I)


def _is_furniture_head(line: str) -> bool:
    s = line.strip().rstrip(":").lower()
    return s in ("read more", "also read", "related", "related articles", "related news", "recommended",
                 "more from", "you may also like", "sponsored content", "most read", "trending", "see also",
                 "related stories", "more stories", "latest news")


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, in order, without captions, the headline lists of 'Read more' blocks, and
    runs of two or more headline-like lines once the body has begun (links to other stories)."""
    out: list[Sentence] = []
    pos = 0
    skipping = False
    paragraphs = 0  # closed lines seen: the body has begun after two
    pending: list[Sentence] = []  # headline-like lines not yet known to be one heading or a list of links
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        low = stripped.lower()
        if _is_furniture_head(stripped):
            skipping = True
            continue
        if _INLINE_LINK.match(stripped):
            continue
        closed = stripped[-1] in ".!?\"'"
        if skipping:
            if not closed or len(stripped) < 60:
                continue
            skipping = False
        if (_CAPTION_WORD.search(low) and _CAPTION.search(low)) or _CAPTION_DATED.search(low):
            continue
        lead = len(line) - len(line.lstrip())
        caption = _CAPTION_LEAD.match(low) is not None  # its first sentence is the caption; the rest is read
        if not closed and _END.search(line, lead) is None:
            pending.append(Sentence(start + lead, start + len(line.rstrip()), True))
            continue
        if len(pending) < 2 or paragraphs < 2:
            out.extend(pending)
        pending = []
        paragraphs += closed
        seg_start = start + lead
        for m in _END.finditer(line, lead):
            cut = start + m.start() + 1
            word = _LAST_WORD.search(text, max(seg_start, cut - 25), cut - 1)
            if word and word.group(0).lower().rstrip(".") in _ABBREV:
                continue
            if word and len(word.group(0)) == 1 and word.group(0).isupper():
                continue  # an initial: "John F. Kennedy"
            if not caption:
                out.append(Sentence(seg_start, cut, False))
            caption = False
            seg_start = start + m.end()
        if seg_start < end:
            tail = text[seg_start:end].rstrip()
            if tail and not caption:
                out.append(Sentence(seg_start, seg_start + len(tail), not closed))
    if len(pending) < 2 or paragraphs < 2:
        out.extend(pending)
    return out


__all__ = ["Sentence", "fold", "lower", "sentences"]
