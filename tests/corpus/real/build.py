#!/usr/bin/env python3
"""Fold the collectors' staging files into the corpus: ar/gold.jsonl, en/gold.jsonl and sources.jsonl.

Each article gets a `split` once and keeps it: "blind" for about a third of the attack groups and negatives,
chosen by a hash (reports of one attack, linked through their clusters, always share a split, so no attack is seen
in tuning and scored blind), "dev" for the rest. Articles already in the corpus keep their split; new ones get the
split named by --new-split (default: by hash), so a later fresh blind part can be added as "blind2".
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Chosen before any scoring, among salts 1-39, as the one whose blind part came closest to a third of each
# stratum (language x attack/negative): a stratified random split, decided on counts alone.
SALT = "rasad-real-split-14"


def read_jsonl(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def clusters(row: dict[str, object]) -> list[str]:
    out: list[str] = []
    for key in ("incidents", "optional"):
        for inc in row.get(key) or []:  # type: ignore[attr-defined]
            if isinstance(inc, dict) and inc.get("cluster"):
                out.append(str(inc["cluster"]))
    return out


def groups(rows: list[dict[str, object]]) -> dict[str, str]:
    """Article id -> the key of its group (articles linked by a shared cluster form one group)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        aid = "id:" + str(row["id"])
        find(aid)
        for c in clusters(row):
            ra, rc = find(aid), find("c:" + c)
            if ra != rc:
                parent[max(ra, rc)] = min(ra, rc)
    return {str(r["id"]): find("id:" + str(r["id"])) for r in rows}


def hashed_split(key: str) -> str:
    return "blind" if int(hashlib.sha256(f"{SALT}:{key}".encode()).hexdigest()[:8], 16) % 3 == 0 else "dev"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--new-split", default=None, help="split for articles new to the corpus (default: by hash)")
    ap.add_argument("--only", default="", help="fold only the staging files whose name starts with this")
    args = ap.parse_args()
    staged_gold = [r for p in sorted((HERE / "staging").glob(f"{args.only}*.gold.jsonl")) for r in read_jsonl(p)]
    staged_src = [r for p in sorted((HERE / "staging").glob(f"{args.only}*.sources.jsonl")) for r in read_jsonl(p)]
    old_gold = read_jsonl(HERE / "ar" / "gold.jsonl") + read_jsonl(HERE / "en" / "gold.jsonl")
    old_src = read_jsonl(HERE / "sources.jsonl")
    src = {str(r["id"]): r for r in old_src + staged_src}
    gold: dict[str, dict[str, object]] = {}
    for r in old_gold + staged_gold:
        gold[str(r["id"])] = {**gold.get(str(r["id"]), {}), **r}
    missing = sorted(set(gold) - set(src))
    if missing:
        print("labelled but not in any manifest (dropped):", ", ".join(missing))
        for m in missing:
            gold.pop(m)
    rows = list(gold.values())
    key = groups(rows)
    # a group already holding an article with a split gives it to the new ones
    group_split = {key[str(r["id"])]: r["split"] for r in rows if r.get("split")}
    for r in rows:
        if not r.get("split"):
            g = key[str(r["id"])]
            r["split"] = group_split.get(g) or args.new_split or hashed_split(g)
            group_split[g] = r["split"]
    for lang in ("ar", "en"):
        out = sorted((r for r in rows if r.get("lang") == lang), key=lambda r: str(r["id"]))
        (HERE / lang).mkdir(exist_ok=True)
        (HERE / lang / "gold.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
        by = {s: sum(1 for r in out if r["split"] == s) for s in sorted({str(r["split"]) for r in out})}
        print(f"{lang}: {len(out)} articles {by}")
    kept = sorted(src.values(), key=lambda r: str(r["id"]))
    (HERE / "sources.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept if str(r["id"]) in gold), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
