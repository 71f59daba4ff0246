"""explain(): the path of every clause (rules fired in order, outcome), and `rasad extract --explain`."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from extractor import explain, extract, extract_strict
from extractor.explanation import ExtractionError, explain_all, format_traces
from extractor.rule_ids import RuleId
from extractor.trace import Outcome

PUB = date(2024, 3, 6)
REPO = Path(__file__).resolve().parents[2]
ARTICLE = ("استهدفت طائرة مسيرة قاعدة حرير فجر اليوم. وأصيب جنديان بجروح طفيفة. "
           "وكانت قاعدة عين الأسد قد تعرضت لقصف صاروخي في 8 كانون الثاني 2020.")


def test_each_clause_says_what_came_of_it_and_which_rule_decided() -> None:
    clauses = explain(ARTICLE, PUB)
    assert [(c.sentence, c.outcome, c.decided_by, c.incidents) for c in clauses] == [
        (0, Outcome.REPORTED, None, (0,)),
        (1, Outcome.FACTS, RuleId.DC_FACTS, (0,)),
        (2, Outcome.REJECTED, RuleId.BG_OLD_DATE, ()),
    ]
    assert clauses[0].rules[0] is RuleId.SP_RECENT_DATE and RuleId.DC_FACTS in clauses[0].rules
    assert clauses[2].mentions[0].place_id == "IQ-ASAD" and clauses[2].mentions[0].excluded is RuleId.BG_OLD_DATE
    for c in clauses:
        assert ARTICLE[c.start:c.end] == c.quote


def test_rules_are_listed_in_the_order_they_fired() -> None:
    text = "قصفت الفصائل قاعدة التنف اليوم في رد سريع على غارات أمريكية استهدفت مقراتها."
    (clause,) = [c for c in explain(text, PUB) if c.mentions]
    assert clause.rules.index(RuleId.SP_RECENT_DATE) < clause.rules.index(RuleId.SP_RESPONSE)
    assert clause.outcome is Outcome.REPORTED


def test_an_article_with_no_attack_word_says_so() -> None:
    (clause,) = explain("عقد مجلس الوزراء جلسته الأسبوعية وناقش ملف الكهرباء.", PUB)
    assert (clause.outcome, clause.decided_by) == (Outcome.NOT_A_REPORT, RuleId.CL_NO_ATTACK_WORD)


def test_a_title_given_apart_has_no_offsets_in_the_text() -> None:
    title = "هجوم بطائرة مسيرة على قاعدة حرير"
    clauses = explain("استهدفت طائرة مسيرة قاعدة حرير فجر اليوم.", PUB, title)
    assert (clauses[0].start, clauses[0].end, clauses[0].quote) == (0, 0, title)
    assert RuleId.CL_HEADING in clauses[0].rules


def test_explain_and_extract_give_the_same_incidents() -> None:
    assert explain_all(ARTICLE, PUB).incidents == extract_strict(ARTICLE, PUB) == extract(ARTICLE, PUB)


def test_a_crash_is_raised_by_the_strict_entry_point_and_swallowed_by_the_forgiving_one() -> None:
    text = "استهدفت طائرة مسيرة قاعدة حرير أمس."
    with pytest.raises(ExtractionError) as err:
        extract_strict(text, None)  # type: ignore[arg-type]  # a date the reader cannot subtract from
    assert err.value.where.startswith("dates.py:") and isinstance(err.value.__cause__, TypeError)
    assert extract(text, None) == []  # type: ignore[arg-type]


def test_a_crash_in_a_language_package_names_its_file_in_the_package() -> None:
    # the readers live in extractor/ar/ and extractor/en/ (issue 14): the crash's place keeps the package path
    with pytest.raises(ExtractionError) as err:
        extract_strict("Three rockets struck Ain al-Asad air base on Tuesday.", None)  # type: ignore[arg-type]
    assert err.value.where.startswith("en/dates.py:"), err.value.where


def test_the_printed_trace_is_in_both_scripts() -> None:
    ex = explain_all(ARTICLE, PUB)
    out = format_traces(ex.clauses, ex.incidents)
    assert "BG_OLD_DATE" in out and "rejected | مستبعد" in out and "reported | بلاغ عن هجوم" in out
    assert "dated more than a week before publication | مؤرخ بأكثر من أسبوع قبل النشر" in out
    assert "Harir Air Base | قاعدة حرير" in out


def test_rasad_extract_explain(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("هجوم بمسيرة على قاعدة حرير\n" + ARTICLE + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot", "extract", "--published", "2024-03-06", "--explain", str(art)],
                         capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert "[title] هجوم بمسيرة على قاعدة حرير" in out.stdout and "CL_HEADING" in out.stdout
    assert "by BG_OLD_DATE" in out.stdout and "incidents | الحوادث: 1" in out.stdout
