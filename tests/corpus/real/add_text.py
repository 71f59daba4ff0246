#!/usr/bin/env python3
"""Add one real article to the local cache, after the kept-aside check; record where it came from.

Usage: add_text.py ID --url URL --outlet NAME --query QUERY --lang ar|en --manifest FILE < text

The text is checked with ../shared/corpus/kept/not-kept first: a text it calls KEPT is not saved, not
recorded, and must not be read or labelled further (exit 3). Otherwise it is written to
.cache/corpus/texts/ID.txt (git-ignored) and a manifest line (id, url, outlet, lang, query, sha256) is appended.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOT_KEPT = ROOT.parent / "shared" / "corpus" / "kept" / "not-kept"
TEXTS = ROOT / ".cache" / "corpus" / "texts"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("id")
    ap.add_argument("--url", required=True)
    ap.add_argument("--outlet", required=True)
    ap.add_argument("--query", required=True)
    ap.add_argument("--lang", required=True, choices=["ar", "en"])
    ap.add_argument("--manifest", required=True)
    args = ap.parse_args()
    text = sys.stdin.read().strip() + "\n"
    if len(text) < 200:
        print(f"{args.id}: too short ({len(text)} chars), not saved")
        return 2
    check = subprocess.run([sys.executable, str(NOT_KEPT)], input=text, capture_output=True, text=True)
    if check.returncode != 0 or "KEPT" in check.stdout:
        print(f"{args.id}: KEPT aside for scoring: dropped; do not read, label or quote it")
        return 3
    TEXTS.mkdir(parents=True, exist_ok=True)
    path = TEXTS / f"{args.id}.txt"
    if path.exists():
        print(f"{args.id}: id already used")
        return 2
    manifest = Path(args.manifest)
    for other in [*manifest.parent.glob("*.jsonl"), manifest.parent.parent / "sources.jsonl"]:
        for line in other.read_text(encoding="utf-8").splitlines() if other.exists() else []:
            if line.strip() and json.loads(line).get("url") == args.url:
                print(f"{args.id}: url already in {other.name}")
                return 2
    path.write_text(text, encoding="utf-8")
    row = {"id": args.id, "url": args.url, "outlet": args.outlet, "lang": args.lang, "query": args.query,
           "sha256": hashlib.sha256(text.encode()).hexdigest()}
    with manifest.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{args.id}: ok, saved ({len(text)} chars)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
