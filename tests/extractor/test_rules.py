"""The rule registry's own tests: every rule declared with examples, each example read as declared, every rule
seen on a written case, and explain reading exactly as extract does. Both readers' rules are covered: an example
is read by the reader its script picks, and the written cases are the Arabic and the English ones.

A fire example must show the rule in `explain`'s trace and a spare example must not; both are read strictly
(a crash fails the test, it is never an empty result).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_cases import CASES, load_case

from extractor import extract_strict
from extractor.explanation import explain_all
from extractor.rule_ids import RuleId, Stage
from extractor.rules import EXAMPLE_DAY, RULES
from extractor.trace import Outcome

# Rules no written case exercises yet, each with the reason; the list must stay exact (see the last test).
NOT_IN_CASES: dict[RuleId, str] = {
    RuleId.BG_FUTURE_MONTH: "an attack dated in a month still to come: no outlet writes one (a parse of a wrong year)",
    RuleId.SP_FUTURE_DAY: "an attack dated days after publication: no outlet writes one (a wrong day in the source)",
}


def _rules_fired(text: str) -> set[RuleId]:
    head, newline, body = text.partition("\n")
    title, body = (head, body) if newline else (None, text)
    return {r for c in explain_all(body, EXAMPLE_DAY, title).clauses for r in c.rules}


def _examples(kind: str) -> list[tuple[RuleId, str]]:
    return [(rid, t) for rid, rule in RULES.items() for t in (rule.fire if kind == "fire" else rule.spare)]


def test_every_rule_id_is_declared_once() -> None:
    assert set(RULES) == set(RuleId)


@pytest.mark.parametrize("rid", list(RuleId), ids=str)
def test_every_rule_has_examples_in_several_wordings(rid: RuleId) -> None:
    rule = RULES[rid]
    assert len(set(rule.fire)) >= 2, f"{rid}: at least two fire examples in different wordings"
    assert rule.spare, f"{rid}: at least one spare example"
    assert rule.summary_en and rule.summary_ar


def _id(x: object) -> str:
    return str(x) if isinstance(x, RuleId) else ""


@pytest.mark.parametrize(("rid", "text"), _examples("fire"), ids=_id)
def test_rule_fires_on_its_examples(rid: RuleId, text: str) -> None:
    assert rid in _rules_fired(text)


@pytest.mark.parametrize(("rid", "text"), _examples("spare"), ids=_id)
def test_rule_spares_its_counter_examples(rid: RuleId, text: str) -> None:
    assert rid not in _rules_fired(text)


EN_CASES = CASES.parent / "en" / "cases"  # the English reader's rules are seen on the English cases


def _case_paths() -> list[Path]:
    return sorted(CASES.glob("*.txt")) + sorted(EN_CASES.glob("*.txt"))


def _fired_on_cases() -> set[RuleId]:
    fired: set[RuleId] = set()
    for p in _case_paths():
        case = load_case(p)
        fired |= {r for c in explain_all(case.text, case.published, case.title).clauses for r in c.rules}
    return fired


def test_every_rule_fires_on_a_written_case() -> None:
    missing = set(RuleId) - _fired_on_cases() - set(NOT_IN_CASES)
    assert not missing, f"rules no case file exercises: {sorted(missing)}"


def test_rules_said_to_be_in_no_case_are_in_none() -> None:
    seen = _fired_on_cases() & set(NOT_IN_CASES)
    assert not seen, f"now exercised by a case, drop from NOT_IN_CASES: {sorted(seen)}"


@pytest.mark.parametrize("path", _case_paths(), ids=lambda p: p.stem)
def test_explain_reads_as_extract_does(path: Path) -> None:
    case = load_case(path)
    ex = explain_all(case.text, case.published, case.title)
    assert ex.incidents == extract_strict(case.text, case.published, case.title)
    reported = {k for c in ex.clauses if c.outcome is Outcome.REPORTED for k in c.incidents}
    # clauses number the incidents the rules found; the scorer then keeps some of them (ex.scored says which)
    found = [s.incident for s in ex.scored] if ex.scored else ex.incidents
    assert reported == set(range(len(found))), "every incident comes from a reported clause, and only those"
    assert [replace(s.incident, confidence=0) for s in ex.scored if s.kept] == [
        replace(i, confidence=0) for i in ex.incidents] or not ex.scored
    for c in ex.clauses:
        if c.outcome is Outcome.REJECTED:
            assert c.decided_by is not None and RULES[c.decided_by].rejects
        if c.end:  # a quote from the text (the separately given title has no offsets in it)
            assert case.text[c.start:c.end].strip() == c.quote


def test_stages_hold_their_rules() -> None:
    by_prefix = {"CL": Stage.CLAUSE, "AS": Stage.ASSERT, "BG": Stage.BACKGROUND, "EX": Stage.EXCLUSION,
                 "FX": Stage.FACTS, "DC": Stage.DISCOURSE, "MG": Stage.MERGE}
    for rid, rule in RULES.items():
        if rid.startswith("SP_"):
            assert rule.stage in (Stage.BACKGROUND, Stage.EXCLUSION) and not rule.rejects
        else:
            assert rule.stage is by_prefix[rid[:2]], rid


def test_each_stage_tries_its_rules_in_the_declared_order() -> None:
    from extractor.ar.reader import ASSERT, BACKGROUND, EXCLUSION
    from extractor.rules import stage_rules

    for stage in (ASSERT, BACKGROUND, EXCLUSION):
        registered = stage.ids()
        declared = [r.id for r in stage_rules(stage.stage)]
        assert registered == [i for i in declared if i in registered], stage.stage
        rejecting = [r.id for r in stage_rules(stage.stage) if r.rejects]
        assert set(rejecting) <= set(registered), f"{stage.stage}: declared but run by no registered rule"


def test_the_english_exclusion_tries_its_rules_in_the_declared_order() -> None:
    from extractor.en.clauses import LOOKS_BACK, SAYS, WHO
    from extractor.rules import stage_rules

    for stage, runs in ((Stage.EXCLUSION, (SAYS, WHO)), (Stage.BACKGROUND, (LOOKS_BACK,))):
        registered = [i for run in runs for i in run.ids()]
        declared = [r.id for r in stage_rules(stage, "en")]
        assert registered == [i for i in declared if i in registered], stage
        assert all(RULES[i].rejects or i.startswith("SP_") for i in registered), (
            f"{stage}: an English exclusion rule that neither rejects nor spares")


def test_each_rule_is_fired_by_the_reader_it_is_declared_for() -> None:
    for rid, rule in RULES.items():
        assert rule.lang in ("ar", "en"), rid
        assert ("_EN_" in rid) == (rule.lang == "en"), f"{rid}: an English rule's id carries EN, an Arabic one's not"
