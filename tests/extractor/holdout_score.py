"""Score the blind holdout cases (tests/extractor/cases/1NN_*.txt whose note starts with 'HOLDOUT:').

Run: .venv/bin/python tests/extractor/holdout_score.py [glob]
Prints files passed / total, micro precision / recall / F1 of incidents and per-field accuracy of matched ones.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ex_scoring import assign, field_value
from test_cases import CASES, CHECKED, check_case, load_case

from extractor import extract


def is_holdout(path: Path) -> bool:
    raw = path.read_text("utf-8")
    head = raw.split("+++", 2)[1] if raw.startswith("+++") else ""
    try:
        note = str(tomllib.loads(head).get("note", ""))
    except tomllib.TOMLDecodeError:
        return False
    return note.lstrip().upper().startswith("HOLDOUT")


def score(paths: list[Path], verbose: bool = True) -> dict[str, float]:
    tp = fp = fn = passed = 0
    right: dict[str, int] = dict.fromkeys(CHECKED, 0)
    seen: dict[str, int] = dict.fromkeys(CHECKED, 0)
    for p in paths:
        case = load_case(p)
        pred = extract(case.text, case.published, case.title)
        pairs = assign(pred, case.expect)
        tp += len(pairs)
        fn += len(case.expect) - len(pairs)
        fp += len(pred) - len(pairs)
        for ei, pi in pairs:
            for k, v in case.expect[ei].fields.items():
                seen[k] += 1
                right[k] += field_value(pred[pi], k) == v
        problems = check_case(case)
        passed += not problems
        if verbose and problems:
            print(f"FAIL {p.name}\n  " + "\n  ".join(problems))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    fields_total = sum(seen.values())
    print(f"files passed {passed}/{len(paths)}   incidents tp {tp} fp {fp} fn {fn}   "
          f"P {prec:.3f} R {rec:.3f} F1 {f1:.3f}   field accuracy {sum(right.values())}/{fields_total}"
          + (f" = {sum(right.values()) / fields_total:.1%}" if fields_total else ""))
    print("  " + "  ".join(f"{k} {right[k]}/{seen[k]}" for k in CHECKED if seen[k]))
    return {"passed": passed, "files": len(paths), "precision": prec, "recall": rec, "f1": f1}


def main() -> None:
    pattern = sys.argv[1] if len(sys.argv) > 1 else "1[0-9][0-9]_*.txt"
    paths = [p for p in sorted(CASES.glob(pattern)) if is_holdout(p)]
    print(f"{len(paths)} holdout files")
    score(paths)


if __name__ == "__main__":
    main()
