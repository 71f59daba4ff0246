"""Record the extractor's output on every case file and every dev-corpus article, to prove a refactor
changes no behaviour.

Run: .venv/bin/python tests/extractor/snapshot.py [--write]
Without --write it compares against tests/extractor/snapshot.json and exits 1 listing every difference.
Evidence sentences are quoted from real articles, so the snapshot keeps a hash of each, never its text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from extractor import Incident, extract_strict  # noqa: E402
from extractor.serialize import incident_to_dict  # noqa: E402

CASES = REPO / "tests" / "extractor" / "cases"
DEV = REPO.parent / "shared" / "corpus" / "dev"
SNAPSHOT = Path(__file__).resolve().parent / "snapshot.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _record(incidents: list[Incident]) -> list[dict[str, object]]:
    out = []
    for i in incidents:
        d = incident_to_dict(i)
        d["evidence"] = [[_digest(e.text), e.start, e.end] for e in i.evidence]
        out.append(d)
    return out


def _case(path: Path) -> tuple[str, date, str | None]:
    lines = path.read_text("utf-8").splitlines()
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    meta = tomllib.loads("\n".join(lines[1:end]))
    return "\n".join(lines[end + 1:]), meta["published"], meta.get("title")


def inputs() -> list[tuple[str, str, date, str | None]]:
    """(key, text, published, title): each case as the tests read it and without its title, each dev article
    as the dev test reads it and as `rasad extract` splits off its first line."""
    out: list[tuple[str, str, date, str | None]] = []
    for p in sorted(CASES.glob("*.txt")):
        text, pub, title = _case(p)
        out.append((f"case/{p.stem}", text, pub, title))
        if title:
            out.append((f"case/{p.stem}#notitle", text, pub, None))
    gold = DEV / "gold.jsonl"
    if gold.exists():
        for line in gold.read_text("utf-8").splitlines():
            g = json.loads(line)
            text = (DEV / f"{g['id']}.txt").read_text("utf-8")
            pub = date.fromisoformat(g["published"])
            out.append((f"dev/{g['id']}", text, pub, None))
            head, _, body = text.partition("\n")
            out.append((f"dev/{g['id']}#title", body, pub, head.strip() or None))
    return out


def snapshot() -> dict[str, list[dict[str, object]]]:
    """Every input's incidents, keyed by input."""
    return {key: _record(extract_strict(text, pub, title)) for key, text, pub, title in inputs()}


def differences(now: dict[str, list[dict[str, object]]], saved: dict[str, list[dict[str, object]]]) -> list[str]:
    """Saved inputs whose output differs now. Case files added after the snapshot are not in it (test_cases
    checks them); a dev article counts only where the shared corpus is present."""
    out = []
    for key in sorted(saved):
        if key.startswith("dev/") and key not in now:
            continue  # the shared corpus is absent here
        if now.get(key) != saved.get(key):
            out.append(f"{key}: was {json.dumps(saved.get(key), ensure_ascii=False)}\n"
                       f"   now {json.dumps(now.get(key), ensure_ascii=False)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="overwrite the saved snapshot")
    args = ap.parse_args()
    now = snapshot()
    if args.write:
        SNAPSHOT.write_text(json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {len(now)} inputs to {SNAPSHOT}")
        return 0
    diff = differences(now, json.loads(SNAPSHOT.read_text("utf-8")))
    print("\n".join(diff) or f"same output on all {len(now)} inputs")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
