"""Arabic cardinal numbers, duals and vague quantities, read from folded tokens.

Counts of rockets, drones and casualties are written as digits (Latin or Arabic-Indic, folded to Latin
by normalize), as number words in either gender, or as a dual noun with no number word at all.
All functions take tokens that have already been folded by `extractor.normalize.fold`.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.vocabulary import words

_UNITS: dict[str, int] = {
    "واحد": 1, "واحده": 1, "واحدا": 1, "احد": 1, "احدي": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاث": 3, "ثلاثه": 3,
    "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5,
    "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8,
    "تسع": 9, "تسعه": 9,
}
_TEN = {"عشر": 10, "عشره": 10}
_TENS: dict[str, int] = {
    "عشرون": 20, "عشرين": 20,
    "ثلاثون": 30, "ثلاثين": 30,
    "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60,
    "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80,
    "تسعون": 90, "تسعين": 90,
}
_HUNDREDS: dict[str, int] = {
    "مءه": 100, "ماءه": 100, "مءتان": 200, "مءتين": 200, "ماءتان": 200, "ماءتين": 200,
    "ثلاثمءه": 300, "ثلاثماءه": 300, "اربعمءه": 400, "اربعماءه": 400, "خمسمءه": 500, "خمسماءه": 500,
}
_THOUSANDS: dict[str, int] = {"الف": 1000, "الفا": 1000, "الفان": 2000, "الفين": 2000, "الاف": 1000}

# Amounts that say "several" or "dozens" without a number: the count is unknown, not zero.
VAGUE: frozenset[str] = words("vague_amounts")

# Ordinal day words for dates such as "التاسع من ديسمبر".
ORDINALS: dict[str, int] = {
    "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10, "الحادي": 1, "الحاديه": 1,
    "العشرين": 20, "الثلاثين": 30,
}

_PREFIXES = ("وب", "ول", "ب", "و", "ل", "ف")


def strip_prefix(token: str, known: Sequence[str] | frozenset[str] | dict[str, int] | None = None) -> str:
    """Drop a clitic (و، ب، ل، ف) when what remains is a known word; keep the token otherwise."""
    if known is None:
        return token
    if token in known:
        return token
    for p in _PREFIXES:
        if token.startswith(p) and token[len(p):] in known:
            return token[len(p):]
    return token


def _word_value(token: str) -> tuple[str, int] | None:
    """The kind ('unit', 'ten', 'tens', 'hundred', 'thousand', 'digit') and value of one token."""
    if token.isdecimal():  # not isdigit(): '²' and '①' are digits int() cannot read
        return "digit", int(token)
    for table, kind in ((_UNITS, "unit"), (_TEN, "ten"), (_TENS, "tens"), (_HUNDREDS, "hundred"),
                        (_THOUSANDS, "thousand")):
        if token in table:
            return kind, table[token]
    return None


def _lookup(token: str, first: bool) -> tuple[str, int] | None:
    """Value of a token, allowing a clitic on the first word and و on later words."""
    got = _word_value(token)
    if got is not None:
        return got
    prefixes = _PREFIXES if first else ("و",)
    for p in prefixes:
        if token.startswith(p) and len(token) > len(p):
            got = _word_value(token[len(p):])
            if got is not None:
                return got
    return None


def parse_number(tokens: Sequence[str], i: int) -> tuple[int, int] | None:
    """Read a cardinal starting at tokens[i]; return (value, index after it) or None.

    Handles digits, units in both genders, teens (خمسة عشر), unit-and-tens (خمسة وعشرين),
    hundreds and thousands. Stops at the first token that does not continue the number.
    """
    if i >= len(tokens):
        return None
    first = _lookup(tokens[i], first=True)
    if first is None:
        return None
    kind, value = first
    j = i + 1
    if kind == "digit":
        return value, j
    if kind == "unit" and j < len(tokens) and tokens[j] in _TEN:
        value += 10
        j += 1
    elif kind == "unit" and j < len(tokens):
        nxt = _lookup(tokens[j], first=False)
        if nxt is not None and nxt[0] == "tens" and tokens[j].startswith("و"):
            value += nxt[1]
            j += 1
    elif kind in ("hundred", "thousand"):
        while j < len(tokens):
            nxt = _lookup(tokens[j], first=False)
            if nxt is None or not tokens[j].startswith("و") or nxt[0] == "digit":
                break
            value += nxt[1]
            j += 1
    return value, j


def dual_forms(singular: str) -> tuple[str, str]:
    """The two dual endings of a folded singular noun: صاروخ → صاروخان/صاروخين, قذيفه → قذيفتان/قذيفتين."""
    stem = singular[:-1] + "ت" if singular.endswith("ه") else singular
    return stem + "ان", stem + "ين"


__all__ = ["ORDINALS", "VAGUE", "dual_forms", "parse_number", "strip_prefix"]
