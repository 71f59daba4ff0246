"""The English reader: English news text in, attacks on US and coalition bases out (pure, no I/O)."""

from __future__ import annotations

from extractor.en.reader import read

__all__ = ["read"]
