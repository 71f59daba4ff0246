"""Gold labels (the format of shared/corpus/README.md), loaded and checked before anything is scored.

Every problem is collected with its line and key, so a labeller fixes a file in one pass instead of one
error per run. Keys the format does not name (`kind`, `target_kind`, `notes`, `url`, `outlet` ...) are accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.evaluation.places import resolve_base
from bot.evaluation.score import FIELDS, Expected

WEAPONS = frozenset({"rocket", "missile", "mortar", "drone", "ied", "gunfire", "mixed", "unknown"})
# Fields compared on matched incidents; a key absent from a gold incident is not scored for it.
_INT_FIELDS = ("count", "killed", "wounded")
_STR_FIELDS = ("claimed_by", "launch_site")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Complain = Callable[[str, str], None]


class GoldError(ValueError):
    """The gold file cannot be scored; `problems` names every bad line and key."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems

    def report(self) -> str:
        """All problems, one a line, for the terminal."""
        return "\n".join([str(self), *(f"  {p}" for p in self.problems)])


@dataclass(frozen=True)
class GoldIncident:
    """One labelled attack; `place` is the gazetteer id of `base` ('' when the article names no place)."""

    cluster: str
    base: str | None
    place: str
    country: str | None
    date: date | None
    weapon: str | None
    fields: dict[str, object] = field(default_factory=dict)
    line: int = 0

    def expected(self) -> Expected:
        """The incident as the scorer matches it."""
        return Expected(self.place, self.country, self.date, self.weapon, self.fields, self.cluster)


@dataclass(frozen=True)
class GoldArticle:
    """One line of gold.jsonl."""

    id: str
    lang: str
    published: date
    incidents: tuple[GoldIncident, ...]
    optional: tuple[GoldIncident, ...]
    either_way: tuple[frozenset[str], ...] = ()
    url: str | None = None
    outlet: str | None = None
    split: str | None = None
    line: int = 0


@dataclass
class Gold:
    """A whole gold file, plus warnings that do not stop scoring (a base the gazetteer does not know)."""

    articles: list[GoldArticle]
    warnings: list[str] = field(default_factory=list)


def load_gold(path: Path) -> Gold:
    """Parse and check the file; raises GoldError listing every problem."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(str(path), [f"cannot read: {exc}"]) from None
    return parse_gold(raw, str(path))


def parse_gold(raw: str, name: str = "gold") -> Gold:
    """The same as load_gold, on text (tests and stdin)."""
    articles: list[GoldArticle] = []
    problems: list[str] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {n}: not a JSON object")
            continue
        art = _article(obj, n, problems, warnings)
        if art is None:
            continue
        if art.id in seen:
            problems.append(f"line {n}: id: {art.id!r} already used on line {seen[art.id]}")
            continue
        seen[art.id] = n
        articles.append(art)
    if problems:
        raise GoldError(name, problems)
    if not articles:
        raise GoldError(name, ["no articles"])
    return Gold(articles, warnings)


def _article(obj: dict[str, Any], n: int, problems: list[str], warnings: list[str]) -> GoldArticle | None:
    before = len(problems)

    def bad(key: str, why: str) -> None:
        problems.append(f"line {n}: {key}: {why}")

    aid = obj.get("id")
    if not isinstance(aid, str) or not aid.strip() or "/" in aid or "\\" in aid or aid.startswith("."):
        bad("id", "must be a non-empty file name without '/'")
    lang = obj.get("lang")
    if not isinstance(lang, str) or not lang.strip():
        bad("lang", "must be a language code such as 'ar' or 'en'")
    published = _date(obj.get("published"))
    if published is None:
        bad("published", f"must be an ISO date (YYYY-MM-DD), got {obj.get('published')!r}")
    lists: dict[str, list[GoldIncident]] = {"incidents": [], "optional": []}
    for key in lists:
        value = obj.get(key, [] if key == "optional" else None)
        if not isinstance(value, list):
            bad(key, "must be a list")
            continue
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                bad(where, "must be an object")
                continue
            inc = _incident(item, where, n, full=(key == "incidents"), bad=bad, warnings=warnings)
            if inc is not None:
                lists[key].append(inc)
    if "not_incidents" in obj and not isinstance(obj["not_incidents"], list):
        bad("not_incidents", "must be a list")
    if "split" in obj and not (isinstance(obj["split"], str) and obj["split"].strip()):
        bad("split", "must be the name of a part of the corpus, such as 'dev' or 'blind'")
    either = _either_way(obj.get("either_way", []), bad)
    if len(problems) > before:
        return None
    assert isinstance(aid, str) and isinstance(lang, str) and published is not None
    return GoldArticle(
        id=aid,
        lang=lang,
        published=published,
        incidents=tuple(lists["incidents"]),
        optional=tuple(lists["optional"]),
        either_way=either,
        url=obj["url"] if isinstance(obj.get("url"), str) else None,
        outlet=obj["outlet"] if isinstance(obj.get("outlet"), str) else None,
        split=obj["split"] if isinstance(obj.get("split"), str) else None,
        line=n,
    )


def _incident(
    item: dict[str, Any], where: str, n: int, *, full: bool, bad: Complain, warnings: list[str]
) -> GoldIncident | None:
    """An incident (`full`: cluster, base, country, date and weapon required) or an optional entry (looser)."""
    ok = True

    def fail(key: str, why: str) -> None:
        nonlocal ok
        ok = False
        bad(f"{where}.{key}", why)

    required = ("cluster", "base", "country", "date", "weapon") if full else ()
    for key in required:
        if key not in item:
            fail(key, "missing")
    cluster = item.get("cluster")
    if cluster is not None and (not isinstance(cluster, str) or not cluster.strip()):
        fail("cluster", "must be a non-empty string")
    base = item.get("base")
    if base is not None and (not isinstance(base, str) or not base.strip()):
        fail("base", "must be a place name or null")
    country = item.get("country")
    if country is not None and (not isinstance(country, str) or not country.strip()):
        fail("country", "must be a country such as 'iraq' or null")
    day = _date(item.get("date")) if item.get("date") is not None else None
    if item.get("date") is not None and day is None:
        fail("date", f"must be an ISO date (YYYY-MM-DD) or null, got {item.get('date')!r}")
    weapon = item.get("weapon")
    if weapon is not None and weapon not in WEAPONS:
        fail("weapon", f"must be one of {', '.join(sorted(WEAPONS))}, got {weapon!r}")
    for key in _INT_FIELDS:
        v = item.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            fail(key, f"must be a whole number ≥ 0 or null, got {v!r}")
    for key in _STR_FIELDS:
        v = item.get(key)
        if v is not None and not isinstance(v, str):
            fail(key, f"must be a string or null, got {v!r}")
    if not ok:
        return None
    place = ""
    if isinstance(base, str):
        found = resolve_base(base)
        if found is None:
            warnings.append(
                f"line {n}: {where}.base: {base!r} is not in the gazetteer; scored as a place no prediction names"
            )
            place = f"?{base.strip().lower()}"
        else:
            place = found
    return GoldIncident(
        cluster=str(cluster) if cluster else f"line{n}:{where}",
        base=base if isinstance(base, str) else None,
        place=place,
        country=country if isinstance(country, str) else None,
        date=day,
        weapon=weapon if isinstance(weapon, str) else None,
        fields={k: item[k] for k in FIELDS if k in item},
        line=n,
    )


def _either_way(value: object, bad: Complain) -> tuple[frozenset[str], ...]:
    """`either_way`: lists of clusters that one alert or several may report, both accepted."""
    if not isinstance(value, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(c, str) for c in g) for g in value
    ):
        bad("either_way", "must be a list of lists of two or more cluster ids")
        return ()
    return tuple(frozenset(g) for g in value)


def _date(value: object) -> date | None:
    """A YYYY-MM-DD string as a date; anything else (other formats, impossible days) None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
