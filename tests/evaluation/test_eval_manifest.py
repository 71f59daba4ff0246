"""`rasad eval` reads where each article came from (the corpus manifest), so that a replay tells outlets apart
as the service does, and scores several gold files (the Arabic and English parts) as one corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.evaluation.gold import parse_gold
from bot.evaluation.manifest import find_manifest, read_manifest, with_sources

DATA = Path(__file__).resolve().parent / "data"
TEXTS = DATA / "texts"
ASAD = ("ev01_asad_rockets", "ev06_asad_second_outlet", "ev07_en_asad")  # one attack, three articles


def _levels(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main(["eval", "--json", "--replay", *argv])
    out = capsys.readouterr()
    assert code == 0, out.err
    levels: dict[str, Any] = json.loads(out.out)["replay"]["levels"]
    return levels


def _gold_with(tmp_path: Path, hosts: dict[str, str]) -> Path:
    """The test gold's Asad articles in a folder of their own, with a manifest giving each a link on `hosts`."""
    every = (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in every if json.loads(ln)["id"] in ASAD]
    gold = tmp_path / "ar" / "gold.jsonl"
    gold.parent.mkdir()
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = [{"id": i, "url": f"https://{hosts[i]}/news/{n}", "outlet": hosts[i]} for n, i in enumerate(ASAD)]
    (tmp_path / "sources.jsonl").write_text("\n".join(json.dumps(m) for m in manifest) + "\n", encoding="utf-8")
    return gold


def test_without_links_each_article_is_its_own_outlet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gold = _gold_with(tmp_path, dict.fromkeys(ASAD, "x.example"))
    (tmp_path / "sources.jsonl").unlink()
    assert _levels(capsys, str(gold), str(TEXTS))["corroborated"]["alerts"] == 1


def test_three_stories_of_one_site_are_one_outlet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # www., an English edition and the bare domain: one registered domain, one voice
    gold = _gold_with(tmp_path, dict(zip(ASAD, ("www.a.example", "a.example", "english.a.example"), strict=True)))
    levels = _levels(capsys, str(gold), str(TEXTS))
    assert (levels["reported"]["alerts"], levels["corroborated"]["alerts"]) == (1, 0)


def test_two_sites_corroborate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gold = _gold_with(tmp_path, dict(zip(ASAD, ("a.example", "a.example", "b.example"), strict=True)))
    assert _levels(capsys, str(gold), str(TEXTS))["corroborated"]["correct"] == 1


def test_an_explicit_manifest_wins(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gold = _gold_with(tmp_path, dict(zip(ASAD, ("a.example", "b.example", "c.example"), strict=True)))
    one_site = tmp_path / "one.jsonl"
    one_site.write_text("".join(json.dumps({"id": i, "url": f"https://z.example/{i}"}) + "\n" for i in ASAD))
    assert _levels(capsys, "--sources", str(one_site), str(gold), str(TEXTS))["corroborated"]["alerts"] == 0


def test_a_link_in_the_gold_line_is_kept() -> None:
    gold = parse_gold(
        '{"id": "a", "lang": "ar", "published": "2024-01-01", "incidents": [], "url": "https://own.example/1"}\n'
        '{"id": "b", "lang": "ar", "published": "2024-01-01", "incidents": []}\n'
    )
    got = with_sources(gold.articles, {"a": ("https://m.example/a", "M"), "b": ("https://m.example/b", "M")})
    assert [(a.url, a.outlet) for a in got] == [("https://own.example/1", "M"), ("https://m.example/b", "M")]


def test_manifest_lookup_and_reading(tmp_path: Path) -> None:
    (tmp_path / "ar").mkdir()
    assert find_manifest(tmp_path / "ar" / "gold.jsonl") is None
    (tmp_path / "sources.jsonl").write_text('{"id": "x", "url": "https://s.example/x"}\nnot json\n[1]\n')
    assert find_manifest(tmp_path / "ar" / "gold.jsonl") == (tmp_path / "sources.jsonl").resolve()
    assert read_manifest(tmp_path / "sources.jsonl") == {"x": ("https://s.example/x", None)}


def test_several_gold_files_are_one_corpus(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    ar, en = tmp_path / "ar.jsonl", tmp_path / "en.jsonl"
    ar.write_text("\n".join(ln for ln in lines if json.loads(ln)["lang"] == "ar") + "\n", encoding="utf-8")
    en.write_text("\n".join(ln for ln in lines if json.loads(ln)["lang"] == "en") + "\n", encoding="utf-8")
    assert main(["eval", "--json", "--replay", str(ar), str(en), str(TEXTS)]) == 0
    both = json.loads(capsys.readouterr().out)
    assert main(["eval", "--json", "--replay", str(DATA / "gold.jsonl"), str(TEXTS)]) == 0
    one = json.loads(capsys.readouterr().out)
    assert both["articles"] == one["articles"] == 6 and both["replay"] == one["replay"]
    # the same id in two files is refused, as within one file
    assert main(["eval", str(ar), str(ar), str(TEXTS)]) == 2
    assert "already used in" in capsys.readouterr().err


def test_verbose_says_how_far_each_false_alert_reached(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "-v", "--replay", str(DATA / "gold.jsonl"), str(TEXTS)]) == 0
    out = capsys.readouterr().out
    assert "replay false: alert 4 (from ev05_harir_drone): IQ-HARIR (iraq) 2023-11-19 drone; reached reported" in out
    levels = _levels(capsys, str(DATA / "gold.jsonl"), str(TEXTS))
    assert {k: levels["reported"][k] for k in ("alerts", "correct", "false", "optional")} == {
        "alerts": 4, "correct": 3, "false": 1, "optional": 0,
    }
