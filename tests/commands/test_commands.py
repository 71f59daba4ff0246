"""`rasad poll --once` and `rasad replay` as scripts use them: output, JSON field names, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.incidents.feedgen import ASAD_ROCKETS, ASAD_ROCKETS_LATER, NOTHING, Item, rss

REPO = Path(__file__).resolve().parents[2]
INCIDENT_KEYS = {
    "id",
    "base",
    "country",
    "province",
    "target_kind",
    "date",
    "weapon",
    "count",
    "killed",
    "wounded",
    "claimed_by",
    "version",
    "reports",
    "sources",
    "alert",
    "status",
    "ladder",
    "attributions",
}
BASE_KEYS = {"id", "name_en", "name_ar", "country", "province_en", "province_ar", "lat", "lon"}


def rasad(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_poll_once_prints_new_incidents_then_nothing_new(tmp_path: Path) -> None:
    published = datetime(2024, 4, 23, 18, 0, tzinfo=UTC)
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        rss(
            [
                Item("صواريخ على عين الأسد", "https://news.example/asad", ASAD_ROCKETS, published, "1"),
                Item("الموازنة", "https://news.example/budget", NOTHING, published, "2"),
            ]
        )
    )
    cfg = tmp_path / "rasad.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "p.db"}"\n[polling]\nmax_age = "0"\n'
        f'[[feeds]]\nname = "Local"\nurl = "file:feed.xml"\n',
        encoding="utf-8",
    )
    first = rasad("poll", "--once", "--config", str(cfg))
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("NEW INCIDENT") == 1
    assert "عين الأسد" in first.stdout and "Ain al-Asad" in first.stdout
    assert "https://news.example/asad" in first.stdout
    assert "feed Local: ok; 2 new item(s), 2 article(s)" in first.stdout
    second = rasad("poll", "--once", "--config", str(cfg))
    assert second.returncode == 0 and "NEW INCIDENT" not in second.stdout


def test_replay_json_merges_two_outlets_into_one_incident(tmp_path: Path) -> None:
    lines = [
        {
            "id": "b",
            "url": "https://b.example/2",
            "title": "",
            "published": "2024-04-24T08:00:00Z",
            "text": ASAD_ROCKETS_LATER,
            "source": "Outlet B",
        },
        {"id": "a", "url": "https://a.example/1", "title": "", "published": "2024-04-23", "text": ASAD_ROCKETS},
        {"id": "n", "url": "https://a.example/n", "title": "", "published": "2024-04-23", "text": NOTHING},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    out = rasad("replay", "--json", str(path))
    assert out.returncode == 0, out.stderr
    incidents = json.loads(out.stdout)["incidents"]
    assert len(incidents) == 1
    inc = incidents[0]
    assert set(inc) == INCIDENT_KEYS and set(inc["base"]) == BASE_KEYS and set(inc["alert"]) == {"ar", "en"}
    assert inc["reports"] == ["a", "b"]  # publication order
    assert inc["sources"] == ["https://a.example/1", "https://b.example/2"]
    assert inc["version"] == 2 and inc["claimed_by"] == "Islamic Resistance in Iraq"
    # a.example reports it; b.example quotes a coalition official: confirmed, with the time of each level
    rungs = [(r["status"], r["at"][:10]) for r in inc["ladder"]]
    assert rungs == [("reported", "2024-04-23"), ("confirmed", "2024-04-24")]
    assert inc["status"] == "confirmed"
    assert (inc["base"]["id"], inc["weapon"], inc["count"]) == ("IQ-ASAD", "rocket", 3)


def test_replay_reports_every_bad_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": 1, "text": "x"}\nnot json\n[1]\n{"id": 2, "text": "x", "published": "soon"}\n', encoding="utf-8"
    )
    out = rasad("replay", str(path))
    assert out.returncode == 2
    for n in (1, 2, 3, 4):
        assert f"line {n}:" in out.stderr
    assert "Traceback" not in out.stderr


def test_replay_from_stdin_without_json_prints_alerts(tmp_path: Path) -> None:
    line = json.dumps(
        {"id": "a", "url": "https://a.example/1", "published": "2024-04-23", "text": ASAD_ROCKETS}, ensure_ascii=False
    )
    out = rasad("replay", "-", stdin=line + "\n")
    assert out.returncode == 0, out.stderr
    assert "NEW INCIDENT" in out.stdout
