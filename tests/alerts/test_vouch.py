"""The status line of an alert, in Arabic and English (table)."""

from __future__ import annotations

import pytest

from bot.alerts.vouch import STATUS_NAMES, vouch_line
from bot.incidents.status import Status


@pytest.mark.parametrize(
    ("status", "names", "ar", "want"),
    [
        ("confirmed", ["Pentagon", "Reuters"], True, "مؤكد: البنتاغون · رويترز"),
        ("confirmed", ["Pentagon", "Reuters"], False, "Confirmed: Pentagon · Reuters"),
        ("corroborated", ["Reuters", "shafaq.com", "rudaw.net", "aljazeera.net"], False,
         "Corroborated: Reuters · shafaq.com · rudaw.net"),
        ("reported", [], False, "Reported"),
        ("claimed", ["Islamic Resistance in Iraq"], True, "ادعاء: المقاومة الإسلامية في العراق"),
        ("disputed", ["CENTCOM", "CENTCOM"], False, "Disputed: CENTCOM"),
        # a group known to the claimant catalogue reads in Arabic too; a channel's address as it is
        ("claimed", ["Kataib Hezbollah", "t.me/kh_chan"], True, "ادعاء: كتائب حزب الله · t.me/kh_chan"),
    ],
)
def test_vouch_line(status: str, names: list[str], ar: bool, want: str) -> None:
    assert vouch_line(status, names, ar=ar) == want


def test_every_status_has_both_languages() -> None:
    assert set(STATUS_NAMES) == set(Status)
    assert all(ar and en and ar != en for ar, en in STATUS_NAMES.values())


def test_the_alert_carries_the_status_line_in_each_language() -> None:
    from dataclasses import replace

    from bot.alerts.render import Format, Lang, alert_view, render_alert
    from bot.incidents.decide import IncidentFacts

    view = replace(
        alert_view(7, 1, IncidentFacts(country="iraq", weapon="rocket")),
        status="confirmed",
        vouchers=("Pentagon", "Reuters", "<b>x</b>.example", "more.example"),
    )
    both = render_alert(view, Lang.BOTH, Format.HTML)
    assert "مؤكد: البنتاغون · رويترز · &lt;b&gt;x&lt;/b&gt;.example" in both
    assert "Confirmed: Pentagon · Reuters · &lt;b&gt;x&lt;/b&gt;.example" in both
    assert "more.example" not in both
    assert "Confirmed" not in render_alert(replace(view, status=None), Lang.EN, Format.HTML)
