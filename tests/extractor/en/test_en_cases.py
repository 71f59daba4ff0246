"""Runs every English case in tests/extractor/en/cases/ (same format and rules as tests/extractor/cases/):
TOML front matter between `+++` lines with `[[expect]]` tables, then the article; no `[[expect]]` is a trap."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/extractor: the shared case runner
from ex_scoring import compare, load_case

from extractor import extract_strict

CASES = Path(__file__).resolve().parent / "cases"


def _paths() -> list[Path]:
    return sorted(CASES.glob("*.txt"))


def test_there_are_cases_and_traps() -> None:
    cases = [load_case(p) for p in _paths()]
    assert len([c for c in cases if c.expect]) >= 5
    assert len([c for c in cases if not c.expect]) >= 5


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_en_case(path: Path) -> None:
    # The English reader records no rule trace yet, so a trap is checked by its output alone (nothing reported).
    case = load_case(path)
    problems = compare(case, extract_strict(case.text, case.published, case.title, lang="en"))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
