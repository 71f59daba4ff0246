"""Replay of ../shared/corpus/dev through extraction and merge: each attack one incident, none false or missed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.incidents.decide import weapons_agree
from extractor.gazetteer import gazetteer

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


def _clusters(golds: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for g in golds:
        for inc in g["incidents"]:  # type: ignore[attr-defined]
            out.setdefault(inc["cluster"], inc)
    return out


def _optional(golds: list[dict[str, object]]) -> list[dict[str, object]]:
    return [o for g in golds for o in g.get("optional", [])]  # type: ignore[attr-defined]


def _matches(inc: dict[str, object], gold: dict[str, object]) -> bool:
    place = gazetteer().lookup(str(gold["base"])) if gold.get("base") else None
    base = inc["base"]
    if (base["id"] if isinstance(base, dict) else None) != (place.id if place else None):
        return False
    d1, d2 = inc.get("date"), gold.get("date")
    if d1 and d2 and abs((date.fromisoformat(str(d1)) - date.fromisoformat(str(d2))).days) > 1:
        return False
    return weapons_agree(str(inc["weapon"]), str(gold.get("weapon") or "unknown"))


def test_replay_of_the_dev_corpus(tmp_path: Path) -> None:
    if not (DEV / "gold.jsonl").exists():
        pytest.skip(f"shared dev corpus not found at {DEV}")
    path, golds = _jsonl(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "replay", "--json", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    incidents = json.loads(out.stdout)["incidents"]
    clusters = _clusters(golds)
    optional = _optional(golds)
    # Each gold cluster is a group, except the either-way pair: one group that may hold one or two incidents.
    group_of = {c: c for c in clusters}
    allowed = dict.fromkeys(clusters, 1)
    for pair in EITHER_WAY:
        name = "+".join(sorted(pair))
        for c in pair:
            group_of[c] = name
        allowed[name] = 2
    alerted: dict[str, int] = {}
    false = []
    for inc in incidents:
        groups = {group_of[c] for c, g in clusters.items() if _matches(inc, g)}
        if not groups:
            if not any(_matches(inc, o) for o in optional):
                false.append(inc)
            continue
        assert len(groups) == 1, f"incident {inc['id']} matches several attacks: {groups}"
        group = groups.pop()
        alerted[group] = alerted.get(group, 0) + 1
        assert inc["alert"]["ar"] and inc["alert"]["en"] and inc["sources"]
    missed = [g for g in set(group_of.values()) if g not in alerted]
    duplicate = {g: n for g, n in alerted.items() if n > allowed.get(g, 1)}
    print(
        f"\nreplay: {len(incidents)} alerts, {len(alerted)} of {len(set(group_of.values()))} attack groups alerted, "
        f"{len(duplicate)} duplicated, {len(false)} false, {len(missed)} missed"
    )
    assert not false, false
    assert not missed, missed
    assert not duplicate, duplicate
    rumalan = [i for i in incidents if i["base"] and i["base"]["id"] == "SY-RLZ"]
    assert len(rumalan) == 1 and len(rumalan[0]["reports"]) == 3  # three outlets, one alert
