"""Every word the bot says in reply to a chat, in Arabic and English; pure functions, HTML out.

Arabic is written here, never translated on the fly, and names of weapons, countries and months
come from bot.alerts.i18n so a reply says the same as the alerts. Anything that came from outside (a
channel title, an outlet's name, a URL, a user's argument) is escaped where it is placed.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Final, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot import __version__
from bot.alerts import i18n
from bot.alerts.render import (
    AlertView,
    Format,
    Lang,
    casualties_ar,
    casualties_en,
    osm_url,
    render_alert,
    utf16_len,
)
from bot.alerts.timeofday import DEFAULT_TZ, TZ_NAMES, local_clock
from bot.incidents.status import Status
from bot.incidents.subscriptions import ELSEWHERE, MAIN_COUNTRIES
from bot.telegram.queries import ChatState, Counts, IncidentDetail, IncidentLine, ReportLine
from extractor.gazetteer import gazetteer

ReplyLang = Literal["ar", "en"]

REPLY_BUDGET: Final = 3900
"""Stay under Telegram's 4096 with room for a closing line."""
NAME_MAX: Final = 80


def guess_language(language_code: str | None) -> str:
    """A new chat's first language: Arabic when the user's Telegram is in Arabic, else English."""
    return "ar" if (language_code or "").strip().lower().startswith("ar") else "en"


def reply_language(menu_language: str | None, user_language_code: str | None) -> ReplyLang:
    """Replies follow the chat's menu language when one was chosen, else the user's Telegram language.

    The alert language is a separate choice: a chat takes alerts in both languages by default,
    while its menus speak the reader's language.
    """
    if menu_language == "ar":
        return "ar"
    if menu_language == "en":
        return "en"
    return "ar" if guess_language(user_language_code) == "ar" else "en"


def esc(text: str) -> str:
    """HTML-escape outside text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def clip(text: str, limit: int = NAME_MAX) -> str:
    """Outside text on one line, without control characters, cut to `limit` characters, escaped."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    kept = " ".join(kept.split())
    if len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return esc(kept)


def link(label_html: str, url: str) -> str:
    """A link when the URL is a plain absolute http(s) one, else just the label."""
    ok = bool(url) and len(url) <= 2000 and not any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url)
    if ok:
        try:
            parts = urlsplit(url)
            ok = parts.scheme in ("http", "https") and bool(parts.netloc)
        except ValueError:
            ok = False
    return f'<a href="{html.escape(url, quote=True)}">{label_html}</a>' if ok else label_html


def _pick(lang: ReplyLang, ar: str, en: str) -> str:
    return ar if lang == "ar" else en


# --- commands ---------------------------------------------------------------------------------------

COMMANDS: Final = (
    ("start", "ما هو رصد وكيف تشترك", "What Rasad does and how to subscribe"),
    ("subscribe", "الاشتراك في التنبيهات", "Subscribe this chat to alerts"),
    ("unsubscribe", "إيقاف التنبيهات", "Stop alerts in this chat"),
    ("settings", "لغة التنبيهات والدول والتحديثات", "Alert language, countries, updates"),
    ("keywords", "كلمات يجب أن يتضمنها التنبيه أو يخلو منها", "Words alerts must or must not contain"),
    ("recent", "آخر الهجمات (مثال: ‎/recent 10)", "Latest incidents (e.g. /recent 10)"),
    ("incident", "تفاصيل هجوم برقمه", "Everything about one incident by its number"),
    ("stats", "رسم أسبوعي وأعداد حسب الدولة والسلاح", "Weekly chart, counts by country and weapon"),
    ("export", "ملفا CSV وGeoJSON لآخر 90 يوماً", "CSV and GeoJSON of the last 90 days"),
    ("help", "قائمة الأوامر", "List of commands"),
    ("about", "عن رصد", "About Rasad"),
)
"""(command, Arabic description, English description), in the order Telegram's menu shows them."""


OPERATOR_COMMANDS: Final = (
    ("feeds", "حالة المصادر", "Feeds and their health"),
    ("addfeed", "إضافة مصدر: ‎/addfeed رابط [اسم] [لغة]", "Add a feed: /addfeed URL [name] [lang]"),
    ("removefeed", "حذف مصدر باسمه", "Remove a feed by name"),
    ("pausefeed", "إيقاف مصدر مؤقتاً", "Pause a feed"),
    ("resumefeed", "استئناف مصدر", "Resume a feed"),
    ("reload", "إعادة قراءة ملف الإعدادات", "Re-read the config file"),
)
"""The operators' commands, shown only in the operators' private chats."""

READER_COMMANDS: Final = frozenset({"start", "help", "recent", "incident", "stats", "export", "about"})
"""What every member of a group may use; subscription commands are for its admins."""


def command_list(lang: ReplyLang, scope: str = "everyone") -> list[tuple[str, str]]:
    """(command, description) pairs for set_my_commands in one language and scope.

    "everyone" (private chats) and "group_admins" get every user command, "group_members" the
    reading ones, "operator" the user commands and the operators' own.
    """
    rows = [row for row in COMMANDS if scope != "group_members" or row[0] in READER_COMMANDS]
    if scope == "operator":
        rows = [*rows, *OPERATOR_COMMANDS]
    return [(name, ar if lang == "ar" else en) for name, ar, en in rows]


def start_text(lang: ReplyLang) -> str:
    """/start: what Rasad does and how to subscribe, in private chats, groups and channels."""
    if lang == "ar":
        return (
            "<b>رصد</b> يتابع المواقع الإخبارية العربية ويرسل تنبيهاً عند ورود أنباء عن هجوم على قاعدة أمريكية "
            "أو للتحالف في العراق وسوريا والأردن: المكان والسلاح والخسائر ورابط كل مصدر.\n\n"
            "• للاشتراك في هذه المحادثة: /subscribe\n"
            "• في مجموعة: يرسل أحد المشرفين /subscribe\n"
            "• لقناة: أرسل هنا ‎/subscribe @اسم_القناة (يجب أن تكون أنت ورصد مشرفَين فيها)\n"
            "• لغة التنبيهات والدول: /settings\n"
            "• آخر الهجمات: /recent\n\n"
            "كل الأوامر: /help"
        )
    return (
        "<b>Rasad</b> watches Arabic news sites and alerts you when an attack on a US or coalition base in "
        "Iraq, Syria or Jordan is reported: place, weapon, casualties and a link to every source.\n\n"
        "• Subscribe this chat: /subscribe\n"
        "• In a group: an admin sends /subscribe\n"
        "• For a channel: send /subscribe @channel here (you and Rasad must both be its admins)\n"
        "• Alert language and countries: /settings\n"
        "• Latest attacks: /recent\n\n"
        "All commands: /help"
    )


def help_text(lang: ReplyLang) -> str:
    """/help: one line per command."""
    head = "<b>أوامر رصد</b>" if lang == "ar" else "<b>Rasad commands</b>"
    lines = [head]
    for name, ar, en in COMMANDS:
        lines.append(f"/{name} — {esc(ar if lang == 'ar' else en)}")
    extra = _pick(
        lang,
        "‎/recent N: آخر N هجمات (حتى 20 في الصفحة، والتنقل بين الصفحات بزرّي «الأحدث» و«الأقدم»)\n"
        "‎/incident 12: الهجوم رقم 12\n‎/subscribe @channel: اشتراك قناة تديرها",
        "/recent N: latest N incidents (up to 20 a page; Newer and Older buttons turn pages)\n"
        "/incident 12: incident number 12\n"
        "/subscribe @channel: subscribe a channel you manage",
    )
    return "\n".join(lines) + "\n\n" + extra


def about_text(lang: ReplyLang) -> str:
    """/about: what the alerts are and are not."""
    if lang == "ar":
        return (
            f"<b>رصد</b> {esc(__version__)}\n"
            "يقرأ رصد الأخبار المنشورة ويستخرج منها الهجمات آلياً، ويجمع التقارير المتعددة عن الهجوم نفسه في "
            "تنبيه واحد يُحدَّث عند ورود معلومات جديدة. المعلومات كما نشرتها المصادر، وقد تكون ناقصة أو خاطئة؛ "
            "راجع روابط المصادر دائماً."
        )
    return (
        f"<b>Rasad</b> {esc(__version__)}\n"
        "Rasad reads published news, extracts attacks automatically, and merges several reports of the same "
        "attack into one alert that is updated when new facts arrive. Facts are as the sources reported them "
        "and may be incomplete or wrong; always check the source links."
    )


# --- subscriptions ---------------------------------------------------------------------------------


def subscribed_text(
    lang: ReplyLang, outcome: str, where: str | None = None, summary: str | None = None, handle: str | None = None,
    *, topic: bool = False,
) -> str:
    """/subscribe succeeded (new, reactivated) or there was nothing to do (already), and what will arrive.

    `where` names a channel subscribed from a private chat; `summary` is the chat's choices on one
    line (settings_summary); `handle` is what to add to /settings to change the channel's.
    """
    name = clip(where) if where else ""
    settings = "/settings" + (f" {clip(handle, 40)}" if handle else "")
    if outcome == "already":
        head = _pick(lang, f"اشتراك القناة {name} مفعّل بالفعل." if where else "الاشتراك مفعّل بالفعل.",
                     f"The channel {name} is already subscribed." if where else "Already subscribed.")
    else:
        head = _pick(
            lang,
            f"تم اشتراك القناة {name}. ستُنشر فيها التنبيهات عند ورود أنباء عن هجوم."
            if where else "تم الاشتراك. ستصلك التنبيهات عند ورود أنباء عن هجوم.",
            f"Subscribed the channel {name}. Alerts will be posted there when an attack is reported."
            if where else "Subscribed. Alerts will arrive when an attack is reported.",
        )
    lines = [head]
    if topic:
        lines.append(_pick(lang, "ستُنشر التنبيهات في هذا الموضوع؛ لنقلها أرسل /subscribe في موضوع آخر.",
                           "Alerts will be posted in this topic; to move them, send /subscribe in another topic."))
    if summary:
        lines.append(_pick(lang, f"ما سيصل: {summary}", f"What will arrive: {summary}"))
    lines.append(_pick(lang, f"للتغيير: {settings}", f"To change it: {settings}"))
    return "\n".join(lines)


def unsubscribed_text(lang: ReplyLang, was_active: bool, where: str | None = None) -> str:
    """/unsubscribe: stopped, or was not subscribed."""
    name = clip(where) if where else ""
    if not was_active:
        return _pick(
            lang,
            f"لا يوجد اشتراك مفعّل للقناة {name}. للاشتراك: /subscribe" if where
            else "لا يوجد اشتراك مفعّل. للاشتراك: /subscribe",
            f"The channel {name} is not subscribed. To subscribe: /subscribe" if where
            else "Not subscribed. To subscribe: /subscribe",
        )
    return _pick(
        lang,
        f"تم إيقاف تنبيهات القناة {name}. للعودة: /subscribe" if where else "تم إيقاف التنبيهات. للعودة: /subscribe",
        f"Alerts stopped for the channel {name}. To resume: /subscribe" if where
        else "Alerts stopped. To resume: /subscribe",
    )


def refusal_text(lang: ReplyLang, reason: str, where: str | None = None) -> str:
    """Why a change was refused (see bot.telegram.permissions.Refusal)."""
    name = clip(where) if where else ""
    texts = {
        "not_group_admin": (
            "فقط مشرفو المجموعة يمكنهم تغيير الاشتراك والإعدادات.",
            "Only the group's admins can change its subscription and settings.",
        ),
        "not_channel_admin": (
            f"لست مشرفاً في {name}، لذلك لا يمكنك إدارة اشتراكها.",
            f"You are not an admin of {name}, so you cannot manage its subscription.",
        ),
        "bot_not_admin": (
            f"أضف رصد مشرفاً في {name} مع صلاحية نشر الرسائل، ثم أعد المحاولة.",
            f"Make Rasad an admin of {name} with the right to post messages, then try again.",
        ),
        "bot_cannot_post": (
            f"رصد مشرف في {name} لكن دون صلاحية نشر الرسائل؛ فعّلها ثم أعد المحاولة.",
            f"Rasad is an admin of {name} but may not post messages; allow it, then try again.",
        ),
        "not_a_channel": (
            f"{name} ليست قناة. في المجموعات أرسل /subscribe داخل المجموعة نفسها.",
            f"{name} is not a channel. For a group, send /subscribe in the group itself.",
        ),
        "channel_not_found": (
            f"لم أجد القناة {name}. تأكد من الاسم ومن أن رصد مضاف إليها كمشرف.",
            f"I cannot find the channel {name}. Check the name and that Rasad is one of its admins.",
        ),
        "private_only": (
            "أرسل هذا الأمر مع اسم القناة في محادثة خاصة مع رصد.",
            "Send this command with a channel name in a private chat with Rasad.",
        ),
    }
    ar, en = texts.get(reason, ("لا يمكن تنفيذ ذلك.", "That cannot be done."))
    return _pick(lang, ar, en)


def usage_text(lang: ReplyLang, problem: str, arg: str | None = None) -> str:
    """A short, helpful answer to a bad argument (see bot.telegram.args)."""
    shown = clip(arg or "", 40)
    texts = {
        "recent_not_number": (
            f"«{shown}» ليس عدداً. مثال: ‎/recent 10 (من 1 إلى 20).",
            f"“{shown}” is not a number. Example: /recent 10 (1 to 20).",
        ),
        "recent_too_many": (
            "تتسع الصفحة الواحدة لعشرين هجوماً على الأكثر؛ لعرض ما قبلها اضغط «الأقدم».",
            "A page holds at most 20 incidents; press “Older” for the ones before them.",
        ),
        "recent_too_few": (
            "اطلب هجوماً واحداً على الأقل. مثال: ‎/recent 5",
            "Ask for at least one incident. Example: /recent 5",
        ),
        "incident_missing": (
            "أرسل رقم الهجوم. مثال: ‎/incident 12 (الأرقام تظهر في ‎/recent وفي كل تنبيه).",
            "Send the incident's number. Example: /incident 12 (numbers appear in /recent and in every alert).",
        ),
        "incident_not_number": (
            f"«{shown}» ليس رقم هجوم. مثال: ‎/incident 12",
            f"“{shown}” is not an incident number. Example: /incident 12",
        ),
        "subscribe_bad_target": (
            f"«{shown}» ليس اسم قناة. مثال: ‎/subscribe @my_channel",
            f"“{shown}” is not a channel name. Example: /subscribe @my_channel",
        ),
        "too_many_args": (
            "هذا الأمر يقبل معطى واحداً فقط.",
            "This command takes one argument only.",
        ),
        "keyword_length": (
            f"«{shown}» ليست كلمة مفتاحية صالحة: يجب أن تكون من حرفين إلى 40 حرفاً. مثال: ‎/keywords +مسيرة -مناورة",
            f"“{shown}” is not a usable keyword: 2 to 40 characters. Example: /keywords +drone -exercise",
        ),
        "keywords_too_many": (
            "عشر كلمات على الأكثر في كل قائمة. احذفها كلها بالأمر ‎/keywords clear ثم أضف ما تريد.",
            "At most 10 words per list. Remove them all with /keywords clear, then add the ones you want.",
        ),
    }
    ar, en = texts.get(problem, ("لم أفهم المعطى. راجع /help", "I did not understand that. See /help"))
    return _pick(lang, ar, en)


def keywords_text(lang: ReplyLang, include: Sequence[str], exclude: Sequence[str], *, changed: bool) -> str:
    """/keywords: the chat's keywords (after a change, or as they are) and how to change them."""
    head = _pick(lang, "<b>تم حفظ الكلمات المفتاحية.</b>", "<b>Keywords saved.</b>") if changed else _pick(
        lang, "<b>الكلمات المفتاحية</b>", "<b>Keywords</b>")
    lines = [head]
    if include:
        words = ("، " if lang == "ar" else ", ").join(clip(w, 40) for w in include)
        lines.append(_pick(lang, f"لا تصل إلا التنبيهات التي فيها إحدى هذه الكلمات: {words}",
                           f"Only alerts containing one of these words arrive: {words}"))
    if exclude:
        words = ("، " if lang == "ar" else ", ").join(clip(w, 40) for w in exclude)
        lines.append(_pick(lang, f"لا تصل التنبيهات التي فيها أيٌّ من هذه الكلمات: {words}",
                           f"Alerts containing any of these words do not arrive: {words}"))
    if not include and not exclude:
        lines.append(_pick(lang, "لا كلمات مفتاحية: تصل كل التنبيهات وفق اختياراتك في /settings.",
                           "No keywords: every alert your /settings allow arrives."))
    lines.append(_pick(
        lang,
        "‎/keywords +كلمة لاشتراطها، ‎/keywords -كلمة لاستبعادها، ‎/keywords clear لحذف الكل. "
        "تُكتب كلمات بسيطة، ويُبحث عنها في نص التنبيه العربي والإنجليزي.",
        "/keywords +word to require it, /keywords -word to exclude it, /keywords clear to remove all. "
        "Plain words, looked for in the alert's Arabic and English text.",
    ))
    return "\n".join(lines)


def unknown_command_text(lang: ReplyLang, command: str) -> str:
    """A command Rasad does not have."""
    shown = clip(command, 40)
    return _pick(lang, f"لا أعرف الأمر {shown}. الأوامر المتاحة: /help",
                 f"I don't know {shown}. Available commands: /help")


def error_text(lang: ReplyLang) -> str:
    """Something failed on our side; the details are in the log, never in the chat."""
    return _pick(lang, "حدث خطأ أثناء تنفيذ الأمر. حاول مرة أخرى بعد قليل.",
                 "Something went wrong on my side. Please try again in a moment.")


# --- incidents -----------------------------------------------------------------------------------


def day_in_zone(moment: datetime, tz: str) -> date:
    """The calendar day of a moment in a time zone (naive moments are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz if tz in TZ_NAMES else DEFAULT_TZ)).date()


def _date(d: date | None, lang: ReplyLang) -> str:
    if d is None:
        return _pick(lang, "تاريخ غير معروف", "date unknown")
    return i18n.format_date_ar(d) if lang == "ar" else i18n.format_date_en(d)


def place_text(v: AlertView, lang: ReplyLang) -> str:
    """Where: the site's name, then province and country, in the reply's language (escaped)."""
    ar = lang == "ar"
    name = None
    if v.place is not None:
        name = (v.place.name_ar or v.place.name_en) if ar else (v.place.name_en or v.place.name_ar)
    province = (v.province_ar or v.province_en) if ar else (v.province_en or v.province_ar)
    country_names = i18n.country_name(v.country)
    country = (country_names.ar if ar else country_names.en) if country_names else v.country
    area = ("، " if ar else ", ").join(clip(p, 40) for p in (province, country) if p)
    if name:
        return f"{clip(name)} ({area})" if area else clip(name)
    return area or _pick(lang, "مكان غير معروف", "place unknown")


def weapon_text(v: AlertView, lang: ReplyLang) -> str:
    """The weapon as a bare noun."""
    name = i18n.WEAPON_NAME[i18n.weapon_of(v.weapon)]
    return name.ar if lang == "ar" else name.en


def sources_count_text(n: int, lang: ReplyLang) -> str:
    """«3 مصادر» / "3 sources"."""
    return i18n.ar_count(n, i18n.SOURCE) if lang == "ar" else i18n.en_count(n, i18n.SOURCE)


_STATUS_VALUES: Final = frozenset(s.value for s in Status)


def recent_line(line: IncidentLine, lang: ReplyLang) -> str:
    """#id · date · place · weapon · casualties · how sure · sources."""
    v = line.view
    when = v.date or (day_in_zone(line.first_seen_at, v.tz) if line.first_seen_at else None)
    parts = [f"<b>#{v.incident_id}</b>", _date(when, lang), place_text(v, lang), weapon_text(v, lang)]
    casualties = casualties_ar(v.killed, v.wounded) if lang == "ar" else casualties_en(v.killed, v.wounded)
    if casualties:
        parts.append(casualties)
    if v.status in _STATUS_VALUES:
        parts.append(_pick(lang, *i18n.STATUS_NAMES[Status(v.status)]))
    parts.append(sources_count_text(len(v.sources), lang))
    return " · ".join(parts)


def recent_text(lines: Sequence[IncidentLine], lang: ReplyLang, note: str | None = None) -> str:
    """/recent: newest first, or a friendly word when nothing is stored yet."""
    return recent_page(lines, lang, note)[0]


def recent_page(
    lines: Sequence[IncidentLine], lang: ReplyLang, note: str | None = None, offset: int = 0
) -> tuple[str, int]:
    """One page of /recent (lines after the `offset` newest) and how many of the lines it shows.

    As many lines as fit in one message; the title counts those shown, never those asked for.
    """
    head = [note] if note else []
    if not lines:
        if offset:
            return "\n".join([*head, _pick(lang, "لا هجمات أقدم من ذلك.", "No older incidents.")]), 0
        return "\n".join([*head, _pick(lang, "لم يُسجَّل أي هجوم بعد.", "No incidents recorded yet.")]), 0
    shown: list[str] = []
    for line in lines:
        text = recent_line(line, lang)
        title_room = "<b>" + "x" * 40 + "</b>"
        if utf16_len("\n".join([*head, title_room, *shown, text])) > REPLY_BUDGET - 90:
            break
        shown.append(text)
    n = len(shown)
    if offset:
        title = _pick(lang, f"<b>الهجمات من {offset + 1} إلى {offset + n} (الأحدث أولاً)</b>",
                      f"<b>Incidents {offset + 1}–{offset + n}, newest first</b>")
    elif n == 1:
        title = _pick(lang, "<b>آخر هجوم</b>", "<b>Latest incident</b>")
    else:
        title = _pick(lang, f"<b>آخر الهجمات ({n})</b>", f"<b>Latest {n} incidents</b>")
    out = [*head, title, *shown]
    if n < len(lines):
        rest = len(lines) - n
        out.append(_pick(lang, f"لم يتسع المجال لـ{rest} غيرها؛ تجدها في الصفحة التالية («الأقدم»).",
                         f"{rest} more did not fit in one message; they are on the next page (“Older”)."))
    out.append(_pick(lang, "التفاصيل: ‎/incident رقم", "Details: /incident ID"))
    return "\n".join(out), n


def recent_buttons(lang: ReplyLang) -> tuple[str, str]:
    """The /recent page buttons: (to newer incidents, to older incidents)."""
    return _pick(lang, "الأحدث ◀", "◀ Newer"), _pick(lang, "▶ الأقدم", "Older ▶")


def not_found_text(lang: ReplyLang, incident_id: int) -> str:
    """/incident with an id no incident has."""
    return _pick(lang, f"لا يوجد هجوم بالرقم {incident_id}. آخر الهجمات: /recent",
                 f"There is no incident #{incident_id}. Latest incidents: /recent")


def incident_text(d: IncidentDetail, lang: ReplyLang) -> str:
    """/incident: the alert's facts, every source link, a map link, and when Rasad first saw it."""
    v = d.view
    facts = replace(v, sources=())
    out = [render_alert(facts, Lang(lang), Format.HTML, budget=REPLY_BUDGET)]
    has_map = v.place is not None and osm_url(v.place.lat, v.place.lon) is not None
    url = osm_url(d.lat, d.lon)
    if not has_map:
        out.append(link(_pick(lang, "خريطة", "Map"), url) if url else _pick(lang, "لا إحداثيات دقيقة لهذا المكان.",
                                                                           "No precise coordinates for this place."))
    if d.first_seen_at:
        seen = _date(day_in_zone(d.first_seen_at, v.tz), lang)
        out.append(_pick(lang, f"أول رصد: {seen}", f"First seen: {seen}"))
    out.extend(ladder_lines(d, v.tz, lang))
    out.extend(evidence_lines(d.lines, lang))
    groups = outlet_groups(d.lines)
    zone = TZ_NAMES.get(v.tz if v.tz in TZ_NAMES else DEFAULT_TZ)
    zone_text = f" ({zone.ar if lang == 'ar' else zone.en})" if zone else ""
    n = len(groups)
    out.append(_pick(lang, f"<b>المصادر ({n}):</b>{zone_text}", f"<b>Sources ({n}):</b>{zone_text}"))
    for i, (name, lines) in enumerate(groups, 1):
        stamps = " · ".join(link(report_time(r, v.tz, lang), r.url) for r in lines)
        cited = sorted({c for r in lines for c in r.cited})
        via = ""
        if cited:
            names = ("، " if lang == "ar" else ", ").join(clip(c, 40) for c in cited[:3])
            via = _pick(lang, f" (نقلاً عن {names})", f" (citing {names})")
        piece = f"{i}. {clip(name or urlsplit(lines[0].url).netloc or '?', 60)}{via}: {stamps}"
        rest = len(groups) - i
        more = _pick(lang, f"+{rest} أخرى", f"+{rest} more")
        if utf16_len("\n".join([*out, piece, more])) > REPLY_BUDGET:
            out.append(_pick(lang, f"+{rest + 1} أخرى", f"+{rest + 1} more"))
            break
        out.append(piece)
    return "\n".join(out)


def ladder_lines(d: IncidentDetail, tz: str, lang: ReplyLang) -> list[str]:
    """How sure we are, level by level with the time each was reached (in the chat's zone), then who vouches."""
    if not d.ladder:
        return []
    zone = TZ_NAMES.get(tz) or TZ_NAMES[DEFAULT_TZ]
    out = [_pick(lang, f"<b>درجة التأكد</b> ({zone.ar}):", f"<b>How sure</b> ({zone.en}):")]
    for rung in d.ladder:
        name = _pick(lang, *i18n.STATUS_NAMES[rung.status])
        when = f"{_date(day_in_zone(rung.at, tz), lang)} {local_clock(rung.at, tz if tz in TZ_NAMES else DEFAULT_TZ)}"
        out.append(f"• {name}: {when}")
    if d.vouchers:
        names = []
        for who, kind in d.vouchers[:VOUCHERS_SHOWN]:
            shown = (i18n.SOURCE_NAMES_AR.get(who, who) if lang == "ar" else who)
            names.append(f"{clip(shown, 60)} ({_pick(lang, *i18n.SOURCE_KIND_NAMES[kind])})")
        rest = len(d.vouchers) - VOUCHERS_SHOWN
        if rest > 0:
            names.append(_pick(lang, f"+{rest} أخرى", f"+{rest} more"))
        out.append(_pick(lang, "<b>من يقول ذلك:</b> ", "<b>Who says so:</b> ") + " · ".join(names))
    return out


VOUCHERS_SHOWN: Final = 12
"""/incident names this many of those who vouch (each outlet's links follow anyway)."""


EVIDENCE_MAX: Final = 3
EVIDENCE_CHARS: Final = 220


def outlet_groups(lines: Sequence[ReportLine]) -> list[tuple[str, list[ReportLine]]]:
    """Reports grouped by outlet, outlets in the order they first reported, each outlet once."""
    groups: dict[str, list[ReportLine]] = {}
    for line in lines:
        groups.setdefault(line.outlet, []).append(line)
    return list(groups.items())


def report_time(line: ReportLine, tz: str, lang: ReplyLang) -> str:
    """When an article came out (the outlet's time, else when Rasad read it), as "21 Apr 14:05" in `tz`."""
    moment = line.published or line.seen
    if moment is None:
        return _pick(lang, "وقت غير معروف", "time unknown")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(ZoneInfo(tz if tz in TZ_NAMES else DEFAULT_TZ))
    months = i18n.MONTHS_AR if lang == "ar" else i18n.MONTHS_EN_SHORT
    return f"{local.day} {months[local.month - 1]} {local:%H:%M}"


def evidence_lines(lines: Sequence[ReportLine], lang: ReplyLang) -> list[str]:
    """The sentences the facts were read from (a few, each once, clipped), with the outlet that wrote each."""
    picked: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines:
        for sentence in line.evidence:
            key = " ".join(sentence.split())
            if key in seen:
                continue
            seen.add(key)
            picked.append((sentence, line.outlet))
    if not picked:
        return []
    out = [_pick(lang, "<b>ما ورد في التقارير:</b>", "<b>What the reports say:</b>")]
    for sentence, outlet in picked[:EVIDENCE_MAX]:
        out.append(f"«{clip(sentence, EVIDENCE_CHARS)}» — {clip(outlet, 40)}")
    return out


def stats_text(week: Counts, month: Counts, lang: ReplyLang) -> str:
    """/stats: totals, then by country and by weapon, 7 days / 30 days, biggest first."""
    ar = lang == "ar"
    out = [
        _pick(
            lang,
            f"<b>الهجمات</b>: {week.total} خلال 7 أيام · {month.total} خلال 30 يوماً",
            f"<b>Incidents</b>: {week.total} in the last 7 days · {month.total} in the last 30 days",
        )
    ]
    if month.total == 0:
        return out[0]

    def table(title: str, month_counts: dict[str, int], week_counts: dict[str, int], *, country: bool) -> None:
        out.append("")
        out.append(title)
        for key, n in sorted(month_counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{_label(key, country, ar)}: {week_counts.get(key, 0)} / {n}")

    table(_pick(lang, "<b>حسب الدولة</b> (7 / 30 يوماً)", "<b>By country</b> (7 / 30 days)"),
          month.by_country, week.by_country, country=True)
    table(_pick(lang, "<b>حسب السلاح</b> (7 / 30 يوماً)", "<b>By weapon</b> (7 / 30 days)"),
          month.by_weapon, week.by_weapon, country=False)
    return "\n".join(out)


def _label(key: str, country: bool, ar: bool) -> str:
    if country:
        if key == "unknown":
            return "غير معروفة" if ar else "unknown"
        named = i18n.country_name(key)
        return (named.ar if ar else named.en) if named else clip(key, 40)
    name = i18n.WEAPON_NAME[i18n.weapon_of(key)]
    return name.ar if ar else name.en


# --- settings menu ---------------------------------------------------------------------------------

COUNTRY_KEYS: Final = (*MAIN_COUNTRIES, ELSEWHERE)
"""The country filters a chat can tick: the three main countries, and everywhere else."""


def country_label(key: str, lang: ReplyLang) -> str:
    """A country's name for a button."""
    if key == ELSEWHERE:
        return "دول أخرى" if lang == "ar" else "Elsewhere"
    named = i18n.country_name(key)
    return (named.ar if lang == "ar" else named.en) if named else key


def settings_text(lang: ReplyLang, *, subscribed: bool, title: str | None, summary: str | None = None) -> str:
    """The message above the /settings keyboard: the state, the current choices on one line, how to use it."""
    where = f" — {clip(title)}" if title else ""
    now = f"\n{summary}" if summary else ""
    if lang == "ar":
        state = "الاشتراك مفعّل." if subscribed else "الاشتراك غير مفعّل؛ للتفعيل: /subscribe"
        return (
            f"<b>إعدادات التنبيهات</b>{where}\n{state}{now}\n"
            "اضغط على خيار لتغييره، أو على عنوان أي صف لشرحه."
        )
    state = "Subscribed." if subscribed else "Not subscribed; to start alerts: /subscribe"
    return (
        f"<b>Alert settings</b>{where}\n{state}{now}\n"
        "Press an option to change it, or a row's title to learn what it does."
    )


ALERT_LANGUAGE_NAMES: Final = {
    "ar": ("بالعربية", "in Arabic"),
    "en": ("بالإنجليزية", "in English"),
    "both": ("بالعربية والإنجليزية", "in Arabic and English"),
}
LEVEL_NAMES: Final = {
    "reported": ("ابتداءً من أي خبر", "from any report"),
    "corroborated": ("حين تنقله مصادر مستقلة متعددة", "once independent outlets corroborate it"),
    "confirmed": ("حين يؤكده مسؤول رسمي", "once an official confirms it"),
}
""""Alert me from" in the settings summary, per level (issue 13)."""
MENU_LANGUAGE_NAMES: Final = {
    "ar": ("العربية", "Arabic"),
    "en": ("الإنجليزية", "English"),
    None: ("لغة تطبيق كل مستخدم", "each user's app language"),
}


def settings_summary(
    lang: ReplyLang,
    *,
    alert_language: str,
    menu_language: str | None,
    countries: Sequence[str],
    convoy: bool,
    diplomatic: bool,
    updates: bool,
    level: str = "reported",
    claims: bool = False,
) -> str:
    """The chat's choices on one line, e.g. "Alerts in Arabic and English · Iraq, Syria · bases, convoys …"."""
    ar = lang == "ar"
    alerts = _pick(lang, *ALERT_LANGUAGE_NAMES.get(alert_language, ALERT_LANGUAGE_NAMES["both"]))
    menu = _pick(lang, *MENU_LANGUAGE_NAMES.get(menu_language if menu_language in ("ar", "en") else None,
                                                MENU_LANGUAGE_NAMES[None]))
    chosen = [k for k in COUNTRY_KEYS if k in countries] if countries else []
    where = ("، " if ar else ", ").join(country_label(k, lang) for k in chosen) if chosen else _pick(
        lang, "كل الدول", "all countries")
    kinds = [_pick(lang, "القواعد", "bases")]
    if convoy:
        kinds.append(_pick(lang, "أرتال الإمداد", "supply convoys"))
    if diplomatic:
        kinds.append(_pick(lang, "البعثات الدبلوماسية", "diplomatic sites"))
    targets = ("، " if ar else ", ").join(kinds)
    upd = _pick(lang, "مع رسائل التحديث", "with update messages") if updates else _pick(
        lang, "دون رسائل التحديث", "without update messages")
    sure = _pick(lang, *LEVEL_NAMES.get(level, LEVEL_NAMES["reported"]))
    if claims:
        sure += _pick(lang, "، مع بيانات التبنّي", ", with groups' claims")
    if ar:
        return f"التنبيهات {alerts} · {where} · {targets} · {upd} · {sure} · القوائم: {menu}"
    return f"Alerts {alerts} · {where} · {targets} · {upd} · {sure} · menus: {menu}"


def filters_summary(state: ChatState, lang: ReplyLang) -> str:
    """The chat's narrower choices (places, weapons, casualties, keywords, quiet hours), or "" when none."""
    ar = lang == "ar"
    sep = "، " if ar else ", "
    parts: list[str] = []
    if state.bases:
        names = []
        for base in state.bases[:3]:
            place = gazetteer().get(base)
            names.append(clip((place.name_ar if ar else place.name_en) if place else base, 30))
        more = _pick(lang, f" و{len(state.bases) - 3} غيرها", f" and {len(state.bases) - 3} more") if len(
            state.bases) > 3 else ""
        parts.append(_pick(lang, "القواعد: ", "bases: ") + sep.join(names) + more)
    if state.provinces:
        names = []
        for province in state.provinces[:4]:
            named = i18n.province_name(province)
            names.append(clip((named.ar if ar else named.en) if named else province, 30))
        more = "…" if len(state.provinces) > 4 else ""
        parts.append(_pick(lang, "المحافظات: ", "provinces: ") + sep.join(names) + more)
    if state.weapons:
        parts.append(_pick(lang, "السلاح: ", "weapons: ") + sep.join(weapon_label(w, lang).lower()
                                                                     for w in state.weapons))
    if state.casualties_only:
        parts.append(_pick(lang, "الهجمات التي أوقعت خسائر بشرية فقط", "only attacks with casualties"))
    if state.keywords_in or state.keywords_out:
        words = [f"+{clip(w, 40)}" for w in state.keywords_in] + [f"−{clip(w, 40)}" for w in state.keywords_out]
        parts.append(_pick(lang, "الكلمات المفتاحية: ", "keywords: ") + " ".join(words))
    if state.quiet_from is not None and state.quiet_to is not None:
        span = quiet_label(state.quiet_from, state.quiet_to, lang)
        parts.append(_pick(lang, f"ساعات الهدوء {span} (دون صوت)", f"quiet hours {span} (no sound)"))
    if state.silent_updates:
        parts.append(_pick(lang, "تحديثات صامتة", "silent updates"))
    return " · ".join(parts)


def state_summary(state: ChatState, lang: ReplyLang) -> str:
    """A stored chat's choices on one line."""
    line = settings_summary(
        lang,
        alert_language=state.language,
        menu_language=state.menu_language,
        countries=state.countries,
        convoy=state.include_convoy,
        diplomatic=state.include_diplomatic,
        updates=state.send_updates,
        level=state.min_status,
        claims=state.include_claims,
    )
    narrower = filters_summary(state, lang)
    return f"{line} · {narrower}" if narrower else line


ROW_LABELS: Final = {
    "lang": ("ℹ️ لغة التنبيهات", "ℹ️ Alert language"),
    "menu": ("ℹ️ لغة القوائم والردود", "ℹ️ Menu and reply language"),
    "level": ("ℹ️ التنبيه ابتداءً من", "ℹ️ Alert me from"),
    "countries": ("ℹ️ الدول", "ℹ️ Countries"),
    "places": ("ℹ️ قواعد ومحافظات بعينها", "ℹ️ Particular bases and provinces"),
    "weapons": ("ℹ️ السلاح", "ℹ️ Weapons"),
    "targets": ("ℹ️ الأهداف إلى جانب القواعد، والخسائر", "ℹ️ Targets besides bases, and casualties"),
    "keywords": ("ℹ️ الكلمات المفتاحية", "ℹ️ Keywords"),
    "quiet": ("ℹ️ ساعات الهدوء", "ℹ️ Quiet hours"),
    "updates": ("ℹ️ التحديثات", "ℹ️ Updates"),
    "tz": ("ℹ️ المنطقة الزمنية", "ℹ️ Time zone"),
}
TIMEZONE_LABELS: Final = {
    "Asia/Baghdad": ("بغداد", "Baghdad"),
    "UTC": ("UTC", "UTC"),
    "Europe/London": ("لندن", "London"),
    "America/New_York": ("نيويورك", "New York"),
}


def timezone_label(zone: str, lang: ReplyLang) -> str:
    """A time zone's button label."""
    return _pick(lang, *TIMEZONE_LABELS.get(zone, (zone, zone)))


ROW_HELP: Final = {
    "level": (
        "«أي خبر»: من أول خبر. «مصادر متعددة»: حين تنقله وسيلتا إعلام مستقلتان. «مؤكد»: حين يؤكده مسؤول رسمي. "
        "بيانات تبنّي الفصائل وحدها لا تصل إلا إن فعّلتها.",
        "Any report: alert at the first report. Corroborated: once two independent outlets report it. Confirmed: "
        "once an official confirms it. Groups' own claims only if switched on.",
    ),
    "places": (
        "اختر قواعد أو محافظات لتقتصر التنبيهات على الهجمات التي تقع فيها. إن لم تختر شيئاً فستصلك تنبيهات "
        "الهجمات في كل مكان من الدول المختارة.",
        "Pick bases or provinces to be alerted only about attacks there. With none picked, you are alerted about "
        "attacks anywhere in the ticked countries.",
    ),
    "weapons": (
        "لا تصل إلا تنبيهات الهجمات التي نُفّذت بالأسلحة المختارة. أما الهجوم الذي لم يُعرف سلاحه بعد فيصل تنبيهه "
        "حين يُعرف.",
        "Alerts only for attacks with the ticked weapons. An attack whose weapon is not known yet is alerted "
        "once the weapon is known.",
    ),
    "keywords": (
        "كلمات بسيطة يُبحث عنها في نص التنبيه. ‎/keywords +كلمة: لا تصل إلا التنبيهات التي فيها، و‎-كلمة: "
        "تُستبعد التنبيهات التي فيها، و‎/keywords clear يحذف الكلمات كلها.",
        "Plain words looked for in the alert's text. /keywords +word: only alerts with the word; -word: no alerts "
        "with it; /keywords clear removes them all.",
    ),
    "quiet": (
        "في ساعات الهدوء (بتوقيت المحادثة) تصل التنبيهات دون صوت إشعار. أما خيار «تحديثات صامتة» فيرسل رسائل "
        "التحديث دون صوت في كل الأوقات.",
        "During quiet hours (in the chat's time zone) alerts arrive without a notification sound. “Silent "
        "updates” always sends update messages without one.",
    ),
    "tz": (
        "المنطقة الزمنية للأوقات في التنبيهات وفي /incident وفي ساعات الهدوء. توقيت بغداد هو توقيت دمشق وعمّان نفسه.",
        "The time zone of the times in alerts and /incident, and of quiet hours. Baghdad's is also Damascus' and "
        "Amman's.",
    ),
    "lang": (
        "اللغة التي تصل بها التنبيهات: العربية أو الإنجليزية أو كلتاهما معاً في رسالة واحدة.",
        "The language alerts arrive in: Arabic, English, or both together in one message.",
    ),
    "menu": (
        "لغة ردود رصد وقوائمه في هذه المحادثة. «تلقائي» يعني أن كل مستخدم يرى لغة تطبيق تيليغرام لديه.",
        "The language of Rasad's replies and menus in this chat. “Auto” answers each user in the language of "
        "their Telegram app.",
    ),
    "countries": (
        "تصل تنبيهات الهجمات في الدول المختارة فقط. «دول أخرى» تعني القواعد الأمريكية خارج العراق وسوريا والأردن.",
        "Alerts only for attacks in the ticked countries. “Elsewhere” means US bases outside Iraq, Syria and Jordan.",
    ),
    "targets": (
        "تصل تنبيهات الهجمات على القواعد دائماً، ويمكنك أن تضيف إليها الهجمات على أرتال الإمداد "
        "وعلى السفارات والقنصليات.",
        "Attacks on bases always alert; you can add attacks on supply convoys and on embassies and consulates.",
    ),
    "updates": (
        "رسالة قصيرة ردّاً على التنبيه حين تَرِد معلومات جديدة (خسائر، تبنٍّ، عدد). أما التنبيه نفسه فيُعدَّل دائماً.",
        "A short reply to the alert when new facts are reported (casualties, a claim, a count). The alert itself is "
        "always edited.",
    ),
}


def row_label(row: str, lang: ReplyLang) -> str:
    """The title button of one row of the /settings menu."""
    return _pick(lang, *ROW_LABELS[row])


def row_help(row: str, lang: ReplyLang) -> str:
    """What one row of the /settings menu does (a pop-up, under Telegram's 200 characters)."""
    return _pick(lang, *ROW_HELP[row])


def saved_text(lang: ReplyLang, summary: str) -> str:
    """The /settings message once Done is pressed: what was saved."""
    return _pick(lang, f"<b>تم حفظ الإعدادات</b>\n{summary}\nللتغيير: /settings",
                 f"<b>Settings saved</b>\n{summary}\nTo change them: /settings")


BUTTONS: Final = {
    "lang_title": ("لغة التنبيهات:", "Alert language:"),
    "lang_ar": ("العربية", "Arabic"),
    "lang_en": ("الإنجليزية", "English"),
    "lang_both": ("كلتاهما", "Both"),
    "menu_ar": ("💬 العربية", "💬 Arabic"),
    "menu_en": ("💬 الإنجليزية", "💬 English"),
    "menu_auto": ("💬 تلقائي", "💬 Auto"),
    "countries_all": ("كل الدول", "All countries"),
    "convoy": ("أرتال الإمداد", "Supply convoys"),
    "diplomatic": ("البعثات الدبلوماسية", "Diplomatic targets"),
    "updates": ("رسائل التحديث", "Update messages"),
    "level_reported": ("أي خبر", "Any report"),
    "level_corroborated": ("مصادر متعددة", "Corroborated"),
    "level_confirmed": ("مؤكد", "Confirmed"),
    "claims": ("بيانات التبنّي من الفصائل", "Claims by the groups themselves"),
    "done": ("تم", "Done"),
    "casualties_only": ("الهجمات التي أوقعت خسائر بشرية فقط", "Only attacks with casualties"),
    "silent_updates": ("تحديثات صامتة", "Silent updates"),
    "pick_clear": ("إلغاء كل الاختيارات", "Clear all"),
    "back": ("رجوع", "Back"),
}


def short(text: str, limit: int) -> str:
    """A button label cut to `limit` characters (buttons are plain text: no escaping)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def weapon_label(key: str, lang: ReplyLang) -> str:
    """A weapon's button label (the plural noun the alerts use)."""
    name = i18n.WEAPON_NAME[i18n.weapon_of(key)]
    return name.ar if lang == "ar" else name.en.capitalize()


def places_button(kind: str, picked: int, lang: ReplyLang) -> str:
    """The button opening the bases or provinces page, with how many are picked."""
    if kind == "bases":
        return _pick(lang, f"📍 القواعد ({picked or 'كلها'})", f"📍 Bases ({picked or 'all'})")
    return _pick(lang, f"📍 المحافظات ({picked or 'كلها'})", f"📍 Provinces ({picked or 'all'})")


def keywords_button(include: Sequence[str], exclude: Sequence[str], lang: ReplyLang) -> str:
    """The keywords row's button: the words set, or how to set them."""
    words = [f"+{w}" for w in include] + [f"−{w}" for w in exclude]
    if not words:
        return _pick(lang, "لا كلمات؛ للإضافة: ‎/keywords", "None; to add: /keywords")
    return short(" ".join(words), 40)


def quiet_label(start: int | None, end: int | None, lang: ReplyLang) -> str:
    """A quiet-hours button: "Off" or "22:00–07:00"."""
    if start is None or end is None:
        return _pick(lang, "معطّلة", "Off")
    return f"{start:02d}:00–{end:02d}:00"


def pick_page_text(view: str, lang: ReplyLang) -> str:
    """The line above the bases or provinces page."""
    if view == "b":
        return _pick(lang, "اختر القواعد التي تريد تنبيهات الهجمات عليها. إن لم تختر شيئاً فستصلك تنبيهات "
                           "الهجمات على كل القواعد.",
                     "Pick the bases you want alerts about. With none picked, you get alerts about attacks on "
                     "every base.")
    return _pick(lang, "اختر المحافظات التي تريد تنبيهات الهجمات فيها. إن لم تختر شيئاً فستصلك تنبيهات "
                       "الهجمات في كل المحافظات.",
                 "Pick the provinces you want alerts about. With none picked, you get alerts about attacks in "
                 "every province.")


def button(key: str, lang: ReplyLang) -> str:
    """A fixed button label."""
    ar, en = BUTTONS[key]
    return ar if lang == "ar" else en


def settings_answer(lang: ReplyLang, problem: str | None) -> str:
    """The short pop-up answer to a press."""
    texts = {
        None: ("تم الحفظ", "Saved"),
        "last_country": ("اختر دولة واحدة على الأقل؛ لإيقاف التنبيهات استخدم /unsubscribe",
                         "Keep at least one country; to stop alerts use /unsubscribe"),
        "last_weapon": ("اختر سلاحاً واحداً على الأقل؛ لإيقاف التنبيهات استخدم /unsubscribe",
                        "Keep at least one weapon; to stop alerts use /unsubscribe"),
        "stale": ("هذه القائمة قديمة؛ أرسل /settings من جديد", "This menu is out of date; send /settings again"),
        "refused": ("فقط المشرفون يمكنهم تغيير الإعدادات", "Only admins can change the settings"),
        "done": ("تم", "Done"),
    }
    ar, en = texts.get(problem, texts["stale"])
    return ar if lang == "ar" else en


# --- guidance instead of silence ---------------------------------------------------------------------

DESCRIPTION: Final = (
    "رصد يرسل تنبيهاً فورياً بالعربية والإنجليزية عند ورود أنباء عن هجوم على قاعدة أمريكية أو للتحالف في "
    "العراق وسوريا والأردن: المكان والسلاح والخسائر وروابط المصادر. اضغط «ابدأ» ثم /subscribe.\n\n"
    "Rasad sends an alert in Arabic and English when an attack on a US or coalition base in Iraq, Syria or "
    "Jordan is reported: place, weapon, casualties and source links. Press Start, then /subscribe."
)
"""The bot's description, shown in an empty chat (Telegram allows 512 characters)."""

SHORT_DESCRIPTION: Final = {
    "ar": "تنبيهات فورية عن الهجمات على القواعد الأمريكية وقواعد التحالف في العراق وسوريا والأردن.",
    "en": "Instant alerts on attacks on US and coalition bases in Iraq, Syria and Jordan.",
}
"""The bot's short description, on its profile and in shared links (120 characters), per language."""

ARABIC_COMMANDS: Final = {
    "ابدأ": "start", "ابدا": "start", "بدء": "start", "البداية": "start",
    "اشتراك": "subscribe", "الاشتراك": "subscribe", "اشترك": "subscribe",
    "إلغاء_الاشتراك": "unsubscribe", "الغاء_الاشتراك": "unsubscribe", "إيقاف": "unsubscribe", "ايقاف": "unsubscribe",
    "إعدادات": "settings", "اعدادات": "settings", "الإعدادات": "settings", "الاعدادات": "settings",
    "آخر": "recent", "اخر": "recent", "الأخيرة": "recent", "الاخيرة": "recent",
    "هجوم": "incident", "حادثة": "incident",
    "إحصاءات": "stats", "احصاءات": "stats", "إحصائيات": "stats", "احصائيات": "stats",
    "مساعدة": "help", "المساعدة": "help", "الأوامر": "help", "الاوامر": "help",
    "حول": "about", "عن": "about",
}
"""Arabic words people type as commands, and the command they mean (Telegram commands are Latin)."""


def arabic_command_text(lang: ReplyLang, word: str, command: str) -> str:
    """"/اشتراك": Telegram commands are Latin; point at the one meant."""
    shown = clip(word, 40)
    return _pick(
        lang,
        f"أوامر تيليغرام تُكتب بالحروف اللاتينية. بدلاً من ‎/{shown} أرسل /{command}\nكل الأوامر: /help",
        f"Telegram commands are written in Latin letters. Instead of /{shown}, send /{command}\nAll commands: /help",
    )


def plain_text_help(lang: ReplyLang) -> str:
    """A message that is no command, in a private chat."""
    return _pick(
        lang,
        "أنا رصد، أُرسل تنبيهات عن الهجمات على القواعد الأمريكية وقواعد التحالف. لا أقرأ الرسائل، بل أفهم الأوامر:\n"
        "• /subscribe لتصلك التنبيهات\n• /recent لآخر الهجمات\n• /help لكل الأوامر",
        "I'm Rasad: I send alerts about attacks on US and coalition bases. I don't read messages, only commands:\n"
        "• /subscribe to get alerts\n• /recent for the latest attacks\n• /help for all commands",
    )


def link_help(lang: ReplyLang) -> str:
    """A pasted link, in a private chat: Rasad's feeds are chosen by its operators."""
    return _pick(
        lang,
        "وصلني رابط. لا يتابع رصد الروابط التي يرسلها المستخدمون، فمصادر الأخبار يحددها مشغّلو رصد. "
        "لتصلك التنبيهات: /subscribe",
        "That is a link. Rasad does not follow links sent by users; its news sources are chosen by its "
        "operators. To get alerts: /subscribe",
    )


def channel_command_text(username: str | None) -> str:
    """A command posted inside a channel: channels are subscribed from a private chat (both languages)."""
    handle = f"@{clip(username, 40)}" if username else "@اسم_القناة"
    handle_en = f"@{clip(username, 40)}" if username else "@channel"
    return (
        f"لاشتراك هذه القناة أرسل ‎/subscribe {handle} إلى رصد في محادثة خاصة؛ يجب أن تكون أنت ورصد "
        "مشرفَين فيها.\n"
        f"To subscribe this channel, send /subscribe {handle_en} to Rasad in a private chat; you and Rasad must "
        "both be its admins."
    )


def added_to_group_text(lang: ReplyLang) -> str:
    """The bot was added to a group: what it does and how an admin subscribes."""
    return _pick(
        lang,
        "مرحباً، أنا رصد. أُرسل تنبيهات بالعربية والإنجليزية عند ورود أنباء عن هجوم على قاعدة أمريكية أو للتحالف "
        "في العراق وسوريا والأردن.\nلتبدأ التنبيهات في هذه المجموعة، يرسل أحد المشرفين /subscribe، "
        "ويختار اللغة والدول عبر /settings.",
        "Hello, I'm Rasad. I post alerts in Arabic and English when an attack on a US or coalition base in Iraq, "
        "Syria or Jordan is reported.\nTo start them in this group, an admin sends /subscribe; /settings chooses "
        "the language and countries.",
    )


# --- operators --------------------------------------------------------------------------------------

OPERATOR_TEXTS: Final = {
    "usage_addfeed": ("الاستعمال: ‎/addfeed رابط [اسم] [ar|en]", "usage: /addfeed URL [name] [ar|en]"),
    "usage_removefeed": ("الاستعمال: ‎/removefeed اسم_المصدر", "usage: /removefeed NAME"),
    "usage_pausefeed": ("الاستعمال: ‎/pausefeed اسم_المصدر", "usage: /pausefeed NAME"),
    "usage_resumefeed": ("الاستعمال: ‎/resumefeed اسم_المصدر", "usage: /resumefeed NAME"),
    "no_config": (
        "يعمل رصد بإعداداته المدمجة (دون ملف إعدادات)، فلا يوجد ما يُعدَّل.",
        "Rasad runs on its built-in defaults (no config file), so there is nothing to edit.",
    ),
    "not_changed": ("لم يتغير شيء: {detail}", "Not changed: {detail}"),
    "not_changed_invalid": (
        "لم يتغير شيء: كان الملف سيصبح غير صالح:\n{detail}",
        "Not changed: the file would be invalid:\n{detail}",
    ),
    "not_added": ("لم يُضَف المصدر: {detail}", "Not added: {detail}"),
    "added": (
        "أُضيف المصدر «{name}» ({feed_lang}){title}؛ عدد مواده الآن: {items}. يُجلب بدءاً من الدورة التالية.{extra}",
        "Added feed {name!r} ({feed_lang}){title}: {items} item(s) now. It is polled from the next tick.{extra}",
    ),
    "remove_question": (
        "أتريد حذف المصدر «{name}»؟ لن يُجلب بعد الآن، وتبقى مقالاته وهجماته محفوظة.",
        "Remove feed {name!r}? It will no longer be polled; its articles and incidents stay stored.",
    ),
    "remove_stale": (
        "هذا السؤال قديم؛ أرسل ‎/removefeed من جديد.",
        "This question is out of date; send /removefeed again.",
    ),
    "kept": ("لم يُحذف المصدر «{name}».", "Kept feed {name!r}."),
    "removed": (
        "حُذف المصدر «{name}». تبقى مقالاته وهجماته محفوظة.{extra}",
        "Removed feed {name!r}. Its articles and incidents stay stored.{extra}",
    ),
    "already_paused": ("المصدر «{name}» متوقف بالفعل.", "Feed {name!r} is already paused."),
    "paused": (
        "أُوقف المصدر «{name}» مؤقتاً. ‎/resumefeed {name} يستأنف جلبه.{extra}",
        "Paused feed {name!r}. /resumefeed {name} polls it again.{extra}",
    ),
    "not_paused": (
        "المصدر «{name}» لم يكن متوقفاً ولا معطّلاً؛ فلا حاجة إلى أي إجراء.",
        "Feed {name!r} was not paused or disabled; nothing to do.",
    ),
    "resumed": (
        "استُؤنف جلب المصدر «{name}» بدءاً من الدورة التالية.{extra}",
        "Resumed feed {name!r}: it is fetched at the next tick.{extra}",
    ),
}
"""Operators' replies (plain text, not HTML): Arabic and English; outside details stay as the program gives them."""

REMOVE_BUTTONS: Final = {"yes": ("حذف", "Remove"), "no": ("إلغاء", "Cancel")}


def operator_text(lang: ReplyLang, key: str, **values: object) -> str:
    """An operator reply in the operator's language, its blanks filled (plain text: nothing is escaped)."""
    ar, en = OPERATOR_TEXTS[key]
    return (ar if lang == "ar" else en).format(**values)


FEED_KIND_NAMES: Final = {
    "ok": ("يعمل", "ok"),
    "new": ("جديد", "new"),
    "failing": ("يفشل", "failing"),
    "disabled": ("معطّل", "disabled"),
    "paused": ("متوقف", "paused"),
    "removed": ("محذوف", "removed"),
}
FEED_ROLES: Final = {"news": ("أخبار", "news"), "claimant": ("بيانات جهة مسلحة", "claimant")}


def feed_label(kind: str, label: str, errors: int, lang: ReplyLang) -> str:
    """A feed's state for /feeds: the English label as the program gives it, or its Arabic reading."""
    if lang != "ar":
        return label
    word = FEED_KIND_NAMES.get(kind, (label, label))[0]
    if kind == "failing":
        return f"{word} (الأخطاء المتتالية: {errors})"
    if kind == "disabled":
        return f"{word}: {label.removeprefix('disabled: ')}"
    return word


def when_text(when: datetime | None, now: datetime, lang: ReplyLang, english: str) -> str:
    """A time relative to now for /feeds: `english` as the program wrote it ("5m ago"), or the Arabic reading."""
    if lang != "ar":
        return english
    if when is None:
        return "لم يحدث بعد"
    if english == "now":
        return "الآن"
    if english.startswith("in "):
        return f"بعد {english[3:]}"
    return f"قبل {english.removesuffix(' ago')}"


def feed_block_lines(
    lang: ReplyLang, *, name: str, state: str, channel: bool, role: str, removed: bool, last_success: str,
    next_check: str, errors: int, articles: int, incidents: int, last_error: str | None,
) -> list[str]:
    """One feed's lines in the /feeds answer (plain text)."""
    ar = lang == "ar"
    lines = [f"• {name}: {state}"]
    if channel or role != "news":
        roles = FEED_ROLES.get(role, (role, role))
        if ar:
            lines.append(f"  {'قناة تيليغرام' if channel else 'مصدر'} · الدور: {roles[0]}")
        else:
            lines.append(f"  {'Telegram channel' if channel else 'feed'} · role {role}")
    if not removed:
        lines.append(
            f"  آخر نجاح {last_success} · الفحص التالي {next_check} · الأخطاء {errors}" if ar
            else f"  last success {last_success} · next check {next_check} · errors {errors}"
        )
    lines.append(f"  آخر 7 أيام: المقالات {articles}، الهجمات {incidents}" if ar
                 else f"  7 days: {articles} article(s), {incidents} incident(s)")
    if last_error:
        lines.append(f"  آخر خطأ: {last_error}" if ar else f"  last error: {last_error}")
    return lines


def feeds_head(lang: ReplyLang, total: int, counts: dict[str, int]) -> str:
    """The first line of /feeds: how many feeds, by state."""
    if lang == "ar":
        parts = "، ".join(f"{FEED_KIND_NAMES.get(k, (k, k))[0]} {n}" for k, n in sorted(counts.items()))
        return f"المصادر: {total}" + (f" ({parts})" if counts else "")
    parts = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    return f"Feeds: {total}" + (f" ({parts})" if counts else "")


def reload_text(lang: ReplyLang, *, ok: bool, source: str, changes: Sequence[str], problems: Sequence[str],
                english: str) -> str:
    """The /reload answer: `english` as the program wrote it, or the same in Arabic (details stay as given)."""
    if lang != "ar":
        return english
    if not ok:
        shown = list(problems[:20])
        lines = [f"لم تُطبَّق الإعدادات ({source})؛ عدد المشكلات: {len(problems)}", *shown]
        if len(problems) > len(shown):
            lines.append(f"… و{len(problems) - len(shown)} غيرها")
        lines.append("يستمر العمل بآخر إعدادات سليمة.")
        return "\n".join(lines)
    if not changes:
        return f"أُعيدت قراءة الإعدادات ({source}): لا تغييرات."
    return "\n".join([f"طُبّقت الإعدادات ({source}):", *(f"• {c}" for c in changes)])
