"""Arabic normalisation that remembers where every character came from.

Rules match on one folded spelling (hamza forms, taa marbuta, alef maqsura, Persian letters, digits),
while evidence must quote the original text, so every normalised character keeps its source offset.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# One-to-one foldings. Spelling variants outlets mix freely collapse to one form.
_FOLD: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ى": "ي",
    "ی": "ي",
    "ي": "ي",
    "ې": "ي",
    "ک": "ك",
    "گ": "ك",
    "ڤ": "ف",
    "پ": "ب",
    "چ": "ج",
    "ژ": "ز",
    # مسؤول / مسئول: Levantine and Egyptian hamza seats meet on a bare hamza.
    "ؤ": "ء",
    "ئ": "ء",
    # Arabic punctuation that plays the same role as Latin punctuation.
    "٪": "%",
    "٫": ".",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian (Extended Arabic-Indic) digits


def _build_table() -> dict[int, str]:
    """Foldings plus deletions: harakat and shadda, tatweel, Quranic marks, bidi and zero-width controls."""
    table: dict[int, str] = {ord(k): v for k, v in _FOLD.items()}
    dropped = [
        *range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x06D6, 0x06EE), *range(0x0610, 0x061B),
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
    ]
    for o in dropped:
        table[o] = ""
    return table


_TABLE = _build_table()


def fold_pattern(pattern: str) -> str:
    """Fold the Arabic inside a regex without lowercasing its syntax (`(?P<name>`, `\\S`)."""
    return pattern.translate(_TABLE)


def fold(text: str) -> str:
    """Normalise without keeping offsets (for lexicon entries and quick comparisons)."""
    return text.translate(_TABLE).lower()


@dataclass(frozen=True, slots=True)
class Normalized:
    """Folded text plus the map from folded characters to their index in the original text.

    The map is kept as runs (folded start, original start) of characters copied one to one: only deleted
    characters break a run, so most articles need a handful, and each lookup is one bisection.
    """

    original: str
    text: str
    run_folded: tuple[int, ...]
    run_original: tuple[int, ...]

    def offset(self, i: int) -> int:
        """The index in the original text of folded character `i`."""
        k = bisect_right(self.run_folded, i) - 1
        return self.run_original[k] + (i - self.run_folded[k])

    @property
    def offsets(self) -> tuple[int, ...]:
        """The original index of every folded character (built on demand)."""
        return tuple(self.offset(i) for i in range(len(self.text)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text."""
        n = len(self.text)
        if not n or start >= end:
            pos = self.offset(start) if start < n else len(self.original)
            return pos, pos
        return self.offset(start), self.offset(end - 1) + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind a folded span."""
        a, b = self.span(start, end)
        return self.original[a:b]


_DROPPED = re.compile(
    "[" + "".join(re.escape(chr(o)) for o, v in _TABLE.items() if v == "") + "]"
)


# "#قاعدة_بلد", "#القوات_الأميركية": a hashtag joins its Arabic words with underscores; read them as spaces
# (one character for one, so offsets hold).
_HASHTAG_JOIN = re.compile("(?<=[\u0621-\u064a])_(?=[\u0621-\u064a])")


def normalize(text: str) -> Normalized:
    """Fold `text` and keep the offset map.

    Foldings are one character to one character, so only deleted characters (harakat, tatweel, bidi
    marks) shift offsets: the map is built from the runs between them, not character by character.
    """
    folded = _HASHTAG_JOIN.sub(" ", text.translate(_TABLE).lower())
    run_f: list[int] = [0]
    run_o: list[int] = [0]
    kept = 0
    pos = 0
    for m in _DROPPED.finditer(text):
        kept += m.start() - pos
        pos = m.end()
        run_f.append(kept)
        run_o.append(pos)
    kept += len(text) - pos
    if kept != len(folded):  # a rare letter whose lowercase is longer: map char by char
        out: list[str] = []
        run_f, run_o = [], []
        for i, ch in enumerate(text):
            rep = _TABLE.get(ord(ch), ch).lower()
            for _ in rep:
                run_f.append(len(out))
                run_o.append(i)
                out.append(_)
        folded = _HASHTAG_JOIN.sub(" ", "".join(out))
        if not run_f:
            run_f, run_o = [0], [len(text)]
    return Normalized(text, folded, tuple(run_f), tuple(run_o))


__all__ = ["Normalized", "fold", "fold_pattern", "normalize"]
