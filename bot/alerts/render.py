"""Alert text for the terminal and for Telegram: one Arabic block, one English block, or both.

Pure: a view of one incident in, a string out. Every piece of feed text (outlet names, place,
claimant, launch site) is cleaned, clipped to a fixed size and escaped before it is placed, so
the fixed-size head of an alert is bounded whatever the feeds send; only the list of sources
grows, and it is cut first ("+N more"), whole links at a time, never inside a tag or an entity.
Arabic comes from templates in `bot.alerts.i18n`, never from translation, and unknown facts are left
out rather than guessed.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum
from html.parser import HTMLParser
from typing import Final
from urllib.parse import urlsplit

from bot.alerts import i18n
from bot.alerts.timeofday import DEFAULT_TZ, TZ_NAMES, local_clock
from bot.alerts.vouch import vouch_line
from bot.incidents.decide import FACT_FIELDS, Change, IncidentFacts
from bot.incidents.status import Status
from extractor import arabic_place_name
from extractor.types import Place, TargetKind, Weapon

TELEGRAM_LIMIT: Final = 4096
"""Telegram's cap on a message, in UTF-16 code units of the text after entity parsing."""

SOFT_BUDGET: Final = 1000
"""What an alert normally stays under; sources beyond it are summarised as "+N more"."""

MAX_LINKS: Final = 20
"""At most this many source links, to stay clear of Telegram's per-message entity limits."""

# Clip sizes, in UTF-16 units of the escaped text: together they bound the head of an alert.
PLACE_MAX: Final = 80
AREA_MAX: Final = 40
CLAIM_MAX: Final = 80
LAUNCH_MAX: Final = 60
SOURCE_MAX: Final = 60
URL_MAX: Final = 2000
MAX_CHANGES: Final = 20
MAX_FIGURE: Final = 1_000_000
"""Counts and casualties at or above this are treated as unknown: no real report has them."""


class Lang(StrEnum):
    """Which blocks a chat gets."""

    AR = "ar"
    EN = "en"
    BOTH = "both"


class Format(StrEnum):
    """TEXT for the terminal, HTML for Telegram's HTML parse mode."""

    TEXT = "text"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class SourceLink:
    """One outlet that reported the incident; both fields are feed text, so untrusted."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class AlertView:
    """Everything an alert shows about one stored incident."""

    incident_id: int
    version: int
    place: Place | None = None
    country: str | None = None
    province_en: str | None = None
    province_ar: str | None = None
    target_kind: str = TargetKind.BASE.value
    date: date | None = None
    weapon: str = Weapon.UNKNOWN.value
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    intercepted: bool = False
    claimed_by: str | None = None
    launch_site: str | None = None
    sources: tuple[SourceLink, ...] = ()
    # Who vouches (issue 13): the status and the attributions, most authoritative first; None: not shown.
    status: str | None = None
    vouchers: tuple[str, ...] = ()
    count_low: int | None = None
    killed_low: int | None = None
    wounded_low: int | None = None
    """Lower ends of ranges: set when outlets disagree (`bot.alerts.figures.reconcile`)."""
    official: tuple[str, ...] = ()
    """The figures ("count", "killed", "wounded") an official body gave, so shown as official."""
    time_of_day: i18n.Name | None = None
    """The attack's time of day as an article gave it (`bot.alerts.timeofday.time_of_day`)."""
    first_seen_at: datetime | None = None
    """When Rasad first learned of the attack; shown in `tz`."""
    tz: str = DEFAULT_TZ


_VIEW_FIELDS: Final = frozenset(f.name for f in fields(AlertView)) - {"country", "status", "vouchers"}
"""The facts an alert shows as they are (the country falls back to the place's; place fields are the place's)."""


def alert_view(
    incident_id: int,
    version: int,
    facts: IncidentFacts,
    sources: Sequence[SourceLink] = (),
    place: Place | None = None,
) -> AlertView:
    """Build the view of a stored incident; `place` is the gazetteer entry for `facts.base_id`."""
    if place is not None:  # internal notes in the gazetteer never reach a reader
        place = replace(
            place,
            name_en=public_name(place.name_en),
            name_ar=public_name(place.name_ar),
            province_en=public_name(place.province_en),
            province_ar=public_name(place.province_ar),
        )
    province_en = public_name(facts.province or "") or (place.province_en if place else None) or None
    known = i18n.province_name(province_en)
    province_ar = (place.province_ar if place and place.province_ar else None) or (known.ar if known else None)
    shown = {name: getattr(facts, name) for name in FACT_FIELDS if name in _VIEW_FIELDS}
    return AlertView(
        **shown,
        incident_id=incident_id,
        version=version,
        place=place,
        country=facts.country or (place.country if place else None),
        province_en=province_en,
        province_ar=province_ar,
        sources=tuple(sources),
    )


# --- helpers --------------------------------------------------------------------------------------


def utf16_len(s: str) -> int:
    """Length as Telegram counts it: characters beyond the BMP take two UTF-16 units."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_visible_text(s: str) -> str:
    """The text a reader sees once the HTML is parsed: tags dropped, entities decoded."""
    parser = _Visible()
    parser.feed(s)
    parser.close()
    return "".join(parser.parts)


_SPACE = re.compile(r"\s+")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_NOTE: Final = re.compile(
    r"\s*[(\[]\s*(?:unverified|approximate|approx\.?|uncertain|disputed|unconfirmed|tbc|tbd|\?+|"
    r"غير مؤكد|غير مؤكدة|تقريبي|تقريبية)\s*[)\]]",
    re.IGNORECASE,
)


def public_name(text: str) -> str:
    """A gazetteer name or area without our internal notes: "Mafraq (unverified)" is shown as "Mafraq".

    The notes help whoever edits the gazetteer; a reader would take them for a claim about the attack.
    """
    return _SPACE.sub(" ", _NOTE.sub("", text)).strip()


def _clean(text: str) -> str:
    """Feed text on one line: control, surrogate and bidi-override characters dropped, spaces collapsed.

    Overrides are dropped because one stray U+202E reverses the rest of the message.
    """
    kept = "".join(
        c for c in text
        if c in "\t\n\r" or (unicodedata.category(c) not in ("Cc", "Cs") and c not in _BIDI_CONTROLS)
    )
    return _SPACE.sub(" ", kept).strip()


class _Markup:
    """Escaping and our own tags for one output format; the only place tags are written."""

    def __init__(self, fmt: Format) -> None:
        self.html = fmt is Format.HTML

    def esc(self, text: str) -> str:
        return html.escape(text, quote=False) if self.html else text

    def field(self, text: str, limit: int) -> str:
        """Clean feed text and escape it, cut so that the escaped form fits `limit` (with "…")."""
        text = _clean(text)
        escaped = self.esc(text)
        if utf16_len(escaped) <= limit:
            return escaped
        out: list[str] = []
        used = 1  # room for the ellipsis
        for c in text:
            piece = self.esc(c)
            size = utf16_len(piece)
            if used + size > limit:
                break
            out.append(piece)
            used += size
        return "".join(out).rstrip() + "…"

    def bold(self, inner: str) -> str:
        return f"<b>{inner}</b>" if self.html else inner

    def link(self, label: str, url: str) -> str:
        """A link when the URL is a plain http(s) one, else the bare label."""
        if not _safe_url(url):
            return label
        if self.html:
            return f'<a href="{html.escape(url, quote=True)}">{label}</a>'
        return f"{label} <{url}>"


def _safe_url(url: str) -> bool:
    """Only absolute http(s) URLs of sane length, with no spaces or control characters, become links."""
    if not url or len(url) > URL_MAX or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def osm_url(lat: float | None, lon: float | None) -> str | None:
    """An OpenStreetMap link centred on the coordinates, or None when they are unknown or absurd."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.4f}&mlon={lon:.4f}#map=12/{lat:.4f}/{lon:.4f}"


def _int(value: object) -> int | None:
    """A figure fit to print: a non-negative int below a million (bools and absurd values dropped)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_FIGURE:
        return value
    return None


# --- place phrases --------------------------------------------------------------------------------

_AR_SITE_WORDS: Final = (
    "قاعدة", "مطار", "حقل", "معسكر", "معمل", "موقع", "البرج", "برج", "مقر", "منشأة", "السفارة",
    "سفارة", "القنصلية", "قنصلية", "مجمع", "محطة",
)
_EN_SITE_WORDS: Final = re.compile(
    r"\b(base|airbase|airport|airfield|air ?strip|field|camp|garrison|tower|site|plant|complex|fob|mss|"
    r"landing zone|embassy|consulate|station|range|palace|centre|center|outpost|facility)\b",
    re.IGNORECASE,
)


def _base_ar(m: _Markup, place: Place) -> str:
    """«قاعدة الرميلان», but never «قاعدة قاعدة …» or «قاعدة مطار …»."""
    name = public_name(_clean(place.name_ar)) or public_name(_clean(place.name_en))
    text = m.field(name, PLACE_MAX)
    if name.startswith(_AR_SITE_WORDS):
        return text
    return f"قاعدة {text}"


def _base_en(m: _Markup, place: Place) -> str:
    """"Rumalan base", but "Ain al-Asad Air Base" and "Tower 22" as they are."""
    name = public_name(_clean(place.name_en)) or public_name(_clean(place.name_ar))
    text = m.field(name, PLACE_MAX)
    if _EN_SITE_WORDS.search(name):
        return text
    return f"{text} base"


def _area(v: AlertView, m: _Markup, ar: bool) -> str:
    """"Province, Country" in the block's language, from tables when known, else as given."""
    parts: list[str] = []
    prov_en = public_name(v.province_en or (v.place.province_en if v.place else None) or "") or None
    prov_ar = public_name(v.province_ar or (v.place.province_ar if v.place else None) or "") or None
    known = i18n.province_name(prov_en or prov_ar)
    province = (prov_ar or (known.ar if known else prov_en)) if ar else (prov_en or (known.en if known else prov_ar))
    if province and _clean(province):
        parts.append(m.field(province, AREA_MAX))
    country = v.country or (v.place.country if v.place else None)
    if country and _clean(country):
        named = i18n.country_name(country)
        parts.append(m.esc(named.ar if ar else named.en) if named else m.field(country, AREA_MAX))
    return ("، " if ar else ", ").join(parts)


def _after(name: str, area: str, *, ar: bool) -> str:
    """The area after a named place: in brackets, or after a comma when the name ends in brackets."""
    if not area:
        return ""
    if name.endswith(")"):
        return f"، {area}" if ar else f", {area}"
    return f" ({area})"


def _headline(v: AlertView, m: _Markup, ar: bool) -> str:
    """What happened where: weapon phrase, target, then the area."""
    weapon = i18n.weapon_of(v.weapon)
    kind = i18n.target_kind_of(v.target_kind)
    phrase = i18n.WEAPON_ATTACK[weapon].ar if ar else i18n.WEAPON_ATTACK[weapon].en
    area = _area(v, m, ar)
    if ar:
        if v.place is None:
            target = i18n.TARGET_KIND[kind].ar
            where = f" في {area}" if area else ""
        else:
            if kind is TargetKind.CONVOY:
                target = f"رتل إمداد قرب {_base_ar(m, v.place)}"
            elif kind is TargetKind.DIPLOMATIC:
                target = m.field(public_name(_clean(v.place.name_ar) or v.place.name_en), PLACE_MAX)
            else:
                target = _base_ar(m, v.place)
            where = _after(target, area, ar=True)
        return f"{phrase} على {target}{where}"
    prep = "at" if weapon is Weapon.GUNFIRE else "on"
    if v.place is None:
        target = f"a {i18n.TARGET_KIND[kind].en}"
        where = f" in {area}" if area else ""
    else:
        if kind is TargetKind.CONVOY:
            target = f"a supply convoy near {_base_en(m, v.place)}"
        elif kind is TargetKind.DIPLOMATIC:
            target = m.field(public_name(_clean(v.place.name_en) or v.place.name_ar), PLACE_MAX)
        else:
            target = _base_en(m, v.place)
        where = _after(target, area, ar=False)
    return f"{phrase} {prep} {target}{where}"


# --- detail phrases -------------------------------------------------------------------------------


def _low(low: int | None, n: int) -> int:
    """The lower end of a range ending at `n` (n itself when there is no range)."""
    low = _int(low)
    return low if low is not None and low < n else n


def casualties_ar(
    killed: int | None, wounded: int | None, killed_low: int | None = None, wounded_low: int | None = None
) -> str | None:
    """«دون إصابات», «3 قتلى و40 جريحاً», «5 جرحى دون قتلى», «بين 3 و5 قتلى»; None when nothing is known."""
    if killed == 0 and wounded == 0:
        return "دون إصابات"
    counted = [
        i18n.ar_range(_low(low, n), n, noun)
        for n, low, noun in ((killed, killed_low, i18n.KILLED), (wounded, wounded_low, i18n.WOUNDED)) if n
    ]
    text = " و".join(counted)
    none = [word for n, word in ((killed, "قتلى"), (wounded, "جرحى")) if n == 0]
    if none:
        text = f"{text} دون {none[0]}" if text else f"دون {none[0]}"
    return text or None


def casualties_en(
    killed: int | None, wounded: int | None, killed_low: int | None = None, wounded_low: int | None = None
) -> str | None:
    """"no casualties", "3 killed, 40 wounded", "5 wounded, none killed", "3–5 killed"; None when unknown."""
    if killed == 0 and wounded == 0:
        return "no casualties"
    counted = [
        f"{n if _low(low, n) == n else f'{_low(low, n)}–{n}'} {word}"
        for n, low, word in ((killed, killed_low, "killed"), (wounded, wounded_low, "wounded")) if n
    ]
    none = [word for n, word in ((killed, "killed"), (wounded, "wounded")) if n == 0]
    if none:
        counted.append(f"none {none[0]}" if counted else f"no one {none[0]}")
    return ", ".join(counted) or None


def _launch(site: str | None, m: _Markup, ar: bool) -> str | None:
    """The launch site as the alert shows it: in Arabic script in the Arabic block when the name is known."""
    if not site or not _clean(site):
        return None
    shown = (arabic_place_name(site) or site) if ar else site
    return m.field(shown, LAUNCH_MAX)


_OFFICIAL_AR: Final = " (حسب الرواية الرسمية)"
_OFFICIAL_EN: Final = " (official figure)"


def _details(v: AlertView, m: _Markup, ar: bool) -> list[str]:
    """When, how many (and from where), outcome, claim: only what the reports said."""
    weapon = i18n.weapon_of(v.weapon)
    noun = i18n.WEAPON_NOUN[weapon]
    out: list[str] = []
    if v.date is not None:
        when = i18n.format_date_ar(v.date) if ar else i18n.format_date_en(v.date)
        if v.time_of_day is not None:
            when += f" {v.time_of_day.ar}" if ar else f", {v.time_of_day.en}"
        out.append(when)
    elif v.time_of_day is not None:
        out.append(v.time_of_day.ar if ar else v.time_of_day.en)
    launch = _launch(v.launch_site, m, ar)
    count = _int(v.count) if weapon is not Weapon.GUNFIRE else None
    count = count or None  # "0 rockets" is not a fact worth printing
    if count is not None:
        low = _low(v.count_low, count)
        amount = i18n.ar_range(low, count, noun) if ar else i18n.en_range(low, count, noun)
        if "count" in v.official:
            amount += _OFFICIAL_AR if ar else _OFFICIAL_EN
        out.append(f"{amount} {'من' if ar else 'from'} {launch}" if launch else amount)
    elif launch:
        out.append(f"أُطلقت من {launch}" if ar else f"launched from {launch}")
    if v.intercepted:
        out.append(f"تم اعتراض{i18n.ar_object_suffix(count, noun)}" if ar else "intercepted")
    killed, wounded = _int(v.killed), _int(v.wounded)
    casualties = (casualties_ar if ar else casualties_en)(killed, wounded, v.killed_low, v.wounded_low)
    if casualties:
        if {"killed", "wounded"} & set(v.official):
            casualties += _OFFICIAL_AR if ar else _OFFICIAL_EN
        out.append(casualties)
    if v.claimed_by and _clean(v.claimed_by):
        out.append(_claim(v.claimed_by, m, ar))  # a claim not yet reported by others: the status line says so
    if v.first_seen_at is not None:
        out.append(first_seen_phrase(v.first_seen_at, v.tz, ar))
    return out


def first_seen_phrase(moment: datetime, tz: str, ar: bool) -> str:
    """«أول نبأ 14:05 بتوقيت بغداد» / "first reported 14:05 Baghdad time"."""
    zone = TZ_NAMES.get(tz) or i18n.Name(f"({tz})", f"({tz})")
    clock = local_clock(moment, tz if tz in TZ_NAMES else DEFAULT_TZ)
    return f"أول نبأ {clock} {zone.ar}" if ar else f"first reported {clock} {zone.en}"


def _claim(claimant: str, m: _Markup, ar: bool) -> str:
    known = i18n.claimant_name(claimant)
    name = m.esc(known.ar if ar else known.en) if known else m.field(claimant, CLAIM_MAX)
    return f"تبنّته {name}" if ar else f"claimed by {name}"


# --- assembly -------------------------------------------------------------------------------------

_SEP: Final = " · "


def _block(v: AlertView, m: _Markup, ar: bool) -> list[str]:
    lines = [m.bold(_headline(v, m, ar))]
    details = _details(v, m, ar)
    if details:
        lines.append(_SEP.join(details))
    if v.status:
        lines.append(m.field(vouch_line(v.status, v.vouchers, ar=ar), 160))
    return lines


def _blocks(v: AlertView, m: _Markup, lang: Lang) -> list[str]:
    if lang is Lang.AR:
        return _block(v, m, True)
    if lang is Lang.EN:
        return _block(v, m, False)
    return [*_block(v, m, True), "", *_block(v, m, False)]


def _footer(lang: Lang, ar: str, en: str) -> str:
    """A footer word in the alert's language; both ("المصادر / Sources") when the alert has both blocks."""
    return ar if lang is Lang.AR else en if lang is Lang.EN else f"{ar} / {en}"


def _id_line(v: AlertView, m: _Markup, lang: Lang) -> str:
    text = f"{_footer(lang, 'رصد', 'Rasad')} #{v.incident_id}"
    lat, lon = (v.place.lat, v.place.lon) if v.place else (None, None)
    url = osm_url(lat, lon)
    if url:
        text += _SEP + m.link(_footer(lang, "خريطة", "Map"), url)
    return text


def outlets(sources: Sequence[SourceLink]) -> list[tuple[str, list[str]]]:
    """The sources grouped by outlet, in first-seen order: one name, each of its article links once.

    Outlets are told apart by their cleaned, case-folded name (the host when a name is missing),
    so "وكالة …، وكالة …، وكالة …" becomes one name with three links.
    """
    groups: dict[str, tuple[str, list[str]]] = {}
    for s in sources:
        name = _clean(s.name) or (urlsplit(s.url).netloc if _safe_url(s.url) else "") or "?"
        key = name.casefold()
        _, urls = groups.setdefault(key, (name, []))
        if s.url not in urls:
            urls.append(s.url)
    return list(groups.values())


def _sources_line(sources: Sequence[SourceLink], m: _Markup, lang: Lang, room: int) -> str:
    """As many outlets as fit in `room` UTF-16 units, in order, then "+N more" for the rest.

    Each outlet is named once: its name links to its first article, further articles follow as
    numbered links ("Rudaw (2, 3)").
    """
    ar = lang is Lang.AR
    label = _footer(lang, "المصادر", "Sources") + ": "
    sep = "، " if ar else ", "

    def more(n: int) -> str:
        return f" +{n} " + _footer(lang, "أخرى", "more")

    groups = outlets(sources)
    shown: list[str] = []
    used = utf16_len(label)
    links = 0
    for i, (name, urls) in enumerate(groups):
        if links >= MAX_LINKS:
            break
        urls = urls[: MAX_LINKS - links]
        piece = m.link(m.field(name, SOURCE_MAX), urls[0])
        if len(urls) > 1:
            extra = sep.join(m.link(str(n), u) for n, u in enumerate(urls[1:], 2))
            piece += f" ({extra})"
        rest = len(groups) - i - 1
        cost = utf16_len(piece) + (utf16_len(sep) if shown else 0)
        if used + cost + (utf16_len(more(rest)) if rest else 0) > room:
            break
        shown.append(piece)
        used += cost
        links += len(urls)
    hidden = len(groups) - len(shown)
    return label + sep.join(shown) + (more(hidden) if hidden else "")


def _fit(lines: list[str], limit: int) -> str:
    """Join lines; should the whole still exceed `limit`, drop whole lines from the end."""
    while len(lines) > 1 and utf16_len("\n".join(lines)) > limit:
        lines = lines[:-1]
    return "\n".join(lines)


def render_alert(
    v: AlertView, lang: Lang, fmt: Format, *, budget: int = SOFT_BUDGET
) -> str:
    """The alert for one incident: the blocks for `lang`, the sources, the id and a map link.

    Sources are cut ("+N more") so the raw string stays within `budget` UTF-16 units whenever the
    facts alone fit (they are clipped field by field, so a hostile bilingual alert may pass 1,000);
    it never passes Telegram's 4096, and the visible text is never longer than the raw string.
    """
    m = _Markup(fmt)
    limit = max(0, min(budget, TELEGRAM_LIMIT))
    head = _blocks(v, m, lang)
    id_line = _id_line(v, m, lang)
    if not v.sources:
        return _fit([*head, id_line], TELEGRAM_LIMIT)
    fixed = utf16_len("\n".join([*head, id_line])) + 1  # +1 for the sources line's newline
    sources = _sources_line(v.sources, m, lang, max(0, limit - fixed))
    return _fit([*head, sources, id_line], TELEGRAM_LIMIT)


# --- updates --------------------------------------------------------------------------------------


_STATUS_VALUES: Final = frozenset(s.value for s in Status)


def _change_phrase(c: Change, v: AlertView, m: _Markup, ar: bool) -> str | None:
    """One change as a short phrase; None for fields a reader does not need to hear about."""
    new, old = _int(c.new), _int(c.old)
    noun = i18n.WEAPON_NOUN[i18n.weapon_of(v.weapon)]
    if c.field in ("killed", "wounded") and new is not None:
        is_killed = c.field == "killed"
        if old is None:
            return (casualties_ar if ar else casualties_en)(*((new, None) if is_killed else (None, new)))
        if ar:
            return f"ارتفع عدد {'القتلى' if is_killed else 'الجرحى'} إلى {new}"
        return f"{c.field} now {new}"
    if c.field == "count" and new is not None and new > 0:
        amount = i18n.ar_count(new, noun) if ar else i18n.en_count(new, noun)
        if old is None:
            return f"العدد: {amount}" if ar else f"count: {amount}"
        return f"ارتفع العدد إلى {amount}" if ar else f"count now {amount}"
    if c.field == "claimed_by" and isinstance(c.new, str) and _clean(c.new):
        return _claim(c.new, m, ar)
    if c.field == "base_id" and v.place is not None:
        return f"المكان: {_headline_place(v, m, ar)}" if ar else f"place: {_headline_place(v, m, ar)}"
    if c.field == "date" and isinstance(c.new, date):
        return f"التاريخ: {i18n.format_date_ar(c.new)}" if ar else f"date: {i18n.format_date_en(c.new)}"
    if c.field == "weapon" and isinstance(c.new, str):
        name = i18n.WEAPON_NAME[i18n.weapon_of(c.new)]
        return f"السلاح: {name.ar}" if ar else f"weapon: {name.en}"
    if c.field == "intercepted" and c.new is True:
        return "تم الاعتراض" if ar else "intercepted"
    if c.field == "status" and isinstance(c.new, str) and c.new in _STATUS_VALUES:
        line = vouch_line(c.new, v.vouchers, ar=ar)
        return m.field(line, 160)
    if c.field == "launch_site" and isinstance(c.new, str) and (site := _launch(c.new, m, ar)):
        return f"أُطلقت من {site}" if ar else f"launched from {site}"
    return None


def _headline_place(v: AlertView, m: _Markup, ar: bool) -> str:
    assert v.place is not None
    base = _base_ar(m, v.place) if ar else _base_en(m, v.place)
    area = _area(v, m, ar)
    return base + _after(base, area, ar=ar)


def _update_line(
    v: AlertView, changes: Sequence[Change], m: _Markup, ar: bool, source: SourceLink | None = None
) -> str:
    phrase: Callable[[Change], str | None] = lambda c: _change_phrase(c, v, m, ar)  # noqa: E731
    killed = next((c for c in changes if c.field == "killed"), None)
    wounded = next((c for c in changes if c.field == "wounded"), None)
    parts: list[str] = []
    for c in changes:
        if (
            c in (killed, wounded) and killed and wounded
            and killed.old is None and wounded.old is None and killed.new == 0 and wounded.new == 0
        ):
            if c is killed:  # both became known as zero: one phrase, not two
                parts.append("دون إصابات" if ar else "no casualties")
            continue
        text = phrase(c)
        if text:
            parts.append(text)
    head = m.bold("تحديث" if ar else "Update")
    ident = f"رصد #{v.incident_id}" if ar else f"Rasad #{v.incident_id}"
    body = ("؛ " if ar else "; ").join(parts) or ("لا جديد" if ar else "nothing new")
    if source is not None and _clean(source.name):
        outlet = m.link(m.field(source.name, SOURCE_MAX), source.url)
        ident += f" (بحسب {outlet})" if ar else f" (according to {outlet})"
    return f"{head} {ident}: {body}"


def render_update(
    v: AlertView, changes: Sequence[Change], lang: Lang, fmt: Format, *, source: SourceLink | None = None
) -> str:
    """A short reply to the original alert saying what changed (material changes; all if none are).

    `source` is the outlet whose report brought the change; it is named (and linked) in each block.
    """
    m = _Markup(fmt)
    shown = ([c for c in changes if c.material] or list(changes))[:MAX_CHANGES]
    lines: list[str] = []
    if lang in (Lang.AR, Lang.BOTH):
        lines.append(_update_line(v, shown, m, True, source))
    if lang in (Lang.EN, Lang.BOTH):
        lines.append(_update_line(v, shown, m, False, source))
    return _fit(lines, TELEGRAM_LIMIT)
