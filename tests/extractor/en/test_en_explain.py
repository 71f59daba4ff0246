"""explain() on English text (issue 14): each clause of an English article with the English reader's rules fired
on it in order and what came of it, the same incidents as extract, and `rasad extract --explain` on English."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from extractor import explain, extract, extract_strict
from extractor.explanation import explain_all, format_traces
from extractor.rule_ids import RuleId
from extractor.trace import Outcome

PUB = date(2024, 3, 6)  # a Wednesday
REPO = Path(__file__).resolve().parents[3]
# our own words, in wire style: a report, its toll in the next sentence, and a look back at an old attack
ARTICLE = ("Three rockets struck Ain al-Asad, the Anbar air base, on Tuesday, a U.S. official said. "
           "Two service members suffered minor injuries. "
           "A drone attack on Tower 22 in Jordan on Jan. 28 killed three soldiers.")


def test_each_english_clause_says_what_came_of_it_and_which_rule_decided() -> None:
    clauses = explain(ARTICLE, PUB)
    assert [(c.sentence, c.outcome, c.decided_by, c.incidents) for c in clauses] == [
        (0, Outcome.REPORTED, None, (0,)),
        (1, Outcome.FACTS, RuleId.DC_EN_FOLLOW_UP, (0,)),
        (2, Outcome.REJECTED, RuleId.BG_EN_OLD_DATE, ()),
    ]
    assert clauses[0].rules == (RuleId.FX_EN_DATE, RuleId.FX_EN_WEAPON, RuleId.FX_EN_COUNT)
    assert clauses[0].mentions[0].place_id == "IQ-ASAD" and clauses[0].mentions[0].count == 3
    assert clauses[2].mentions[0].place_id == "JO-T22" and clauses[2].mentions[0].excluded is RuleId.BG_EN_OLD_DATE
    for c in clauses:
        assert ARTICLE[c.start:c.end] == c.quote


def test_english_explain_and_extract_give_the_same_incidents() -> None:
    assert explain_all(ARTICLE, PUB).incidents == extract_strict(ARTICLE, PUB) == extract(ARTICLE, PUB)
    assert [i.wounded for i in extract(ARTICLE, PUB)] == [2]


def test_an_english_title_given_apart_has_no_offsets_in_the_text() -> None:
    title = "Rockets hit Ain al-Asad air base"
    clauses = explain(ARTICLE, PUB, title)
    assert (clauses[0].start, clauses[0].end, clauses[0].quote) == (0, 0, title)
    for c in clauses[1:]:
        assert ARTICLE[c.start:c.end] == c.quote


def test_an_english_article_with_no_attack_word_says_so() -> None:
    (clause,) = explain("The cabinet met on Tuesday and discussed the electricity budget.", PUB)
    assert (clause.outcome, clause.decided_by) == (Outcome.NOT_A_REPORT, RuleId.CL_EN_NO_ATTACK_WORD)


def test_a_us_strike_is_rejected_by_its_rule_and_a_trap_says_why() -> None:
    text = "U.S. warplanes struck militia sites near al-Tanf garrison on Tuesday, the Pentagon said."
    (clause,) = explain(text, PUB)
    assert (clause.outcome, clause.decided_by) == (Outcome.REJECTED, RuleId.EX_EN_US_STRIKE)
    assert extract(text, PUB) == []


def test_the_printed_english_trace_is_in_both_scripts() -> None:
    ex = explain_all(ARTICLE, PUB)
    out = format_traces(ex.clauses, ex.incidents)
    assert "BG_EN_OLD_DATE" in out and "rejected | مستبعد" in out and "reported | بلاغ عن هجوم" in out
    assert "Ain al-Asad Air Base | قاعدة عين الأسد الجوية" in out


def test_rasad_extract_explain_on_english(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Rockets hit Ain al-Asad air base\n" + ARTICLE + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot", "extract", "--published", "2024-03-06", "--explain", str(art)],
                         capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert "FX_EN_COUNT" in out.stdout and "DC_EN_FOLLOW_UP" in out.stdout and "BG_EN_OLD_DATE" in out.stdout
    assert "=> reported | بلاغ عن هجوم  → incident #1" in out.stdout
    assert "incidents | الحوادث: 1" in out.stdout


def test_english_quotes_keep_their_offsets_around_zero_width_characters() -> None:
    # web copy carries zero-width spaces and byte-order marks; the English reader's offsets are the text's own
    text = "\ufeffA drone\u200b struck Harir air base on Tuesday. " + ARTICLE
    clauses = explain(text, PUB)
    assert [c.outcome for c in clauses][:2] == [Outcome.REPORTED, Outcome.REPORTED]
    assert clauses[1].quote == ARTICLE[:ARTICLE.index(" Two")]
    for c in clauses:
        assert text[c.start:c.end].strip() == c.quote, c.quote
