"""Replay of ../shared/corpus/dev through extraction and merge: each attack one incident, none false or missed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.evaluation.gold import load_gold
from bot.evaluation.replay import alert_of
from bot.evaluation.score import groups_of, score_alerts

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "corpus" / "dev"
# The gold README accepts either grouping of these two clusters (Green Village lies in the al-Omar field).
EITHER_WAY = {frozenset({"2022-01-05-green-village", "2022-01-05-al-omar"})}


def _jsonl(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    golds = [json.loads(line) for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
    lines = []
    for g in golds:
        text = (DEV / f"{g['id']}.txt").read_text("utf-8")
        title, _, body = text.partition("\n")
        lines.append(
            json.dumps(
                {
                    "id": g["id"],
                    "url": f"https://dev.example/{g['id']}",
                    "title": title,
                    "published": g["published"],
                    "text": body,
                    "source": f"outlet-{g['id'][:3]}",
                },
                ensure_ascii=False,
            )
        )
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, golds


def test_replay_of_the_dev_corpus(tmp_path: Path) -> None:
    if not (DEV / "gold.jsonl").exists():
        pytest.skip(f"shared dev corpus not found at {DEV}")
    path, _ = _jsonl(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "replay", "--json", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    incidents = json.loads(out.stdout)["incidents"]
    gold = load_gold(DEV / "gold.jsonl").articles
    # Each gold cluster is a group, except the either-way pair: one group that may hold one or two incidents.
    groups = groups_of([i.expected() for g in gold for i in g.incidents], EITHER_WAY)
    optional = [i.expected() for g in gold for i in g.optional]
    r = score_alerts([alert_of(inc) for inc in incidents], groups, optional)
    for inc in incidents:
        assert inc["alert"]["ar"] and inc["alert"]["en"] and inc["sources"]
    print(
        f"\nreplay: {r.alerts} alerts, {len(r.alerted)} of {r.groups} attack groups alerted, "
        f"{r.duplicate} duplicated, {r.false} false, {len(r.missed)} missed"
    )
    assert not r.false_alerts, r.false_alerts
    assert not r.missed, r.missed
    assert not r.duplicate_alerts, r.duplicate_alerts
    rumalan = [i for i in incidents if i["base"] and i["base"]["id"] == "SY-RLZ"]
    assert len(rumalan) == 1 and len(rumalan[0]["reports"]) == 3  # three outlets, one alert
