"""`rasad eval` end to end: on the small labelled set in tests/evaluation/data (articles written for these
tests), and on ../shared/corpus/dev with the figures the README states."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GOLD = DATA / "gold.jsonl"
TEXTS = DATA / "texts"
REPO = HERE.parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev"
HARIR_SENTENCE = "ذكرت مصادر كردية أن طائرة مسيرة مفخخة استهدفت ليل الأحد قاعدة حرير العسكرية"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["eval", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = _run(capsys, "--json", *argv)
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_json_result_on_the_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    r = _json(capsys, str(GOLD), str(TEXTS))
    assert r["version"] == 1 and r["articles"] == 6
    assert r["missing_texts"] == [{"id": "ev04_no_text", "reason": f"no file {TEXTS / 'ev04_no_text.txt'}"}]
    assert r["warnings"] == []
    ar = r["by_lang"]["ar"]  # English has no reader yet: its figures are not asserted
    assert (ar["tp"], ar["fp"], ar["fn"]) == (4, 1, 1)
    assert (ar["precision"], ar["recall"], ar["f1"]) == (0.8, 0.8, 0.8)
    for key in ("country", "count", "killed", "wounded", "claimed_by"):
        assert ar["fields"][key] == {"right": 4, "of": 4, "accuracy": 1.0}, key
    assert set(r["by_lang"]) == {"ar", "en"}
    per = {a["id"]: a for a in r["per_article"]}
    assert [a["id"] for a in r["per_article"]] == [
        "ev01_asad_rockets", "ev02_tanf_omar", "ev03_trap_us_strikes", "ev05_harir_drone",
        "ev06_asad_second_outlet", "ev07_en_asad",
    ]
    assert (per["ev02_tanf_omar"]["tp"], per["ev03_trap_us_strikes"]["fp"]) == (2, 0)
    harir = per["ev05_harir_drone"]
    assert harir["missed"] == [
        {"cluster": "2023-11-19-erbil-airport", "base": "IQ-EBL", "country": "iraq", "date": "2023-11-19",
         "weapon": "drone"}
    ]
    (false,) = harir["false"]
    assert false["base"] == "IQ-HARIR" and any(HARIR_SENTENCE in e for e in false["evidence"])
    assert r["replay"] is None


def test_split_scores_only_that_part(capsys: pytest.CaptureFixture[str]) -> None:
    r = _json(capsys, "--split", "blind", "--replay", str(GOLD), str(TEXTS))
    assert r["split"] == "blind" and r["articles"] == 2 and r["missing_texts"] == []
    assert [a["id"] for a in r["per_article"]] == ["ev05_harir_drone", "ev06_asad_second_outlet"]
    assert (r["extract"]["tp"], r["extract"]["fp"], r["extract"]["fn"]) == (1, 1, 1)
    assert (r["replay"]["alerts"], r["replay"]["correct"], r["replay"]["false"]) == (2, 1, 1)
    code, out, err = _run(capsys, "--split", "holdout", str(GOLD), str(TEXTS))
    assert code == 2 and out == ""
    assert "no article has split 'holdout' (splits: blind, dev)" in err


def test_json_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    code, first, _ = _run(capsys, "--json", str(GOLD), str(TEXTS))
    code2, second, _ = _run(capsys, "--json", str(GOLD), str(TEXTS))
    assert code == code2 == 0 and first == second
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_replay_scores_what_a_subscriber_receives(capsys: pytest.CaptureFixture[str]) -> None:
    r = _json(capsys, "--replay", str(GOLD), str(TEXTS))["replay"]
    # ev01 and ev06 report one attack through two outlets: one alert; ev05's label names another base.
    keys = ("alerts", "correct", "duplicate", "false", "optional", "attacks", "alerted", "missed")
    assert {k: r[k] for k in keys} == {
        "alerts": 4, "correct": 3, "duplicate": 0, "false": 1, "optional": 0, "attacks": 4, "alerted": 3, "missed": 1,
    }
    assert r["missed_attacks"] == ["2023-11-19-erbil-airport"]
    (false,) = r["false_alerts"]
    assert false["base"] == "IQ-HARIR" and any(HARIR_SENTENCE in e for e in false["evidence"])
    assert (r["precision"], r["recall"]) == (0.75, 0.75)


def test_verbose_prints_each_miss_and_false_report_with_its_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "-v", "--replay", str(GOLD), str(TEXTS))
    assert code == 0
    assert "6 article(s) scored, 1 text(s) missing" in out
    assert "  ar: precision 0.800  recall 0.800  F1 0.800  (tp 4, fp 1, fn 1)" in out
    assert "missing text: ev04_no_text: no file" in out
    assert "  missed: IQ-EBL (iraq) 2023-11-19 drone [cluster 2023-11-19-erbil-airport]" in out
    assert "  false: IQ-HARIR (iraq)" in out
    assert f"      evidence: {HARIR_SENTENCE}" in out
    assert "replay: 4 alert(s): 3 correct, 0 duplicate, 1 false; 3 of 4 attack(s) alerted, 1 missed" in out
    assert "replay missed: 2023-11-19-erbil-airport" in out
    assert "  extractor.explain:" in out  # the trace under each article with a miss or a false report
    code, quiet, _ = _run(capsys, str(GOLD), str(TEXTS))
    assert code == 0 and "evidence:" not in quiet and "missed:" not in quiet


def test_verbose_shows_the_rules_that_read_each_clause(capsys: pytest.CaptureFixture[str]) -> None:
    """Under a false report, -v shows the clause it came from and the rules fired on it, by id and gloss."""
    code, out, _ = _run(capsys, "-v", str(GOLD), str(TEXTS))
    assert code == 0
    trace = out.split("  false: IQ-HARIR (iraq)", 1)[1].split("extractor.explain:", 1)[1]
    assert HARIR_SENTENCE in trace
    assert re.search(r"^\s+FX_[A-Z_]+\s+facts\s", trace, re.MULTILINE)
    quiet = _run(capsys, str(GOLD), str(TEXTS))[1]
    assert "extractor.explain" not in quiet


@pytest.mark.parametrize(
    ("gold_text", "texts", "message"),
    [
        ('{"id": "a", "lang": "ar", "published": "2024-01-01", "incidents": [{"cluster": "c"}]}\n', True,
         "line 1: incidents[0].base: missing"),
        ('{"id": "a", "lang": "ar", "published": "2024-01-01", "incidents": []}\n', False, "not a folder"),
        ('{"id": "none_here", "lang": "ar", "published": "2024-01-01", "incidents": []}\n', True,
         "none of the 1 gold article(s) has a text here"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, gold_text: str, texts: bool, message: str
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_text, encoding="utf-8")
    folder = TEXTS if texts else tmp_path / "absent"
    code, out, err = _run(capsys, str(gold), str(folder))
    assert code == 2 and out == ""
    assert message in err


def test_a_missing_gold_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "nope.jsonl"), str(TEXTS))
    assert code == 2 and "cannot read" in err


def test_the_dev_corpus_scores_as_the_readme_says() -> None:
    if not (DEV / "gold.jsonl").exists():
        pytest.skip(f"shared dev corpus not found at {DEV}")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "eval", "--json", "--replay", str(DEV / "gold.jsonl"), str(DEV)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["articles"] == 5 and r["missing_texts"] == [] and r["warnings"] == []
    e = r["extract"]
    assert (e["tp"], e["fp"], e["fn"]) == (10, 0, 0)
    assert (e["precision"], e["recall"], e["f1"]) == (1.0, 1.0, 1.0)
    for key in ("country", "count", "killed", "wounded"):
        assert e["fields"][key]["accuracy"] == 1.0, key
    rp = r["replay"]
    # 7 labelled attacks; Green Village and al-Omar (one gazetteer place) may share an alert: 6 alerts, none missed.
    assert {k: rp[k] for k in ("alerts", "correct", "duplicate", "false", "missed", "attacks", "alerted")} == {
        "alerts": 6, "correct": 6, "duplicate": 0, "false": 0, "missed": 0, "attacks": 7, "alerted": 7,
    }
