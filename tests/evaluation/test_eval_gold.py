"""Gold files are checked before scoring: every problem named by its line and key; extra keys accepted."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.evaluation.gold import GoldError, parse_gold

GOOD: dict[str, Any] = {
    "id": "a1",
    "lang": "ar",
    "published": "2024-04-22",
    "incidents": [
        {
            "cluster": "2024-04-21-rumalan", "base": "Rumalan", "country": "syria", "date": "2024-04-21",
            "weapon": "rocket", "count": 5, "killed": 0, "wounded": 0, "claimed_by": None, "launch_site": "Zummar",
        }
    ],
    "optional": [{"cluster": "x", "base": "Baghdad Airport", "country": "iraq", "date": "2024-04-20",
                  "weapon": "unknown"}],
    "not_incidents": ["a US strike"],
    "notes": "",
}


def _line(**changes: object) -> str:
    obj = {**GOOD, **changes}
    return json.dumps({k: v for k, v in obj.items() if v is not ...}, ensure_ascii=False)


def _incident(**changes: object) -> dict[str, object]:
    inc = {**GOOD["incidents"][0], **changes}
    return {k: v for k, v in inc.items() if v is not ...}


def test_a_good_file_loads_with_extra_keys() -> None:
    extra = _line(kind="attack", split="dev", outlet="Example Outlet", url="https://example.org/a",
                  incidents=[_incident(target_kind="base", notes="why")], either_way=[["a", "b"]])
    gold = parse_gold(extra + "\n\n" + _line(id="a2", incidents=[], optional=...))
    a, b = gold.articles
    assert a.published == date(2024, 4, 22) and a.outlet == "Example Outlet" and a.split == "dev"
    inc = a.incidents[0]
    assert (inc.place, inc.date, inc.weapon) == ("SY-RLZ", date(2024, 4, 21), "rocket")
    assert inc.fields == {"country": "syria", "count": 5, "killed": 0, "wounded": 0, "claimed_by": None}
    assert a.optional[0].place == "IQ-BIAP" and a.optional[0].fields == {"country": "iraq"}
    assert a.either_way == (frozenset({"a", "b"}),)
    assert b.incidents == () and b.optional == ()
    assert gold.warnings == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not JSON"),
        ("[1, 2]", "line 1: not a JSON object"),
        (_line(id=""), "line 1: id: must be a non-empty file name"),
        (_line(id="../etc/passwd"), "line 1: id: must be a non-empty file name without '/'"),
        (_line(lang=...), "line 1: lang: must be a language code"),
        (_line(published="22/04/2024"), "line 1: published: must be an ISO date (YYYY-MM-DD), got '22/04/2024'"),
        (_line(published="20240422"), "line 1: published: must be an ISO date (YYYY-MM-DD), got '20240422'"),
        (_line(incidents=...), "line 1: incidents: must be a list"),
        (_line(incidents=[_incident(cluster=...)]), "line 1: incidents[0].cluster: missing"),
        (_line(incidents=[_incident(base=...)]), "line 1: incidents[0].base: missing"),
        (_line(incidents=[_incident(base="")]), "line 1: incidents[0].base: must be a place name or null"),
        (_line(incidents=[_incident(date="2024-02-30")]), "line 1: incidents[0].date: must be an ISO date"),
        (_line(incidents=[_incident(weapon="laser")]), "line 1: incidents[0].weapon: must be one of"),
        (_line(incidents=[_incident(count=-1)]), "line 1: incidents[0].count: must be a whole number ≥ 0 or null"),
        (_line(incidents=[_incident(killed="two")]), "line 1: incidents[0].killed: must be a whole number"),
        (_line(incidents=[_incident(wounded=True)]), "line 1: incidents[0].wounded: must be a whole number"),
        (_line(incidents=[_incident(claimed_by=3)]), "line 1: incidents[0].claimed_by: must be a string or null"),
        (_line(incidents=[_incident(), "x"]), "line 1: incidents[1]: must be an object"),
        (_line(optional=[{"weapon": "laser"}]), "line 1: optional[0].weapon: must be one of"),
        (_line(not_incidents="none"), "line 1: not_incidents: must be a list"),
        (_line(split=""), "line 1: split: must be the name of a part of the corpus"),
        (_line(either_way=[["only-one"]]), "line 1: either_way: must be a list of lists of two or more cluster ids"),
        ("", "no articles"),
    ],
)
def test_each_problem_names_line_and_key(line: str, message: str) -> None:
    with pytest.raises(GoldError) as info:
        parse_gold(line)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems
    assert message.split(":")[0] in info.value.report()


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    raw = "\n".join([_line(), _line(id="a1"), _line(id="a3", published="soon"), _line(id="a4", lang=...)])
    with pytest.raises(GoldError) as info:
        parse_gold(raw, "gold.jsonl")
    assert info.value.problems == [
        "line 2: id: 'a1' already used on line 1",
        "line 3: published: must be an ISO date (YYYY-MM-DD), got 'soon'",
        "line 4: lang: must be a language code such as 'ar' or 'en'",
    ]
    assert info.value.report().startswith("gold.jsonl: 3 problem(s)")


def test_a_base_the_gazetteer_does_not_know_is_a_warning_and_matches_nothing() -> None:
    gold = parse_gold(_line(incidents=[_incident(base="Camp Nowhere")]))
    assert gold.warnings == [
        "line 1: incidents[0].base: 'Camp Nowhere' is not in the gazetteer; scored as a place no prediction names"
    ]
    assert gold.articles[0].incidents[0].place.startswith("?")


def test_a_null_base_is_no_place() -> None:
    gold = parse_gold(_line(incidents=[_incident(base=None)]))
    inc = gold.articles[0].incidents[0]
    assert inc.place == "" and inc.expected().base == "" and inc.expected().cluster == "2024-04-21-rumalan"
