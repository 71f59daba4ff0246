"""The Arabic reader: Arabic news text in, attacks on US and coalition bases out (pure, no I/O).

`reader` reads an article clause by clause, `article` scans it once for cues, `facts` reads the facts of a
clause, `claims` reads armed groups' own claim posts (a genre apart from news). The shared parts (types,
gazetteer, dates, numbers, normalisation, merge) are at the top of `extractor`.
"""

from __future__ import annotations

from extractor.ar.reader import read

__all__ = ["read"]
