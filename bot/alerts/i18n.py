"""Arabic and English names used in alerts and command replies: data plus tiny pure helpers.

Arabic text here is written from templates and tables, never machine-translated, so a reader
sees the same words for the same fact in every alert, `/recent` line and `/stats` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from bot.incidents.decide import name_key
from bot.incidents.status import Status
from extractor.attribution import SourceKind
from extractor.types import TargetKind, Weapon


class Gender(StrEnum):
    """Grammatical gender of an Arabic noun; numbers 1 and 2 agree with it."""

    MASC = "m"
    FEM = "f"


@dataclass(frozen=True, slots=True)
class Name:
    """One thing's name in both languages."""

    ar: str
    en: str


@dataclass(frozen=True, slots=True)
class ArNoun:
    """The forms of a countable noun that Arabic number agreement needs (digits style).

    `singular` also serves after 100, 200, … (مئة صاروخ); `accusative` after 11–99 (15 صاروخاً).
    """

    singular: str
    dual: str
    plural: str
    accusative: str
    gender: Gender
    en_singular: str
    en_plural: str


# --- counted nouns ------------------------------------------------------------------------------

ROCKET: Final = ArNoun("صاروخ", "صاروخان", "صواريخ", "صاروخاً", Gender.MASC, "rocket", "rockets")
MISSILE: Final = ArNoun(
    "صاروخ باليستي", "صاروخان باليستيان", "صواريخ باليستية", "صاروخاً باليستياً", Gender.MASC,
    "ballistic missile", "ballistic missiles",
)
SHELL: Final = ArNoun("قذيفة هاون", "قذيفتا هاون", "قذائف هاون", "قذيفة هاون", Gender.FEM,
                      "mortar shell", "mortar shells")
DRONE: Final = ArNoun("طائرة مسيّرة", "طائرتان مسيّرتان", "طائرات مسيّرة", "طائرة مسيّرة", Gender.FEM,
                      "drone", "drones")
IED: Final = ArNoun("عبوة ناسفة", "عبوتان ناسفتان", "عبوات ناسفة", "عبوة ناسفة", Gender.FEM, "IED", "IEDs")
PROJECTILE: Final = ArNoun("مقذوف", "مقذوفان", "مقذوفات", "مقذوفاً", Gender.MASC,
                           "projectile", "projectiles")
ATTACK: Final = ArNoun("هجوم", "هجومان", "هجمات", "هجوماً", Gender.MASC, "attack", "attacks")
KILLED: Final = ArNoun("قتيل", "قتيلان", "قتلى", "قتيلاً", Gender.MASC, "killed", "killed")
WOUNDED: Final = ArNoun("جريح", "جريحان", "جرحى", "جريحاً", Gender.MASC, "wounded", "wounded")
SOURCE: Final = ArNoun("مصدر", "مصدران", "مصادر", "مصدراً", Gender.MASC, "source", "sources")

_ONE: Final = {Gender.MASC: "واحد", Gender.FEM: "واحدة"}


def ar_count(n: int, noun: ArNoun) -> str:
    """Digits plus the noun in the form Arabic grammar requires for that number.

    1 → «صاروخ واحد», 2 → «صاروخان», 3–10 → «5 صواريخ», 11–99 → «15 صاروخاً», and the
    hundreds follow the last two digits (103 صواريخ, 111 صاروخاً, 100 صاروخ).
    """
    if n < 0:
        raise ValueError("a count is never negative")
    if n == 1:
        # The adjective "one" follows the whole noun phrase: طائرة مسيّرة واحدة.
        return f"{noun.singular} {_ONE[noun.gender]}"
    if n == 2:
        return noun.dual
    tail = n % 100
    if n == 0 or (n >= 100 and tail in (0, 1, 2)):
        return f"{n} {noun.singular}"
    if 3 <= tail <= 10:
        return f"{n} {noun.plural}"
    return f"{n} {noun.accusative}"


def ar_range(low: int, high: int, noun: ArNoun) -> str:
    """A range of counts: «بين 3 و5 صواريخ», «صاروخ واحد أو صاروخان»; one figure when they agree."""
    if low >= high:
        return ar_count(high, noun)
    if high <= 2:
        return f"{ar_count(low, noun)} أو {ar_count(high, noun)}"
    return f"بين {low} و{ar_count(high, noun)}"


def en_range(low: int, high: int, noun: ArNoun) -> str:
    """"3–5 rockets"; one figure when they agree."""
    if low >= high:
        return en_count(high, noun)
    return f"{low}–{high} {noun.en_plural}"


def en_count(n: int, noun: ArNoun) -> str:
    """English count with the plural chosen by number."""
    return f"{n} {noun.en_singular if n == 1 else noun.en_plural}"


def ar_object_suffix(n: int | None, noun: ArNoun) -> str:
    """The pronoun suffix that refers back to the counted things (تم اعتراضه/ها/هما)."""
    if n == 1:
        return "ه" if noun.gender is Gender.MASC else "ها"
    if n == 2:
        return "هما"
    return "ها"  # non-human plurals take the feminine singular


# --- weapons ------------------------------------------------------------------------------------

WEAPON_ATTACK: Final = MappingProxyType({
    Weapon.ROCKET: Name("هجوم صاروخي", "Rocket attack"),
    Weapon.MISSILE: Name("هجوم بصواريخ باليستية", "Ballistic missile attack"),
    Weapon.MORTAR: Name("هجوم بقذائف هاون", "Mortar attack"),
    Weapon.DRONE: Name("هجوم بطائرات مسيّرة", "Drone attack"),
    Weapon.IED: Name("هجوم بعبوة ناسفة", "IED attack"),
    Weapon.GUNFIRE: Name("إطلاق نار", "Gunfire"),
    Weapon.MIXED: Name("هجوم بالصواريخ والمسيّرات", "Rocket and drone attack"),
    Weapon.UNKNOWN: Name("هجوم", "Attack"),
})
"""The headline phrase for an attack by weapon ("what happened")."""

WEAPON_NAME: Final = MappingProxyType({
    Weapon.ROCKET: Name("صواريخ", "rockets"),
    Weapon.MISSILE: Name("صواريخ باليستية", "ballistic missiles"),
    Weapon.MORTAR: Name("قذائف هاون", "mortars"),
    Weapon.DRONE: Name("طائرات مسيّرة", "drones"),
    Weapon.IED: Name("عبوات ناسفة", "IEDs"),
    Weapon.GUNFIRE: Name("إطلاق نار", "gunfire"),
    Weapon.MIXED: Name("صواريخ ومسيّرات", "rockets and drones"),
    Weapon.UNKNOWN: Name("غير معروف", "unknown"),
})
"""A weapon as a bare noun, for tables such as `/stats`."""

WEAPON_NOUN: Final = MappingProxyType({
    Weapon.ROCKET: ROCKET,
    Weapon.MISSILE: MISSILE,
    Weapon.MORTAR: SHELL,
    Weapon.DRONE: DRONE,
    Weapon.IED: IED,
    Weapon.GUNFIRE: PROJECTILE,
    Weapon.MIXED: PROJECTILE,
    Weapon.UNKNOWN: PROJECTILE,
})
"""What `count` counts for each weapon."""


def weapon_of(value: str) -> Weapon:
    """Read a stored weapon string; anything unrecognised is UNKNOWN rather than an error."""
    try:
        return Weapon(value.strip().lower())
    except ValueError:
        return Weapon.UNKNOWN


# --- target kinds -------------------------------------------------------------------------------

TARGET_KIND: Final = MappingProxyType({
    TargetKind.BASE: Name("قاعدة", "base"),
    TargetKind.CONVOY: Name("رتل إمداد", "supply convoy"),
    TargetKind.DIPLOMATIC: Name("بعثة دبلوماسية", "diplomatic mission"),
})


def target_kind_of(value: str) -> TargetKind:
    """Read a stored target kind; unknown strings fall back to BASE, the extractor's default."""
    try:
        return TargetKind(value.strip().lower())
    except ValueError:
        return TargetKind.BASE


# --- calendar -----------------------------------------------------------------------------------

MONTHS_AR: Final = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)
"""Levantine/Iraqi month names, the ones readers in Iraq, Syria and Jordan use."""

MONTHS_AR_EGYPTIAN: Final = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
MONTHS_EN: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_EN_SHORT: Final = tuple(m[:3] for m in MONTHS_EN)

WEEKDAYS_AR: Final = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
"""Indexed like `date.weekday()`: Monday is 0."""
WEEKDAYS_EN: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_EN_SHORT: Final = tuple(d[:3] for d in WEEKDAYS_EN)


def format_date_ar(d: date) -> str:
    """«الأحد 21 نيسان 2024»: weekday, day, Levantine month, year."""
    return f"{WEEKDAYS_AR[d.weekday()]} {d.day} {MONTHS_AR[d.month - 1]} {d.year}"


def format_date_en(d: date) -> str:
    """"Sun 21 Apr 2024": short, unambiguous day-month order."""
    return f"{WEEKDAYS_EN_SHORT[d.weekday()]} {d.day} {MONTHS_EN_SHORT[d.month - 1]} {d.year}"


# --- tables --------------------------------------------------------------------------------------


def _table(rows: tuple[tuple[Name, tuple[str, ...]], ...]) -> MappingProxyType[str, Name]:
    """Index names by the key of every spelling: English, Arabic and listed variants."""
    out: dict[str, Name] = {}
    for name, variants in rows:
        for spelling in (name.en, name.ar, *variants):
            out.setdefault(name_key(spelling), name)
    return MappingProxyType(out)


# --- countries ----------------------------------------------------------------------------------

COUNTRIES: Final = _table((
    (Name("العراق", "Iraq"), ("iq", "irak")),
    (Name("سوريا", "Syria"), ("sy", "سورية")),
    (Name("الأردن", "Jordan"), ("jo",)),
    (Name("الكويت", "Kuwait"), ("kw",)),
    (Name("لبنان", "Lebanon"), ("lb",)),
    (Name("تركيا", "Turkey"), ("tr", "turkiye", "türkiye")),
    (Name("السعودية", "Saudi Arabia"), ("sa", "ksa")),
    (Name("البحرين", "Bahrain"), ("bh",)),
    (Name("قطر", "Qatar"), ("qa",)),
    (Name("الإمارات", "United Arab Emirates"), ("ae", "uae")),
))
"""Countries by key; the extractor writes lower-case English keys ("iraq", "syria", "jordan")."""


def country_name(key: str | None) -> Name | None:
    """Both names of a country key, or None when the key is unknown (the caller shows it as is)."""
    return COUNTRIES.get(name_key(key)) if key else None


# --- provinces ----------------------------------------------------------------------------------

PROVINCES: Final = _table((
    # Iraq
    (Name("الأنبار", "Anbar"), ("al-anbar",)),
    (Name("بغداد", "Baghdad"), ()),
    (Name("أربيل", "Erbil"), ("arbil", "irbil", "hewler", "اربيل", "إربيل")),
    (Name("صلاح الدين", "Salah al-Din"), ("salahuddin", "saladin", "salah ad-din")),
    (Name("كركوك", "Kirkuk"), ()),
    (Name("نينوى", "Nineveh"), ("ninawa", "ninewa")),
    (Name("دهوك", "Duhok"), ("dohuk", "dahuk")),
    (Name("السليمانية", "Sulaymaniyah"), ("sulaimaniyah", "slemani")),
    (Name("ديالى", "Diyala"), ()),
    (Name("بابل", "Babil"), ("babylon",)),
    (Name("كربلاء", "Karbala"), ()),
    (Name("النجف", "Najaf"), ()),
    (Name("القادسية", "Qadisiyah"), ("al-qadisiyyah", "diwaniyah")),
    (Name("واسط", "Wasit"), ()),
    (Name("ميسان", "Maysan"), ("missan",)),
    (Name("ذي قار", "Dhi Qar"), ("thi qar",)),
    (Name("المثنى", "Muthanna"), ("al-muthanna",)),
    (Name("البصرة", "Basra"), ("basrah",)),
    # Syria
    (Name("الحسكة", "Hasakah"), ("al-hasakah", "hasaka", "hassakeh")),
    (Name("دير الزور", "Deir ez-Zor"), ("deir ez-zour", "deir al-zor", "deir ezzor", "dayr az-zawr")),
    (Name("الرقة", "Raqqa"), ("ar-raqqah", "raqqah")),
    (Name("حلب", "Aleppo"), ("halab",)),
    (Name("حمص", "Homs"), ()),
    (Name("ريف دمشق", "Rif Dimashq"), ("rural damascus",)),
    (Name("دمشق", "Damascus"), ()),
    (Name("حماة", "Hama"), ()),
    (Name("إدلب", "Idlib"), ()),
    (Name("اللاذقية", "Latakia"), ()),
    (Name("طرطوس", "Tartus"), ()),
    (Name("درعا", "Daraa"), ()),
    (Name("السويداء", "Suwayda"), ("as-suwayda", "sweida")),
    (Name("القنيطرة", "Quneitra"), ()),
    # Jordan
    (Name("المفرق", "Mafraq"), ()),
    (Name("الزرقاء", "Zarqa"), ()),
    (Name("عمّان", "Amman"), ("عمان",)),
    (Name("إربد", "Irbid"), ()),
    (Name("معان", "Ma'an"), ("maan",)),
))
"""Provinces (governorates) by English or Arabic spelling."""


def province_name(name: str | None) -> Name | None:
    """Both names of a province, or None when the spelling is unknown."""
    return PROVINCES.get(name_key(name)) if name else None


# --- claimants ----------------------------------------------------------------------------------

CLAIMANTS: Final = _table((
    (Name("المقاومة الإسلامية في العراق", "Islamic Resistance in Iraq"), ("iri",)),
    (Name("كتائب حزب الله", "Kataib Hezbollah"), ("kata'ib hezbollah", "kataib hizbullah", "حزب الله العراقي")),
    (Name("حركة النجباء", "Harakat al-Nujaba"), ("nujaba", "harakat hezbollah al-nujaba", "حركة حزب الله النجباء")),
    (Name("كتائب سيد الشهداء", "Kataib Sayyid al-Shuhada"), ("kata'ib sayyid al-shuhada",)),
    (Name("عصائب أهل الحق", "Asaib Ahl al-Haq"), ("asa'ib ahl al-haq",)),
    (Name("سرايا أولياء الدم", "Saraya Awliya al-Dam"), ("guardians of the blood",)),
    (Name("أصحاب الكهف", "Ashab al-Kahf"), ("أهل الكهف",)),
    (Name("تشكيل الوارثين", "Tashkil al-Waritheen"), ("al-warithun", "الوارثون")),
    (Name("حركة أنصار الله الأوفياء", "Harakat Ansar Allah al-Awfiya"), ()),
    (Name("كتائب الإمام علي", "Kataib al-Imam Ali"), ()),
    (Name("الحشد الشعبي", "Popular Mobilization Forces"), ("pmf", "هيئة الحشد الشعبي")),
    (Name("منظمة بدر", "Badr Organization"), ()),
))
"""Claimant groups: canonical English name ↔ Arabic name, plus common spellings."""


TOPIC_GONE: Final = Name(
    "حُذف الموضوع الذي كانت تُنشر فيه تنبيهات رصد، فصارت تُنشر في الموضوع العام. لنقلها إلى موضوع آخر يرسل أحد "
    "المشرفين /subscribe فيه.",
    "The topic Rasad's alerts were posted in was deleted, so they now go to the General topic. To move them to "
    "another topic, an admin sends /subscribe there.",
)
"""Told to a forum group (in its General topic) when the topic its alerts went to is gone."""


def claimant_name(name: str | None) -> Name | None:
    """Both names of a known claimant group, or None (the caller then shows the text as given)."""
    return CLAIMANTS.get(name_key(name)) if name else None


# --- who vouches (issue 13) -----------------------------------------------------------------------

STATUS_NAMES: Final[dict[Status, tuple[str, str]]] = {
    Status.CLAIMED: ("ادعاء", "Claimed"),
    Status.REPORTED: ("مصدر واحد", "Reported"),
    Status.CORROBORATED: ("مصادر مستقلة متعددة", "Corroborated"),
    Status.CONFIRMED: ("مؤكد", "Confirmed"),
    Status.DISPUTED: ("نفي رسمي", "Disputed"),
}
"""Every status in (Arabic, English)."""

SOURCE_NAMES_AR: Final[dict[str, str]] = {
    "Pentagon": "البنتاغون",
    "CENTCOM": "القيادة المركزية الأمريكية",
    "Coalition": "التحالف الدولي",
    "Iraqi Security Media Cell": "خلية الإعلام الأمني",
    "Reuters": "رويترز",
    "AFP": "فرانس برس",
    "AP": "أسوشيتد برس",
    "Anadolu": "الأناضول",
    "Iraqi News Agency": "وكالة الأنباء العراقية",
    "SANA": "سانا",
    "Syrian Observatory for Human Rights": "المرصد السوري",
    "Shafaq News": "شفق نيوز",
    "Rudaw": "رووداو",
    "Kurdistan24": "كردستان 24",
    "Al-Mayadeen": "الميادين",
    "Sabereen News": "صابرين نيوز",
    "Al-Watan": "الوطن",
    "Islamic Resistance in Iraq": "المقاومة الإسلامية في العراق",
    "security sources": "مصادر أمنية",
    "Joint Operations Command": "قيادة العمليات المشتركة",
    "Iraqi Interior Ministry": "وزارة الداخلية العراقية",
    "Iraqi official": "مسؤول عراقي",
    "US official": "مسؤول أمريكي",
    "official": "مسؤول",
}
"""The Arabic form of the source names the extractor and the ladder give in English (others read as given)."""

SOURCE_KIND_NAMES: Final[dict[SourceKind, tuple[str, str]]] = {
    SourceKind.OFFICIAL: ("جهة رسمية", "official"),
    SourceKind.AGENCY: ("وكالة أنباء", "news agency"),
    SourceKind.MONITOR: ("وسيلة إعلام", "outlet"),
    SourceKind.ANONYMOUS: ("مصدر لم يُسمَّ", "unnamed source"),
    SourceKind.CLAIMANT: ("الجهة المتبنّية", "claimant"),
}
"""What sort of voice each cited source is, in (Arabic, English), for /incident."""
