"""Runs every English case in tests/extractor/en/cases/ (same format and rules as tests/extractor/cases/):
TOML front matter between `+++` lines with `[[expect]]` tables, then the article; no `[[expect]]` is a trap."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/extractor: the shared case runner
from ex_scoring import compare, load_case

from extractor import extract_strict
from extractor.explanation import explain_all
from extractor.rule_ids import RuleId
from extractor.rule_ids import RuleId as R
from extractor.trace import Outcome

CASES = Path(__file__).resolve().parent / "cases"


# For each English trap, the rules that decide every clause holding a cue ("no attack word" and follow-up facts
# aside), as for the Arabic traps (tests/extractor/test_cases.py): a change that rejects a trap for another
# reason shows here.
EN_TRAP_RULES: dict[str, set[RuleId]] = {
    "101_trap_us_strikes_and_tally.txt": {R.BG_EN_CUE, R.CL_EN_NO_TARGET},
    "102_trap_old_attack_in_briefing.txt": {R.BG_EN_CUE, R.BG_EN_OLD_DATE},
    "103_trap_threat_to_resume.txt": {R.CL_EN_NO_TARGET, R.EX_EN_THREAT},
    "104_trap_drill_and_accident.txt": {R.EX_EN_DRILL},
    "105_trap_other_forces.txt": {R.CL_EN_NO_TARGET},
    "106_trap_red_sea_ships.txt": {R.CL_EN_NO_TARGET, R.EX_EN_AT_SEA},
    "107_trap_anniversary.txt": {R.BG_EN_CUE, R.BG_EN_OTHER_STORY},
    "108_trap_us_strike_kills_commander.txt": {R.CL_EN_NO_TARGET, R.EX_EN_THREAT},
    "109_trap_iran_missiles_at_israel.txt": {R.CL_EN_NO_TARGET},
    "110_trap_jordan_air_defence.txt": {R.CL_EN_NO_TARGET},
    "111_trap_rocket_on_iraqi_army.txt": {R.CL_EN_NO_TARGET},
    "112_trap_links_to_other_stories.txt": set(),  # the linked headlines are page furniture, never read
    "113_trap_court_and_pause.txt": {R.BG_EN_EARLIER_YEAR, R.CL_EN_NO_TARGET},
    "114_trap_tbi_figures_for_old_attack.txt": {R.BG_EN_OLD_DATE, R.CL_EN_NO_TARGET},
    "115_trap_generic_talk_of_attacks.txt": {R.EX_EN_AT_ISRAEL, R.EX_EN_THREAT},
    "116_rule_trap_strikes_denials_and_elsewhere.txt": {
        R.CL_EN_NOT_AN_ATTACK, R.CL_EN_NO_TARGET, R.EX_EN_DENIED, R.EX_EN_OTHER_FORCES, R.EX_EN_US_STRIKE,
        R.MG_EN_BEYOND_REGION, R.MG_EN_OLD_DATE},
    "120_trap_dissidents_and_vague_earlier_attacks.txt": {R.BG_EN_CUE, R.EX_EN_OTHER_FORCES},
    "125_trap_camp_located_near_tower22.txt": {R.BG_EN_OLD_DATE, R.CL_EN_LOCATOR_ONLY},
    "133_trap_latest_attack_behind_us_strikes.txt": {R.BG_EN_OTHER_STORY, R.EX_EN_US_STRIKE},
    "153_trap_hit_by_a_truck.txt": {R.CL_EN_NOT_AN_ATTACK, R.CL_EN_NO_TARGET},
    "161_trap_coalition_denies_reported_rockets.txt": {R.EX_EN_DENIED},
    "164_trap_us_forces_on_friday_conducted_strikes.txt": {
        R.BG_EN_OTHER_STORY, R.CL_EN_NO_TARGET, R.EX_EN_US_STRIKE},
    "176_trap_this_base_was_attacked_earlier.txt": {R.BG_EN_OTHER_STORY, R.CL_EN_NO_TARGET},
    "178_trap_no_convoy_was_targeted.txt": {R.CL_EN_NO_TARGET, R.EX_EN_DENIED},
    "180_trap_militia_depot_blows_up_by_base.txt": {R.CL_EN_NO_TARGET, R.EX_EN_DEPOT_BLAST, R.EX_EN_OTHER_FORCES},
    "189_trap_targeted_site_lies_near_base.txt": {R.CL_EN_LOCATOR_ONLY, R.CL_EN_NO_TARGET},
    "205_trap_played_down_reports_and_look_back.txt": {R.BG_EN_CUE, R.CL_EN_NO_TARGET, R.EX_EN_DENIED},
    "207_trap_implicated_in_numerous_attacks.txt": {R.BG_EN_CUE},
    "213_falsely_claimed_attack.txt": {R.EX_EN_DENIED},
    "218_bare_count_goes_on_with_look_back.txt": {
        R.BG_EN_OLD_DATE, R.DC_EN_LOOK_BACK_GOES_ON, R.BG_EN_HEADLINE_LOOK_BACK},
    "220_trap_refutes_reports_of_attack.txt": {R.EX_EN_DENIED},
    "224_trap_regular_attacks.txt": {R.BG_EN_CUE},
    "225_trap_strikes_follow_an_attack.txt": {R.BG_EN_CUE, R.CL_EN_NO_TARGET},
    "227_trap_surveillance_drone_downed.txt": {R.DC_EN_RECON_DRONE},
    "229_trap_confirmed_day_is_not_the_attack_day.txt": {R.MG_EN_OLD_DATE},
    "234_trap_relayed_report_denied.txt": {R.EX_EN_RELAYED_DENIED, R.CL_EN_NO_TARGET},
    "238_trap_injuries_rise_as_attacks_continue.txt": {R.BG_EN_CUE},
    "241_trap_days_earlier_recap.txt": {R.BG_EN_CUE},
    "242_trap_drones_launched_from_the_us_base.txt": {R.CL_EN_NO_TARGET},
    "247_trap_russian_general_convoy.txt": {R.CL_EN_NO_TARGET},
    "252_trap_hit_in_the_past_week.txt": {R.BG_EN_CUE, R.CL_EN_NO_TARGET},
}


def _paths() -> list[Path]:
    return sorted(CASES.glob("*.txt"))


def test_there_are_cases_and_traps() -> None:
    cases = [load_case(p) for p in _paths()]
    assert len([c for c in cases if c.expect]) >= 5
    assert len([c for c in cases if not c.expect]) >= 5


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.stem)
def test_en_case(path: Path) -> None:
    case = load_case(path)
    problems = compare(case, extract_strict(case.text, case.published, case.title, lang="en"))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def _trap_paths() -> list[Path]:
    return [p for p in _paths() if not load_case(p).expect]


def test_every_trap_has_its_rules_named() -> None:
    assert {p.name for p in _trap_paths()} == set(EN_TRAP_RULES)


@pytest.mark.parametrize("path", _trap_paths(), ids=lambda p: p.stem)
def test_en_trap_is_left_out_by_the_rules_named(path: Path) -> None:
    case = load_case(path)
    clauses = explain_all(case.text, case.published, case.title, lang="en").clauses
    deciding = {c.decided_by for c in clauses if c.outcome is not Outcome.REPORTED and c.decided_by is not None
                and c.decided_by not in (RuleId.CL_EN_NO_ATTACK_WORD, RuleId.DC_EN_FOLLOW_UP)}
    assert deciding == EN_TRAP_RULES[path.name]
