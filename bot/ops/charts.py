"""The /stats chart: incidents per week for the last 26 weeks, stacked by country, and a breakdown by weapon.

Labels on the image are English; the caption that goes with it (Telegram's, or the README's) carries
the words in Arabic and English. Why not Arabic on the image: matplotlib neither shapes Arabic nor lays
it out right to left, so it needs arabic-reshaper and python-bidi and a font with Arabic presentation
forms, and mixed Arabic/number tick labels still come out in an order readers find odd on a small
screen; the caption, rendered by the reader's own Telegram client, shapes and orders Arabic correctly
for free. Numbers, bars and colours are the same in both languages.

`chart_data` (what the bars are) is pure and table-tested; `render_png` only draws it (Agg backend, no
display, 1080 × 1350 px: a phone's portrait width).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import sqlalchemy as sa
from sqlmodel import Session, col

from bot.alerts import i18n
from bot.incidents.subscriptions import MAIN_COUNTRIES
from bot.models import IncidentRow

WEEKS: Final = 26
OTHER: Final = "other"
COUNTRY_ORDER: Final = (*MAIN_COUNTRIES, OTHER)
COUNTRY_COLOURS: Final = {"iraq": "#1f77b4", "syria": "#d62728", "jordan": "#2ca02c", OTHER: "#7f7f7f"}
WIDTH_PX: Final = 1080
HEIGHT_PX: Final = 1350
DPI: Final = 150


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many incidents one day had in one country with one weapon (a row of the grouped query)."""

    day: date
    country: str | None
    weapon: str
    n: int


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart shows: week starts (Mondays, oldest first), per-country weekly counts, weapon totals."""

    weeks: tuple[date, ...]
    by_country: Mapping[str, tuple[int, ...]]
    by_weapon: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Incidents in the whole window."""
        return sum(sum(v) for v in self.by_country.values())


def week_start(d: date) -> date:
    """The Monday of d's week (ISO weeks)."""
    return d - timedelta(days=d.weekday())


def window_start(today: date, weeks: int = WEEKS) -> date:
    """The first day the chart counts: the Monday `weeks - 1` weeks before this week's."""
    return week_start(today) - timedelta(weeks=weeks - 1)


def country_group(country: str | None) -> str:
    """Iraq, Syria and Jordan keep their own colour; every other place (and unknown) is "other"."""
    return country if country in MAIN_COUNTRIES else OTHER


def chart_data(rows: Iterable[DayCount], today: date, weeks: int = WEEKS) -> ChartData:
    """Bin day counts into weeks by country, and total them by weapon (biggest first); days outside are ignored."""
    first = window_start(today, weeks)
    starts = tuple(first + timedelta(weeks=i) for i in range(weeks))
    counts = {c: [0] * weeks for c in COUNTRY_ORDER}
    weapons: dict[str, int] = {}
    for row in rows:
        if row.day < first or row.day > today or row.n <= 0:
            continue
        index = (row.day - first).days // 7
        counts[country_group(row.country)][index] += row.n
        key = i18n.weapon_of(row.weapon).value
        weapons[key] = weapons.get(key, 0) + row.n
    ranked = tuple(sorted(weapons.items(), key=lambda kv: (-kv[1], kv[0])))
    return ChartData(starts, {c: tuple(v) for c, v in counts.items()}, ranked)


def day_counts(session: Session, since: date, until: date) -> list[DayCount]:
    """Incidents grouped by reference date, country and weapon (a few hundred rows at most, via the date index)."""
    day, country, weapon = col(IncidentRow.ref_date), col(IncidentRow.country), col(IncidentRow.weapon)
    stmt = (
        sa.select(day, country, weapon, sa.func.count())
        .where(day >= since, day <= until)
        .group_by(day, country, weapon)
    )
    return [DayCount(d, c, w, int(n)) for d, c, w, n in session.execute(stmt).all()]


def load_chart_data(session: Session, today: date, weeks: int = WEEKS) -> ChartData:
    """The chart's data from the database, for the weeks ending with `today`'s."""
    return chart_data(day_counts(session, window_start(today, weeks), today), today, weeks)


def _country_label(key: str) -> str:
    named = i18n.country_name(key)
    return named.en if named else "other"


def _weapon_label(key: str) -> str:
    return i18n.WEAPON_NAME[i18n.weapon_of(key)].en


def render_png(data: ChartData, *, today: date) -> bytes:
    """Draw the chart as a PNG (Agg: no display needed, safe in any thread)."""
    from matplotlib.figure import Figure  # the Figure API uses Agg without touching pyplot's global state

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=(3, 2))
    x = list(range(len(data.weeks)))
    base = [0] * len(data.weeks)
    for key in COUNTRY_ORDER:
        values = list(data.by_country.get(key, ()))
        if not any(values):
            continue
        top.bar(x, values, bottom=base, color=COUNTRY_COLOURS[key], label=_country_label(key), width=0.8)
        base = [a + b for a, b in zip(base, values, strict=True)]
    top.set_title(
        f"Attacks per week, {len(data.weeks)} weeks to {today:%d %b %Y} (total {data.total})", fontsize=13
    )
    top.set_ylabel("incidents", fontsize=11)
    ticks = x[::4] if len(x) > 8 else x
    top.set_xticks(ticks, [data.weeks[i].strftime("%d %b") for i in ticks], fontsize=10)
    top.yaxis.get_major_locator().set_params(integer=True)
    top.tick_params(axis="y", labelsize=10)
    top.set_xlim(-0.6, len(x) - 0.4)
    top.grid(axis="y", alpha=0.3)
    if data.total:
        top.legend(loc="upper left", fontsize=10, frameon=False)
    else:
        top.text(0.5, 0.5, "no incidents in this period", ha="center", va="center", transform=top.transAxes)

    names = [_weapon_label(k) for k, _ in data.by_weapon][::-1]
    values = [n for _, n in data.by_weapon][::-1]
    bottom.barh(names, values, color="#444c5c")
    for y, n in enumerate(values):
        bottom.text(n, y, f" {n}", va="center", fontsize=10)
    bottom.set_title("By weapon", fontsize=13)
    bottom.tick_params(labelsize=10)
    bottom.xaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlim(0, max(values, default=1) * 1.15 + 0.5)
    bottom.grid(axis="x", alpha=0.3)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def caption(data: ChartData) -> str:
    """The chart's caption in Arabic and English (plain text): what it shows and the totals."""
    weeks = len(data.weeks)
    parts_en, parts_ar = [], []
    for key in COUNTRY_ORDER:
        n = sum(data.by_country.get(key, ()))
        if n:
            named = i18n.country_name(key)
            parts_en.append(f"{named.en if named else 'other'} {n}")
            parts_ar.append(f"{named.ar if named else 'غيرها'} {n}")
    en = f"Attacks per week, last {weeks} weeks: {data.total}"
    ar = f"الهجمات أسبوعياً خلال آخر {weeks} أسبوعاً: {data.total}"
    if parts_en:
        en += f" ({' · '.join(parts_en)})"
        ar += f" ({' · '.join(parts_ar)})"
    if data.by_weapon:
        top, n = data.by_weapon[0]
        name = i18n.WEAPON_NAME[i18n.weapon_of(top)]
        en += f". Most used: {name.en} ({n})."
        ar += f". الأكثر استخداماً: {name.ar} ({n})."
    else:
        en += "."
        ar += "."
    return f"{ar}\n{en}"
