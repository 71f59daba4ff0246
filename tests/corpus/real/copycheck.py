#!/usr/bin/env python3
"""Say where our files share an eight-word run with a real text (cached corpus texts and ../shared/corpus/dev).

Usage: copycheck.py [FILE ...]   (default: every tracked file under extractor/, tests/ and bot/, and README.md)

Labels, notes and written cases are in our own words; this finds the places where a common phrase of the press
slipped in, so they can be reworded before they are committed. Words are `\\w+` runs, compared case-folded.
Exit 1 when any run is shared.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEXTS = [ROOT / ".cache" / "corpus" / "texts", ROOT.parent / "shared" / "corpus" / "dev"]
N = 8
WORD = re.compile(r"\w+")
SKIP = {"tests/corpus/real/sources.jsonl"}  # the manifest: urls and search queries, kept on purpose


def shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in WORD.findall(text)]
    return {tuple(words[i : i + N]) for i in range(len(words) - N + 1)}


def real_runs() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for folder in TEXTS:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            for run in shingles(path.read_text("utf-8", errors="replace")):
                out.setdefault(run, path.stem)
    return out


def our_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    listed = subprocess.run(
        ["git", "ls-files", "extractor", "tests", "bot", "README.md"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [ROOT / p for p in listed if p not in SKIP]


def main(args: list[str]) -> int:
    real = real_runs()
    if not real:
        print("no cached texts: nothing to compare with")
        return 0
    found = 0
    for path in our_files(args):
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for run in sorted(shingles(text)):
            if run in real:
                found += 1
                print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: '{' '.join(run)}' ({real[run]})")
    print(f"{found} shared run(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
