"""Alert and update text: key facts, Arabic templates, escaping, the length budget, Telegram's HTML rules."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.alerts.render import (
    AlertView,
    Format,
    Lang,
    SourceLink,
    alert_view,
    html_visible_text,
    osm_url,
    outlets,
    public_name,
    render_alert,
    render_update,
    utf16_len,
)
from bot.incidents.decide import Change, IncidentFacts
from extractor.types import Place

_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:  # `tests` is not an installed package; make tests.support importable
    sys.path.insert(0, _REPO)

from tests.support.telegram_standin import parse_html  # noqa: E402

RLZ = Place("SY-RLZ", "Rumalan", "الرميلان", "syria", "Hasakah", "الحسكة", 36.8978, 41.9975)
ASAD = Place("IQ-ASAD", "Ain al-Asad Air Base", "قاعدة عين الأسد الجوية", "iraq", "Anbar", "الأنبار", 33.7857, 42.4412)
T22 = Place("JO-T22", "Tower 22", "البرج 22", "jordan", "Mafraq", "المفرق")  # no coordinates

ENAB = SourceLink("Enab Baladi", "https://www.enabbaladi.net/archives/1")
RUMALAN = AlertView(
    incident_id=123,
    version=1,
    place=RLZ,
    country="syria",
    province_en="Hasakah",
    province_ar="الحسكة",
    date=date(2024, 4, 21),
    weapon="rocket",
    count=5,
    killed=0,
    wounded=0,
    launch_site="Zummar",
    sources=(ENAB, SourceLink("Rudaw", "https://www.rudaw.net/arabic/2")),
)

ALLOWED_TAGS = {"b", "a", "i", "code"}


class _Tags(HTMLParser):
    """Records every tag and attribute, to check we only emit our own markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags_of(s: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    p = _Tags()
    p.feed(s)
    p.close()
    return p.tags


def assert_telegram_ok(out: str) -> None:
    """What Telegram needs: our tags only, http(s) links, strict HTML, ≤ 4096 UTF-16 units both ways."""
    for tag, attrs in tags_of(out):
        assert tag in ALLOWED_TAGS
        if tag == "a":
            assert [name for name, _ in attrs] == ["href"]
            assert re.match(r"https?://", attrs[0][1] or "")
        else:
            assert attrs == []
    visible, _ = parse_html(out, strict=True)  # raises on a bare & or >, bad nesting, unknown tags
    assert visible == html_visible_text(out)
    assert utf16_len(out) <= 4096 and utf16_len(visible) <= 4096


# --- the headline example ---------------------------------------------------------------------------


def test_rumalan_english_text() -> None:
    lines = render_alert(RUMALAN, Lang.EN, Format.TEXT).splitlines()
    assert lines[0] == "Rocket attack on Rumalan base (Hasakah, Syria)"
    assert lines[1] == "Sun 21 Apr 2024 · 5 rockets from Zummar · no casualties"
    assert lines[2] == (
        "Sources: Enab Baladi <https://www.enabbaladi.net/archives/1>, Rudaw <https://www.rudaw.net/arabic/2>"
    )
    assert lines[3].startswith("Rasad #123 · Map <https://www.openstreetmap.org/?mlat=36.8978&mlon=41.9975")


def test_rumalan_arabic_text() -> None:
    lines = render_alert(replace(RUMALAN, launch_site="زمار"), Lang.AR, Format.TEXT).splitlines()
    assert lines[0] == "هجوم صاروخي على قاعدة الرميلان (الحسكة، سوريا)"
    assert lines[1] == "الأحد 21 نيسان 2024 · 5 صواريخ من زمار · دون إصابات"
    assert lines[2].startswith("المصادر: Enab Baladi <https://")
    assert lines[3].startswith("رصد #123 · خريطة <https://www.openstreetmap.org/")


def test_rumalan_html() -> None:
    out = render_alert(RUMALAN, Lang.EN, Format.HTML)
    assert out.startswith("<b>Rocket attack on Rumalan base (Hasakah, Syria)</b>\n")
    assert '<a href="https://www.enabbaladi.net/archives/1">Enab Baladi</a>' in out
    assert '<a href="https://www.openstreetmap.org/?mlat=36.8978&amp;mlon=41.9975#map=12/36.8978/41.9975">' in out
    assert "Rasad #123" in out
    assert utf16_len(out) < 1000
    assert_telegram_ok(out)


@pytest.mark.parametrize(
    ("lang", "has_ar", "has_en"),
    [
        (Lang.AR, True, False),  # Arabic chats get only the Arabic block
        (Lang.EN, False, True),  # English chats only the English one
        (Lang.BOTH, True, True),  # bilingual chats both, Arabic first, sources and id once
    ],
)
def test_languages(lang: Lang, has_ar: bool, has_en: bool) -> None:
    out = render_alert(RUMALAN, lang, Format.HTML)
    assert ("هجوم صاروخي" in out) is has_ar
    assert ("Rocket attack" in out) is has_en
    assert out.count("Enab Baladi") == 1
    if has_ar and has_en:
        assert out.index("هجوم صاروخي") < out.index("Rocket attack")
    assert_telegram_ok(out)


def test_the_footer_of_a_bilingual_alert_is_in_both_languages() -> None:
    lines = render_alert(RUMALAN, Lang.BOTH, Format.TEXT).splitlines()
    assert lines[-2].startswith("المصادر / Sources: Enab Baladi")
    assert lines[-1].startswith("رصد / Rasad #123 · خريطة / Map <https://www.openstreetmap.org/")
    many = tuple(SourceLink(f"Outlet {i}", f"https://o{i}.example/a") for i in range(100))
    assert "أخرى / more" in render_alert(replace(RUMALAN, sources=many), Lang.BOTH, Format.TEXT)


# --- phrases --------------------------------------------------------------------------------------

HEADLINES: list[object] = [
    # Base names already saying "base"/"airport" are not doubled ("قاعدة قاعدة", "Air Base base").
    pytest.param(
        AlertView(1, 1, place=ASAD, country="iraq", weapon="drone"),
        "هجوم بطائرات مسيّرة على قاعدة عين الأسد الجوية (الأنبار، العراق)",
        "Drone attack on Ain al-Asad Air Base (Anbar, Iraq)",
        id="no-double-base",
    ),
    # "Tower 22" / «البرج 22» stand as they are.
    pytest.param(
        AlertView(1, 1, place=T22, country="jordan", weapon="drone"),
        "هجوم بطائرات مسيّرة على البرج 22 (المفرق، الأردن)",
        "Drone attack on Tower 22 (Mafraq, Jordan)",
        id="tower",
    ),
    # No base named: the kind of target and the area, nothing invented.
    pytest.param(
        AlertView(1, 1, country="syria", province_en="Hasakah", weapon="mortar"),
        "هجوم بقذائف هاون على قاعدة في الحسكة، سوريا",
        "Mortar attack on a base in Hasakah, Syria",
        id="area-only",
    ),
    # Convoys: «رتل إمداد» / "supply convoy".
    pytest.param(
        AlertView(1, 1, country="iraq", target_kind="convoy", weapon="ied"),
        "هجوم بعبوة ناسفة على رتل إمداد في العراق",
        "IED attack on a supply convoy in Iraq",
        id="convoy",
    ),
    # A convoy named near a base.
    pytest.param(
        AlertView(1, 1, place=RLZ, country="syria", target_kind="convoy", weapon="ied"),
        "هجوم بعبوة ناسفة على رتل إمداد قرب قاعدة الرميلان (الحسكة، سوريا)",
        "IED attack on a supply convoy near Rumalan base (Hasakah, Syria)",
        id="convoy-near-base",
    ),
    # Diplomatic targets by their own name.
    pytest.param(
        AlertView(
            1, 1, country="iraq", target_kind="diplomatic", weapon="rocket",
            place=Place("IQ-EMB", "US Embassy Baghdad", "السفارة الأمريكية في بغداد", "iraq", "Baghdad", "بغداد"),
        ),
        "هجوم صاروخي على السفارة الأمريكية في بغداد (بغداد، العراق)",
        "Rocket attack on US Embassy Baghdad (Baghdad, Iraq)",
        id="diplomatic",
    ),
    # The country comes from the place when the view has none of its own.
    pytest.param(
        AlertView(1, 1, place=RLZ, weapon="missile"),
        "هجوم بصواريخ باليستية على قاعدة الرميلان (الحسكة، سوريا)",
        "Ballistic missile attack on Rumalan base (Hasakah, Syria)",
        id="missile-country-from-place",
    ),
    # Gunfire is "at" a base in English; «إطلاق نار على» in Arabic.
    pytest.param(
        AlertView(1, 1, place=RLZ, country="syria", weapon="gunfire"),
        "إطلاق نار على قاعدة الرميلان (الحسكة، سوريا)",
        "Gunfire at Rumalan base (Hasakah, Syria)",
        id="gunfire",
    ),
    # Mixed salvoes name both weapons.
    pytest.param(
        AlertView(1, 1, place=RLZ, country="syria", weapon="mixed"),
        "هجوم بالصواريخ والمسيّرات على قاعدة الرميلان (الحسكة، سوريا)",
        "Rocket and drone attack on Rumalan base (Hasakah, Syria)",
        id="mixed",
    ),
    # An unknown weapon is just "an attack".
    pytest.param(
        AlertView(1, 1, place=RLZ, country="syria"),
        "هجوم على قاعدة الرميلان (الحسكة، سوريا)",
        "Attack on Rumalan base (Hasakah, Syria)",
        id="unknown",
    ),
]


@pytest.mark.parametrize(("view", "ar", "en"), HEADLINES)
def test_headline(view: AlertView, ar: str, en: str) -> None:
    assert render_alert(view, Lang.AR, Format.TEXT).splitlines()[0] == ar
    assert render_alert(view, Lang.EN, Format.TEXT).splitlines()[0] == en


DETAILS: list[object] = [
    # Nothing known beyond the place: no detail line, no guessing.
    pytest.param({}, None, None, id="nothing"),
    # Casualties: none at all.
    pytest.param({"killed": 0, "wounded": 0}, "دون إصابات", "no casualties", id="none"),
    # Both counted (Arabic agreement: قتلى plural, جريحاً accusative).
    pytest.param({"killed": 3, "wounded": 40}, "3 قتلى و40 جريحاً", "3 killed, 40 wounded", id="both"),
    # One killed, two wounded: «قتيل واحد» and the dual «جريحان».
    pytest.param({"killed": 1, "wounded": 2}, "قتيل واحد وجريحان", "1 killed, 2 wounded", id="one-two"),
    # Wounded but explicitly nobody killed.
    pytest.param({"killed": 0, "wounded": 5}, "5 جرحى دون قتلى", "5 wounded, none killed", id="wounded-only"),
    # Only "nobody was killed" is known.
    pytest.param({"killed": 0}, "دون قتلى", "no one killed", id="no-deaths"),
    # Interception, agreeing with one rocket (masculine) …
    pytest.param({"count": 1, "intercepted": True}, "صاروخ واحد · تم اعتراضه", "1 rocket · intercepted", id="one"),
    # … with two (dual) …
    pytest.param({"count": 2, "intercepted": True}, "صاروخان · تم اعتراضهما", "2 rockets · intercepted", id="two"),
    # … and with a plural.
    pytest.param({"count": 12, "intercepted": True}, "12 صاروخاً · تم اعتراضها", "12 rockets · intercepted", id="12"),
    # Launch site without a count.
    # a known place is written in Arabic script in the Arabic block; an unknown one is shown as reported
    pytest.param({"launch_site": "Zummar"}, "أُطلقت من زمار", "launched from Zummar", id="launch"),
    pytest.param({"launch_site": "Qaryat Xyz"}, "أُطلقت من Qaryat Xyz", "launched from Qaryat Xyz", id="launch unknown"),
    # A known claimant by its Arabic name in the Arabic block.
    pytest.param(
        {"claimed_by": "Islamic Resistance in Iraq"},
        "تبنّته المقاومة الإسلامية في العراق", "claimed by Islamic Resistance in Iraq", id="claim-known",
    ),
    # An unknown claimant as given.
    pytest.param({"claimed_by": "Liwa X"}, "تبنّته Liwa X", "claimed by Liwa X", id="claim-unknown"),
    # Absurd figures (negative, huge) are treated as unknown rather than printed.
    pytest.param({"count": -3, "killed": 10**9}, None, None, id="absurd"),
]


@pytest.mark.parametrize(("fields", "ar", "en"), DETAILS)
def test_details(fields: dict[str, object], ar: str | None, en: str | None) -> None:
    view = replace(AlertView(1, 1, place=RLZ, country="syria", weapon="rocket"), **fields)  # type: ignore[arg-type]
    for lang, want in ((Lang.AR, ar), (Lang.EN, en)):
        lines = render_alert(view, lang, Format.TEXT).splitlines()
        assert (lines[1] if len(lines) > 2 else None) == want


def test_drone_count_agreement() -> None:
    view = AlertView(1, 1, place=ASAD, weapon="drone", count=2)
    assert "طائرتان مسيّرتان" in render_alert(view, Lang.AR, Format.TEXT)
    assert "2 drones" in render_alert(view, Lang.EN, Format.TEXT)


# --- links ----------------------------------------------------------------------------------------


def test_osm_link_only_with_coordinates() -> None:
    assert "openstreetmap" not in render_alert(AlertView(1, 1, place=T22), Lang.EN, Format.HTML)
    assert osm_url(None, 40.0) is None
    assert osm_url(91.0, 40.0) is None  # not a place on Earth
    assert osm_url(float("nan"), 40.0) is None
    assert osm_url(36.89781, 41.99749) == (
        "https://www.openstreetmap.org/?mlat=36.8978&mlon=41.9975#map=12/36.8978/41.9975"
    )


def test_hostile_source_is_escaped() -> None:
    evil = SourceLink('<script>alert("x")</script> & Co', 'https://e.com/?q="><b>x</b>&a=1')
    out = render_alert(replace(RUMALAN, sources=(evil,)), Lang.EN, Format.HTML)
    assert "<script" not in out
    assert "&lt;script&gt;" in out
    assert 'href="https://e.com/?q=&quot;&gt;&lt;b&gt;x&lt;/b&gt;&amp;a=1"' in out
    assert '<script>alert("x")</script> & Co' in html_visible_text(out)
    assert_telegram_ok(out)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",  # not http(s)
        "data:text/html,<b>",  # not http(s)
        "https://",  # no host
        "https://e.com/a b",  # whitespace
        "https://e.com/" + "a" * 3000,  # absurdly long
        "",  # missing
    ],
)
def test_unsafe_urls_are_not_links(url: str) -> None:
    out = render_alert(replace(RUMALAN, sources=(SourceLink("Outlet", url),)), Lang.EN, Format.HTML)
    assert "Outlet" in out
    assert out.count("<a ") == 1  # only the map
    assert_telegram_ok(out)


def test_feed_text_is_flattened() -> None:
    # Newlines and bidi overrides in feed text would break the layout or flip the rest of the message.
    view = replace(RUMALAN, launch_site="Zum\nmar\u202e", sources=(SourceLink("A\n\nB", ENAB.url),))
    out = render_alert(view, Lang.EN, Format.TEXT)
    assert "Zum mar" in out and "\u202e" not in out and "A B <" in out
    assert len(out.splitlines()) == 4


# --- budget ---------------------------------------------------------------------------------------


def test_many_sources_are_summarised() -> None:
    sources = tuple(SourceLink(f"Outlet {i}", f"https://o{i}.example/a") for i in range(10_000))
    out = render_alert(replace(RUMALAN, sources=sources), Lang.BOTH, Format.HTML)
    shown = out.count('<a href="https://o')
    assert 0 < shown < 20
    assert f"+{10_000 - shown} أخرى / more" in out
    assert utf16_len(out) <= 1000
    assert "Outlet 0<" in out  # the first outlets are kept, the tail summarised
    assert_telegram_ok(out)


def test_duplicate_sources_shown_once() -> None:
    out = render_alert(replace(RUMALAN, sources=(ENAB, ENAB, ENAB)), Lang.EN, Format.TEXT)
    assert out.count("Enab Baladi") == 1 and "more" not in out


def test_huge_fields_are_clipped() -> None:
    huge = "&<>\"'" * 1000 + "💥" * 1000
    place = Place("X", huge, huge, huge, huge, huge, 1.0, 2.0)
    view = AlertView(
        9, 1, place=place, country=huge, province_en=huge, province_ar=huge, claimed_by=huge,
        launch_site=huge, count=5, sources=tuple(SourceLink(huge, "https://e.com/" + huge) for _ in range(50)),
    )
    for lang in Lang:
        for fmt in Format:
            out = render_alert(view, lang, fmt)
            assert utf16_len(out) <= 4096
            assert "Rasad #9" in out or "رصد #9" in out
            if fmt is Format.HTML:
                assert_telegram_ok(out)


def test_budget_parameter() -> None:
    sources = tuple(SourceLink(f"Outlet {i}", f"https://o{i}.example/a") for i in range(100))
    out = render_alert(replace(RUMALAN, sources=sources), Lang.EN, Format.TEXT, budget=400)
    assert utf16_len(out) <= 400
    # Telegram's cap wins over a larger budget.
    big = render_alert(replace(RUMALAN, sources=sources * 100), Lang.EN, Format.HTML, budget=10**6)
    assert utf16_len(big) <= 4096


def test_utf16_len() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("صاروخ") == 5
    assert utf16_len("💥") == 2  # outside the BMP: a surrogate pair


def test_html_visible_text() -> None:
    assert html_visible_text('<b>a &amp; b</b> <a href="https://x.y/?a=1&amp;b=2">c&lt;d</a>') == "a & b c<d"


# --- view and updates -----------------------------------------------------------------------------


def test_alert_view_from_facts() -> None:
    facts = IncidentFacts(
        base_id="SY-RLZ", lat=RLZ.lat, lon=RLZ.lon, province="Hasakah", country="syria",
        date=date(2024, 4, 21), weapon="rocket", count=5, killed=0, wounded=0, launch_site="Zummar",
    )
    assert alert_view(123, 1, facts, RUMALAN.sources, RLZ) == RUMALAN


def test_alert_view_without_place_finds_arabic_province() -> None:
    view = alert_view(1, 1, IncidentFacts(province="Deir ez-Zor", country="syria", weapon="rocket"))
    assert view.province_ar == "دير الزور"
    assert "في دير الزور، سوريا" in render_alert(view, Lang.AR, Format.TEXT)


UPDATES: list[object] = [
    # Wounded rise from a known figure.
    pytest.param([Change("wounded", 0, 8, True)], "ارتفع عدد الجرحى إلى 8", "wounded now 8", id="wounded-rise"),
    # Killed become known.
    pytest.param([Change("killed", None, 3, True)], "3 قتلى", "3 killed", id="killed-known"),
    # Both become known as zero: one phrase.
    pytest.param(
        [Change("killed", None, 0, True), Change("wounded", None, 0, True)],
        "دون إصابات", "no casualties", id="no-casualties",
    ),
    # A claim appears.
    pytest.param(
        [Change("claimed_by", None, "Kataib Hezbollah", True)],
        "تبنّته كتائب حزب الله", "claimed by Kataib Hezbollah", id="claim",
    ),
    # A count becomes known (noun agrees with the incident's weapon).
    pytest.param([Change("count", None, 5, True)], "العدد: 5 صواريخ", "count: 5 rockets", id="count"),
    # The base becomes known: the place as in the headline.
    pytest.param(
        [Change("base_id", None, "SY-RLZ", True), Change("lat", None, 1.0, False)],
        "المكان: قاعدة الرميلان (الحسكة، سوريا)", "place: Rumalan base (Hasakah, Syria)", id="base",
    ),
    # Several changes, joined; informational ones are left to the edited alert.
    pytest.param(
        [Change("wounded", 0, 8, True), Change("claimed_by", None, "X", True), Change("launch_site", None, "Y", False)],
        "ارتفع عدد الجرحى إلى 8؛ تبنّته X", "wounded now 8; claimed by X", id="several",
    ),
    # Only informational changes: they are listed.
    pytest.param(
        [Change("weapon", "unknown", "drone", False), Change("intercepted", False, True, False)],
        "السلاح: طائرات مسيّرة؛ تم الاعتراض", "weapon: drones; intercepted", id="informational",
    ),
]


@pytest.mark.parametrize(("changes", "ar", "en"), UPDATES)
def test_render_update(changes: list[Change], ar: str, en: str) -> None:
    assert render_update(RUMALAN, changes, Lang.AR, Format.TEXT) == f"تحديث رصد #123: {ar}"
    assert render_update(RUMALAN, changes, Lang.EN, Format.TEXT) == f"Update Rasad #123: {en}"
    both = render_update(RUMALAN, changes, Lang.BOTH, Format.HTML)
    assert both.startswith("<b>تحديث</b> رصد #123") and "\n<b>Update</b> Rasad #123" in both
    assert_telegram_ok(both)


def test_render_update_escapes_claimant() -> None:
    out = render_update(RUMALAN, [Change("claimed_by", None, "<i>&", True)], Lang.EN, Format.HTML)
    assert "&lt;i&gt;&amp;" in out
    assert_telegram_ok(out)


# --- property -------------------------------------------------------------------------------------

_text = st.text(max_size=300)
_opt_text = st.none() | _text
_place = st.none() | st.builds(
    Place, _text, _text, _text, _text, _text, _text,
    st.none() | st.floats(allow_nan=True), st.none() | st.floats(allow_nan=True),
)
_views = st.builds(
    AlertView,
    incident_id=st.integers(0, 10**12),
    version=st.integers(1, 100),
    place=_place,
    country=_opt_text,
    province_en=_opt_text,
    province_ar=_opt_text,
    target_kind=st.sampled_from(["base", "convoy", "diplomatic"]) | _text,
    date=st.none() | st.dates(),
    weapon=st.sampled_from(["rocket", "missile", "mortar", "drone", "ied", "gunfire", "mixed", "unknown"]) | _text,
    count=st.none() | st.integers(-5, 10**7),
    killed=st.none() | st.integers(-5, 10**7),
    wounded=st.none() | st.integers(-5, 10**7),
    intercepted=st.booleans(),
    claimed_by=_opt_text,
    launch_site=_opt_text,
    sources=st.lists(
        st.builds(SourceLink, _text, st.sampled_from(["https://a.example/", "http://b.example/?x=1&y="]) | _text),
        max_size=60,
    ).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(_views, st.sampled_from(list(Lang)))
def test_render_alert_never_breaks_telegram(view: AlertView, lang: Lang) -> None:
    out = render_alert(view, lang, Format.HTML)
    assert_telegram_ok(out)
    text = render_alert(view, lang, Format.TEXT)
    assert utf16_len(text) <= 4096


@settings(max_examples=200, deadline=None)
@given(
    _views,
    st.lists(
        st.builds(
            Change,
            st.sampled_from(["killed", "wounded", "count", "claimed_by", "base_id", "date", "weapon",
                             "intercepted", "launch_site", "lat", "province"]),
            st.none() | st.integers(-5, 10**7) | _text | st.booleans(),
            st.none() | st.integers(-5, 10**7) | _text | st.booleans() | st.dates(),
            st.booleans(),
        ),
        max_size=30,
    ),
    st.sampled_from(list(Lang)),
)
def test_render_update_never_breaks_telegram(view: AlertView, changes: list[Change], lang: Lang) -> None:
    assert_telegram_ok(render_update(view, changes, lang, Format.HTML))


def test_no_double_brackets() -> None:
    # A gazetteer name with its own brackets takes the area after a comma, not a second pair.
    place = Place(
        "SY-RLZ", "Rumalyn Landing Zone (Rmeilan)", "قاعدة رميلان (مطار أبو حجر)", "syria", "Hasakah", "الحسكة"
    )
    view = AlertView(1, 1, place=place, country="syria", weapon="rocket")
    assert render_alert(view, Lang.AR, Format.TEXT).splitlines()[0] == (
        "هجوم صاروخي على قاعدة رميلان (مطار أبو حجر)، الحسكة، سوريا"
    )
    assert render_alert(view, Lang.EN, Format.TEXT).splitlines()[0] == (
        "Rocket attack on Rumalyn Landing Zone (Rmeilan), Hasakah, Syria"
    )


# --- facts that must not leak or mislead -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Mafraq (unverified)", "Mafraq"),
        ("Mafraq (Unverified)", "Mafraq"),
        ("Homs [approximate]", "Homs"),
        ("المفرق (غير مؤكد)", "المفرق"),
        ("Tower 22 (?)", "Tower 22"),
        # Brackets that are part of a name stay.
        ("Rumalyn Landing Zone (Rmeilan)", "Rumalyn Landing Zone (Rmeilan)"),
        ("Riyadh (al-Kharj)", "Riyadh (al-Kharj)"),
        ("", ""),
    ],
)
def test_public_name_drops_gazetteer_notes(raw: str, shown: str) -> None:
    assert public_name(raw) == shown


def test_gazetteer_note_never_reaches_an_alert() -> None:
    noted = Place("JO-T22", "Tower 22", "البرج 22", "jordan", "Mafraq (unverified)", "المفرق")
    view = alert_view(5, 1, IncidentFacts(base_id="JO-T22", country="jordan", weapon="drone"), (ENAB,), noted)
    for lang in Lang:
        out = render_alert(view, lang, Format.HTML)
        assert "unverified" not in out
    assert "Drone attack on Tower 22 (Mafraq, Jordan)" in render_alert(view, Lang.EN, Format.TEXT)


def test_the_real_gazetteer_has_no_note_in_an_alert() -> None:
    import json
    from importlib import resources

    from extractor.gazetteer import gazetteer

    raw = json.loads(resources.files("extractor").joinpath("data/gazetteer.json").read_text("utf-8"))
    for item in raw["places"]:
        place = gazetteer().get(item["id"])
        assert place is not None
        view = alert_view(1, 1, IncidentFacts(base_id=place.id, country=place.country), (), place)
        out = render_alert(view, Lang.BOTH, Format.TEXT)
        assert "unverified" not in out.lower(), out


def test_one_name_per_outlet_with_its_links() -> None:
    sources = (
        SourceLink("Rudaw", "https://www.rudaw.net/1"),
        ENAB,
        SourceLink("Rudaw", "https://www.rudaw.net/2"),
        SourceLink(" rudaw ", "https://www.rudaw.net/3"),
        SourceLink("Rudaw", "https://www.rudaw.net/2"),  # the same article twice
    )
    assert outlets(sources) == [
        ("Rudaw", ["https://www.rudaw.net/1", "https://www.rudaw.net/2", "https://www.rudaw.net/3"]),
        ("Enab Baladi", ["https://www.enabbaladi.net/archives/1"]),
    ]
    out = render_alert(replace(RUMALAN, sources=sources), Lang.EN, Format.HTML)
    assert out.count("Rudaw") == 1 and out.count("Enab Baladi") == 1
    assert (
        'Sources: <a href="https://www.rudaw.net/1">Rudaw</a> (<a href="https://www.rudaw.net/2">2</a>, '
        '<a href="https://www.rudaw.net/3">3</a>), <a href="https://www.enabbaladi.net/archives/1">Enab Baladi</a>'
    ) in out
    ar = render_alert(replace(RUMALAN, sources=sources), Lang.AR, Format.TEXT)
    assert ar.count("Rudaw") == 1 and "، " in ar
    assert_telegram_ok(out)


def test_update_names_the_outlet_that_brought_it() -> None:
    via = SourceLink("Shafaq <News>", "https://shafaq.com/x")
    changes = [Change("count", 5, 8, True), Change("intercepted", False, True, True)]
    en = render_update(RUMALAN, changes, Lang.EN, Format.TEXT, source=via)
    assert en == (
        "Update Rasad #123 (according to Shafaq <News> <https://shafaq.com/x>): count now 8 rockets; intercepted"
    )
    ar = render_update(RUMALAN, changes, Lang.AR, Format.TEXT, source=via)
    assert ar.startswith("تحديث رصد #123 (بحسب Shafaq <News>") and "ارتفع العدد إلى 8 صواريخ؛ تم الاعتراض" in ar
    both = render_update(RUMALAN, changes, Lang.BOTH, Format.HTML, source=via)
    assert "Shafaq &lt;News&gt;" in both
    assert_telegram_ok(both)


def test_ranges_and_official_figures_in_an_alert() -> None:
    view = replace(RUMALAN, count=5, count_low=3, killed=4, killed_low=2, wounded=7, official=("wounded",))
    en = render_alert(view, Lang.EN, Format.TEXT)
    assert "3–5 rockets from Zummar" in en and "2–4 killed, 7 wounded (official figure)" in en
    ar = render_alert(view, Lang.AR, Format.TEXT)
    assert "بين 3 و5 صواريخ من" in ar and "بين 2 و4 قتلى و7 جرحى (حسب الرواية الرسمية)" in ar
