"""Fetched feed bytes → plain-text `ParsedItem`s with a stable identity. Pure: no I/O, no clock.

feedparser only ever sees bytes here (it must never fetch), with the HTTP Content-Type passed as a
response header so a declared charset is honoured. Everything user-visible comes out as plain text: HTML is
taken apart by a real parser, scripts and styles are dropped, and only http(s) links survive.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import xml.sax
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Final
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import feedparser

from bot.feeds.source_data import cut_items, repair_encoding

__all__ = [
    "ParsedFeed",
    "ParsedItem",
    "html_to_text",
    "item_identity",
    "link_key",
    "parse_feed",
]

MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 50_000
MAX_GUID_CHARS = 2_000


@dataclass(frozen=True)
class ParsedItem:
    """One entry, already plain text. `identity` is the dedup key within a feed (see item_identity)."""

    identity: str
    guid: str | None
    link: str | None
    title: str
    text: str
    published: datetime | None
    is_summary: bool
    forwarded_from: str | None = None  # a Telegram post forwarded from another channel: its name as shown


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed; `error` is set when nothing usable came out, `warning` when it parsed leniently."""

    title: str
    items: list[ParsedItem]
    warning: str | None = None
    error: str | None = None
    format: str = ""  # feedparser's version: "rss20", "atom10", "rss10"…; "" when not recognised


# --- HTML → plain text -------------------------------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        "title",
    }
)  # fmt: skip
_TAG_LIKE = re.compile(r"<\s*[A-Za-z!/?]")
_ESCAPED_TAG = re.compile(r"&lt;\s*[A-Za-z!/?]", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n{3,}")
_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A)) | {0x7F: None}


class _TextCollector(HTMLParser):
    """Collects character data outside of script-like elements; block boundaries become newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip_depth += 1
            return
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def _strip_once(markup: str) -> str:
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
    except MemoryError:  # past the parse's memory budget (bot.feeds.parse_worker): the whole parse fails
        raise
    except Exception:  # html.parser is lenient, but never let odd input escape as markup
        return markup.replace("<", "\u2039").replace(">", "\u203a")
    return "".join(collector.parts)


def html_to_text(markup: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, blocks on their own lines.

    Feeds often escape HTML twice or thrice, so the stripping repeats while tag-like or escaped-tag-like
    text remains (bounded); any '<' that still starts something tag-like is then replaced by '‹', so no
    markup can survive as text.
    """
    text = markup
    for _ in range(5):
        text = _strip_once(text)
        if not (_TAG_LIKE.search(text) or _ESCAPED_TAG.search(text)):
            break
    else:
        text = _TAG_LIKE.sub(lambda m: "\u2039" + m.group(0)[1:], text)
    text = unicodedata.normalize("NFC", text.translate(_CONTROL)).replace("\t", " ").replace("\xa0", " ")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANKS.sub("\n\n", "\n".join(lines)).strip()
    return _cap(text, limit)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- identity ----------------------------------------------------------------------------------------

_TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "ocid", "cmpid", "ito", "xtor", "at_medium", "at_campaign", "rss", "from", "ref_src",
        "spm", "s_cid", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "at_", "mtm_", "pk_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 reserved + unreserved stay as they are; everything else is percent-encoded canonically.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/:@!$'()*+,;-._~?"


def link_key(link: str | None) -> str | None:
    """Normalised article URL to recognise one article across feeds and GUID changes; None if not http(s).

    Lower-cases scheme and host, folds http into https, drops default ports, the fragment, the trailing
    slash and tracking parameters (utm_* and friends), sorts the rest, and percent-encodes canonically
    (so an Arabic slug written raw and written %-encoded give the same key).
    """
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    query_text = urlencode(sorted(query), safe=_QUERY_SAFE, quote_via=quote)
    return urlunsplit(("https", netloc, path, query_text, ""))


def item_identity(guid: str | None, link: str | None, title: str | None, summary: str | None) -> str:
    """sha256 hex of the GUID, else of the normalised link, else of title + summary (whitespace folded)."""
    if guid and guid.strip():
        basis = "guid\0" + guid.strip()
    elif (key := link_key(link)) is not None:
        basis = "link\0" + key
    elif link and link.strip():
        basis = "link\0" + link.strip()
    else:
        basis = "text\0" + _one_line(title or "") + "\0" + _one_line(summary or "")
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


# --- parsing -----------------------------------------------------------------------------------------


def _safe_link(value: object, base: str) -> str | None:
    """Absolute http(s) link resolved against the feed URL, or None (javascript:, data:, mailto: …)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        absolute = urljoin(base, "".join(value.split()))
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def _entry_link(entry: Mapping[str, Any], base: str) -> str | None:
    link = _safe_link(entry.get("link"), base)
    if link:
        return link
    for candidate in entry.get("links") or ():
        if isinstance(candidate, Mapping) and candidate.get("rel", "alternate") == "alternate":
            link = _safe_link(candidate.get("href"), base)
            if link:
                return link
    return None


def _detail_text(detail: object, fallback: object = None) -> str:
    """Plain text of a feedparser text construct (dict with 'value' and 'type') or a bare string."""
    value = detail.get("value") if isinstance(detail, Mapping) else detail
    if not isinstance(value, str):
        value = fallback if isinstance(fallback, str) else ""
    return html_to_text(value)


def _entry_body(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """(text, is_summary): the longest content block if any, else the summary/description."""
    best = ""
    for block in entry.get("content") or ():
        text = _detail_text(block)
        if len(text) > len(best):
            best = text
    if best:
        return best, False
    summary = _detail_text(entry.get("summary_detail"), entry.get("summary"))
    return summary, True


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                year, month, day, hour, minute, second = (int(v) for v in parsed[:6])
                return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _entry_to_item(entry: Mapping[str, Any], base: str) -> ParsedItem:
    raw_guid = entry.get("id")
    guid = raw_guid.strip()[:MAX_GUID_CHARS] if isinstance(raw_guid, str) and raw_guid.strip() else None
    link = _entry_link(entry, base)
    title = _one_line(_detail_text(entry.get("title_detail"), entry.get("title")))
    title = _cap(title, MAX_TITLE_CHARS)
    text, is_summary = _entry_body(entry)
    return ParsedItem(
        identity=item_identity(guid, link, title, text),
        guid=guid,
        link=link,
        title=title,
        text=text,
        published=_entry_date(entry),
        is_summary=is_summary,
    )


def _bozo_text(exc: object) -> str:
    """Short text for feedparser's bozo_exception, e.g. 'not well-formed XML: mismatched tag (line 5)'."""
    name = type(exc).__name__
    message = " ".join(str(exc).split())[:160]
    if isinstance(exc, xml.sax.SAXParseException):
        where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        return f"not well-formed XML ({where}): {' '.join(str(exc.getMessage()).split())[:120]}"
    if name == "CharacterEncodingOverride":
        return f"charset conflict: {message}"
    if name == "CharacterEncodingUnknown":
        return f"unknown charset: {message}"
    if name == "NonXMLContentType":
        return f"not served as XML: {message}"
    return f"{name}: {message}" if message else name


def _looks_like_html(body: bytes, content_type: str | None) -> bool:
    head = body[:2048].lstrip().lower()
    if content_type and content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return True
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _error_feed(message: str) -> ParsedFeed:
    return ParsedFeed(title="", items=[], warning=None, error=message)


def parse_feed(body: bytes, *, url: str, content_type: str | None = None, max_items: int = 500) -> ParsedFeed:
    """Parse RSS/Atom/RDF bytes fetched from `url`; never raises and never touches the network."""
    if not body.strip():
        return _error_feed("empty response body")
    # No content-location on purpose: feedparser would resolve relative GUIDs against it, and an item's
    # identity must not change when the feed moves. Links are resolved against `url` below instead.
    # No Content-Type (file://, odd servers) means "trust the XML declaration", i.e. application/xml.

    repaired = repair_encoding(body, content_type)  # mislabelled charsets (windows-1256 served as UTF-8)
    body, content_type = repaired.body, repaired.content_type
    body, cut = cut_items(body, max_items)  # 25,000 tiny items: parse the first max_items, not all
    headers = {"content-type": content_type or "application/xml"}
    try:
        result = feedparser.parse(
            io.BytesIO(body), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
        )
    except MemoryError:  # the parse worker reports it as the document needing too much memory
        raise
    except Exception as exc:  # feedparser has crashed on odd input before; a crash is just an error here
        return _error_feed(f"feed parser failed: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}")
    try:
        parsed = _to_parsed_feed(result, body=body, url=url, content_type=content_type, max_items=max_items)
    except MemoryError:
        raise
    except Exception as exc:
        return _error_feed(f"unusable feed structure: {type(exc).__name__}")
    notes = [repaired.warning] if repaired.warning else []
    if cut is not None:
        notes.append(f"more than {max_items} items: only the first {max_items} were read")
    if notes and not parsed.error:
        warning = "; ".join(notes + ([parsed.warning] if parsed.warning else []))
        parsed = ParsedFeed(parsed.title, parsed.items, warning, None, parsed.format)
    return parsed


def _to_parsed_feed(
    result: Mapping[str, Any], *, body: bytes, url: str, content_type: str | None, max_items: int
) -> ParsedFeed:
    entries: Iterable[Mapping[str, Any]] = result.get("entries") or []
    version = result.get("version") or ""
    warning = _bozo_text(result.get("bozo_exception")) if result.get("bozo") else None
    feed_info = result.get("feed") or {}
    title = _cap(_one_line(_detail_text(feed_info.get("title_detail"), feed_info.get("title"))), MAX_TITLE_CHARS)
    items: list[ParsedItem] = []
    for entry in entries:
        if len(items) >= max_items:
            break
        item = _entry_to_item(entry, url)
        if not (item.title or item.text or item.link):  # nothing a reader or the extractor could use
            continue
        items.append(item)
    # the same entry twice in one document: keep the first; one GUID on two different items: keep both
    items = keep_colliding_guids(items)
    if items or version:
        return ParsedFeed(title=title, items=items, warning=warning, error=None, format=str(version))
    if _looks_like_html(body, content_type):
        return _error_feed("not a feed: got an HTML page")
    if warning:
        return _error_feed(f"not a feed: {warning}")
    return _error_feed("not a feed: no RSS, Atom or RDF root element")


CONTENT_CHARS: Final = 1000  # how much of an item's text its content identity reads
_SPACE = re.compile(r"\s+")


# --- item identity (a GUID shared by two items, an item renamed on every fetch)


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def content_identity(item: ParsedItem) -> str | None:
    """An identity from what an item says (title and text), or None when it says too little to tell apart.

    Stored beside the GUID/link identity, so an item renamed on every fetch is still recognised.
    """
    title, text = _fold(item.title), _fold(item.text)[:CONTENT_CHARS]
    if len(title) < 8 and len(text) < 40:
        return None
    basis = "content\0" + title + "\0" + text
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def keep_colliding_guids(items: list[ParsedItem]) -> list[ParsedItem]:
    """Items sharing an identity but not their content are all kept: later ones get an identity of their own.

    The same entry repeated (same link and content) is still dropped; the first of each identity keeps its
    identity, so what was remembered from earlier fetches still matches.
    """
    first: dict[str, ParsedItem] = {}
    out: list[ParsedItem] = []
    for item in items:
        seen = first.get(item.identity)
        if seen is None:
            first[item.identity] = item
            out.append(item)
            continue
        same = (link_key(seen.link), _fold(seen.title), _fold(seen.text)) == (
            link_key(item.link),
            _fold(item.title),
            _fold(item.text),
        )
        if same:
            continue
        basis = f"collision\0{item.identity}\0{link_key(item.link) or ''}\0{content_identity(item) or ''}"
        renamed = replace(item, identity=hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest())
        if renamed.identity not in first:
            first[renamed.identity] = renamed
            out.append(renamed)
    return out
