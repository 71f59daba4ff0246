"""What sources get wrong, put right before their items reach the pipeline. Pure functions: no I/O, no clock.

- Encodings: a feed that declares UTF-8 (or nothing) but is not valid UTF-8 (an Arabic site serving
  windows-1256) used to be stored as mojibake, its attacks missed and the feed shown healthy. The real
  encoding is detected (charset-normalizer), the bytes re-encoded as UTF-8, and a warning says so.
- GUIDs: two items of one document with one GUID but different content are both kept.
- Renamed items: some feeds give every item a new GUID and link on every fetch. An item is also known
  by its content (title and text), so such a feed does not make a new article, and an edit of the sent
  alert, on every poll.
- Dates: a publication date more than a day in the future or before 2000 is a publisher's error; it is
  not used (the article is dated when it was fetched), so it neither dates the attack nor sorts first.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import charset_normalizer

EARLIEST: Final = datetime(2000, 1, 1).replace(tzinfo=None)
FUTURE_SLACK: Final = timedelta(days=1)

_XML_DECL = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]+)\2", re.IGNORECASE)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


# --- encodings -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    """Feed bytes ready for the parser, the Content-Type to pass with them, and what was repaired (or None)."""

    body: bytes
    content_type: str | None
    warning: str | None = None


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset the response claims: the Content-Type's, else the XML declaration's (None: neither)."""
    if content_type:
        found = _CT_CHARSET.search(content_type)
        if found:
            return found.group(1)
    decl = _XML_DECL.match(body[:200])
    return decl.group(3).decode("ascii") if decl else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def repair_encoding(body: bytes, content_type: str | None) -> Decoded:
    """The body as valid text in the charset it declares, or re-encoded as UTF-8 from the detected one.

    Bytes that decode in their declared charset (UTF-8 when none is declared) pass untouched. Otherwise
    the real encoding is detected; the body becomes UTF-8 with its XML declaration and Content-Type
    saying so, and the warning names both charsets. Undetectable bytes pass untouched (the parser copes
    or reports).
    """
    declared = declared_charset(body, content_type)
    codec = _codec(declared) or "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return Decoded(body, content_type)
    try:
        body.decode(codec)
        return Decoded(body, content_type)
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is None or _codec(best.encoding) in (None, codec):
        return Decoded(body, content_type)
    text = str(best)
    fixed = text.encode("utf-8")
    fixed = _XML_DECL.sub(lambda m: m.group(1) + m.group(2) + b"utf-8" + m.group(2), fixed, count=1)
    kind = (content_type or "application/xml").split(";", 1)[0].strip() or "application/xml"
    said = f"says {declared}" if declared else "declares no charset (so UTF-8)"
    warning = f"charset: the feed {said} but is not valid {codec}; read as {best.encoding}"
    return Decoded(fixed, f"{kind}; charset=utf-8", warning)


# --- dates --------------------------------------------------------------------------------------------------


def plausible_published(published: datetime | None, now: datetime) -> datetime | None:
    """The publication date if believable: not more than a day ahead of `now` and not before 2000."""
    if published is None:
        return None
    if published > now + FUTURE_SLACK or published.year < EARLIEST.year:
        return None
    return published


# --- size -------------------------------------------------------------------------------------------------

_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry)[\s>/]", re.IGNORECASE)
_CLOSERS: Final = ((rb"<rss", b"</channel></rss>"), (rb"<feed", b"</feed>"), (rb"rdf:rdf", b"</rdf:RDF>"))


def cut_items(body: bytes, max_items: int) -> tuple[bytes, int | None]:
    """The document cut before its (max_items + 1)-th item, closed again; (body, None) when it has no more.

    feedparser reads the whole document before the item cap applies: 25,000 tiny items cost seconds of CPU
    and hundreds of MB for 500 kept. Cutting first bounds both. The cut document is closed with the root's
    end tags, so the strict parser still reads it; should it not be well-formed, the lenient parser does.
    Returns how many item starts were found up to the cut (max_items + 1) when it cut.
    """
    for starts, match in enumerate(_ENTRY_START.finditer(body), start=1):
        if starts > max_items:
            head = body[: match.start()]
            lowered = body[:4096].lower()
            closer = next((end for root, end in _CLOSERS if root in lowered), b"")
            return head + closer, starts
    return body, None
