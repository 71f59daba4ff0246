"""Figures outlets disagree on: the latest official one, else the range (table tests), and as stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.alerts import i18n
from bot.alerts.figures import Figure, Reading, is_official, reconcile
from bot.alerts.render import Format, Lang, render_alert
from bot.alerts.views import view_of
from bot.database import make_engine, upgrade
from bot.models import Article, IncidentReport, IncidentRow

T0 = datetime(2024, 5, 1, 8, 0)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)

RECONCILE: list[object] = [
    pytest.param([], None, id="nobody-said"),
    pytest.param([Reading(3, T0)], Figure(3, 3), id="one-outlet"),
    pytest.param([Reading(3, T0), Reading(3, T1)], Figure(3, 3), id="agree"),
    # Disagreeing outlets: the range, whatever order they came in.
    pytest.param([Reading(5, T0), Reading(3, T1)], Figure(3, 5), id="range"),
    pytest.param([Reading(3, T0), Reading(8, T1), Reading(5, T2)], Figure(3, 8), id="range-of-three"),
    # An official figure wins over outlets, even a lower one.
    pytest.param([Reading(8, T0), Reading(3, T1, official=True)], Figure(3, 3, True), id="official"),
    # Officials revise: the latest official figure.
    pytest.param(
        [Reading(2, T0, official=True), Reading(9, T1), Reading(4, T2, official=True)], Figure(4, 4, True),
        id="latest-official",
    ),
    pytest.param(
        [Reading(4, T2, official=True), Reading(2, T0, official=True)], Figure(4, 4, True), id="official-unordered",
    ),
]


@pytest.mark.parametrize(("readings", "expected"), RECONCILE)
def test_reconcile(readings: list[Reading], expected: Figure | None) -> None:
    assert reconcile(readings) == expected


@pytest.mark.parametrize(
    ("cited", "expected"),
    [([], False), (["Reuters"], False), (["Reuters", "CENTCOM"], True), (["Pentagon"], True)],
)
def test_is_official(cited: list[str], expected: bool) -> None:
    assert is_official(cited) is expected


RANGES: list[object] = [
    pytest.param(3, 5, i18n.ROCKET, "بين 3 و5 صواريخ", "3–5 rockets", id="3-5"),
    pytest.param(8, 12, i18n.ROCKET, "بين 8 و12 صاروخاً", "8–12 rockets", id="8-12"),
    pytest.param(1, 2, i18n.DRONE, "طائرة مسيّرة واحدة أو طائرتان مسيّرتان", "1–2 drones", id="1-2"),
    pytest.param(4, 4, i18n.ROCKET, "4 صواريخ", "4 rockets", id="same"),
    pytest.param(1, 1, i18n.ROCKET, "صاروخ واحد", "1 rocket", id="one"),
]


@pytest.mark.parametrize(("low", "high", "noun", "ar", "en"), RANGES)
def test_count_ranges(low: int, high: int, noun: i18n.ArNoun, ar: str, en: str) -> None:
    assert i18n.ar_range(low, high, noun) == ar
    assert i18n.en_range(low, high, noun) == en


def _stored(url: str, reports: list[dict[str, object]]) -> Session:
    engine = make_engine(url)
    upgrade(engine)
    s = Session(engine)
    inc = IncidentRow(
        base_id="IQ-ASAD", place_en="Ain al-Asad Air Base", place_ar="قاعدة عين الأسد", country="iraq",
        province_en="Anbar", province_ar="الأنبار", date=date(2024, 5, 1), ref_date=date(2024, 5, 1),
        weapon="rocket", target_kind="base", count=5, killed=4, version=1,
        first_seen_at=T0.replace(tzinfo=UTC), updated_at=T0.replace(tzinfo=UTC),
    )
    s.add(inc)
    s.flush()
    assert inc.id is not None
    for n, extracted in enumerate(reports):
        at = (T0 + timedelta(hours=n)).replace(tzinfo=UTC)
        art = Article(url=f"https://o{n}.example/a", url_key=f"k{n}", identity=f"i{n}", title="t",
                      source=f"Outlet {n}", text="نص", published=at, fetched_at=at)
        s.add(art)
        s.flush()
        assert art.id is not None
        s.add(IncidentReport(incident_id=inc.id, article_id=art.id, decision="new", reason="new",
                             extracted=extracted, created_at=at))
    s.commit()
    return s


def test_stored_outlets_disagreeing_show_a_range(db_url: str) -> None:
    s = _stored(db_url, [{"count": 5, "killed": 2}, {"count": 3, "killed": 4}])
    try:
        inc = s.exec(select(IncidentRow)).one()
        view = view_of(s, inc)
        en = render_alert(view, Lang.EN, Format.TEXT)
        ar = render_alert(view, Lang.AR, Format.TEXT)
        assert "3–5 rockets" in en and "2–4 killed" in en
        assert "بين 3 و5 صواريخ" in ar and "بين 2 و4 قتلى" in ar
    finally:
        s.close()


def test_stored_official_figure_wins(db_url: str) -> None:
    s = _stored(db_url, [
        {"count": 5, "killed": 4},
        {"count": 3, "killed": 1, "sources": ["CENTCOM"]},
        {"count": 9},
    ])
    try:
        inc = s.exec(select(IncidentRow)).one()
        en = render_alert(view_of(s, inc), Lang.EN, Format.TEXT)
        assert "3 rockets (official figure)" in en and "1 killed (official figure)" in en
        assert "9" not in en.split("\n")[1]
    finally:
        s.close()
