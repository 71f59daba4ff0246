"""Score the blind holdout cases: files in tests/extractor/cases/ whose note starts with 'HOLDOUT:' (set 1,
1NN_*.txt), 'HOLDOUT2:' (set 2, 2NN_*.txt), 'HOLDOUT3:' (set 3, 3NN_*.txt) or 'HOLDOUT4:' (set 4, 4NN_*.txt).

Run: .venv/bin/python tests/extractor/holdout_score.py [--set 1|2|3|4|all] [--code DIR] [-v] [glob]
  --set    which holdout set (default 1; 'all' scores every holdout file)
  --code   read with the `extractor` package found in DIR instead of this checkout (e.g. a `git archive` of an
           older commit), to score the 'first sight' of files that landed after that commit
  -v       for each miss and false report, the clauses that decided it and their rules (needs an extractor
           with `extractor.explanation`, i.e. not with --code of a commit before issue 11)
Prints files passed / total, micro precision / recall / F1 of incidents and per-field accuracy of matched ones;
files in the XFAIL table of test_cases.py are counted like any other and flagged.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_REPO = _HERE.parents[1]


def _args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--set", dest="which", default="1", choices=("1", "2", "3", "4", "all"))
    ap.add_argument("--code", default=None, help="directory holding the extractor package to score")
    ap.add_argument("-v", "--why", action="store_true", help="name the rule behind each miss and false report")
    ap.add_argument("glob", nargs="?", default="*.txt")
    return ap.parse_args(argv)


ARGS = _args(sys.argv[1:]) if __name__ == "__main__" else None
sys.path.insert(0, str(_HERE))
sys.path.insert(0, str(_REPO))
# The scorer (bot/evaluation) comes from this checkout, loaded before --code puts an older tree first on the
# path; it imports the extractor only when it scores, so the extractor is then the one from --code.
from ex_scoring import assign, field_value  # noqa: E402

if ARGS is not None and ARGS.code:
    sys.path.insert(0, str(Path(ARGS.code).resolve()))

from ex_scoring import CASES, CHECKED, Case, Expected, compare, load_case  # noqa: E402

from extractor import Incident, extract  # noqa: E402

try:  # the table of known limitations, where this checkout's tests can be imported
    from test_cases import XFAIL
except ImportError:  # scoring an older extractor (--code) that the current tests do not import with
    XFAIL = {}

_TAG = re.compile(r"\s*(HOLDOUT\d*)\s*:", re.IGNORECASE)


def holdout_tag(path: Path) -> str | None:
    """'HOLDOUT' (set 1), 'HOLDOUT2' (set 2) ..., or None for a file that is not a holdout case."""
    raw = path.read_text("utf-8")
    head = raw.split("+++", 2)[1] if raw.startswith("+++") else ""
    try:
        note = str(tomllib.loads(head).get("note", ""))
    except tomllib.TOMLDecodeError:
        return None
    m = _TAG.match(note)
    return m.group(1).upper() if m else None


def is_holdout(path: Path, which: str = "all") -> bool:
    """Whether the file belongs to holdout set `which` ('1', '2', ... or 'all')."""
    tag = holdout_tag(path)
    if tag is None:
        return False
    return which == "all" or tag == ("HOLDOUT" if which == "1" else f"HOLDOUT{which}")


def why(case: Case, pred: list[Incident]) -> list[str]:
    """For each expected incident missed and each incident reported but not expected, the clauses that
    decided it: their sentence, outcome, deciding rule and the rules fired on them."""
    from extractor.explanation import explain_all
    from extractor.gazetteer import gazetteer
    from extractor.trace import ClauseTrace, Outcome

    clauses = explain_all(case.text, case.published, case.title).clauses

    def line(c: ClauseTrace) -> str:
        by = f" by {c.decided_by}" if c.decided_by else ""
        return f"      §{c.sentence} {c.outcome}{by} [{' '.join(c.rules)}] {c.quote[:70]}"

    def about(e: Expected, c: ClauseTrace) -> bool:
        if e.base:
            related = gazetteer().related
            return any(m.place_id is not None and related(m.place_id, e.base) for m in c.mentions)
        return any(m.country == e.country for m in c.mentions)

    out: list[str] = []
    pairs = assign(pred, case.expect)
    for ei, e in enumerate(case.expect):
        if ei in {x for x, _ in pairs}:
            continue
        out.append(f"  missed {e.base or e.country} {e.date}:")
        named = [c for c in clauses if about(e, c)]
        out += [line(c) for c in named] or ["      no clause read names this site; sentences left out unread:"] + [
            line(c) for c in clauses if c.outcome is Outcome.NOT_A_REPORT and c.decided_by is not None
            and c.decided_by != "CL_NO_ATTACK_WORD"]
    for pi, p in enumerate(pred):
        if pi in {x for _, x in pairs}:
            continue
        out.append(f"  false report #{pi + 1} {p.base.id if p.base else p.country} {p.date}, read from:")
        out += [line(c) for c in clauses if pi in c.incidents]
    for ei, pi in pairs:
        wrong = [k for k, v in case.expect[ei].fields.items() if field_value(pred[pi], k) != v]
        if wrong:
            site = case.expect[ei].base or case.expect[ei].country
            out.append(f"  {', '.join(wrong)} of #{pi + 1} {site}, read from:")
            out += [line(c) for c in clauses if pi in c.incidents]
    return out


def score(paths: list[Path], verbose: bool = True, explain: bool = False) -> dict[str, float]:
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
        problems = compare(case, pred)
        passed += not problems
        if verbose and problems:
            flag = " (XFAIL)" if p.name in XFAIL else ""
            print(f"FAIL {p.name}{flag}\n  " + "\n  ".join(problems))
            if explain:
                print("\n".join(why(case, pred)))
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
    args = ARGS or _args([])
    paths = [p for p in sorted(CASES.glob(args.glob)) if is_holdout(p, args.which)]
    import extractor

    print(f"{len(paths)} holdout files (set {args.which}), extractor from {Path(extractor.__file__).parent}")
    score(paths, explain=args.why)


if __name__ == "__main__":
    main()
