"""Main text of an article page, for feeds that carry only a teaser. Pure: the page comes in as bytes.

The poller fetches the page with `bot.feeds.fetcher.fetch` (same limits as feeds); this module only decides whether
that is worth doing and turns the HTML into plain text with trafilatura.
"""

from __future__ import annotations

from email.message import Message

from bot.feeds.parse import ParsedItem, html_to_text

__all__ = ["extract_main_text", "needs_full_text"]

_MIN_EXTRACTED_CHARS = 80  # less than this is a cookie banner or a caption, not an article


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def _decode(html: bytes, content_type: str | None) -> str | bytes:
    """Honour an HTTP charset when there is one; otherwise let trafilatura sniff (meta tag, BOM, detection)."""
    charset = _charset(content_type)
    if charset:
        try:
            return html.decode(charset, errors="replace")
        except LookupError:
            pass
    return html


def extract_main_text(html: bytes | str, url: str, *, content_type: str | None = None) -> str | None:
    """Plain main text of an article page, or None when there is none worth having. Never raises."""
    if not html:
        return None
    document = _decode(html, content_type) if isinstance(html, bytes) else html
    # imported here, in the parse worker that runs this: the service imports this module only for
    # needs_full_text, and trafilatura with its dependencies is ~26 MB resident it would carry for nothing
    import trafilatura

    try:
        text = trafilatura.extract(
            document,
            url=url,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            # No deduplicate=True: trafilatura keeps that cache process-wide, so a page seen twice (two feeds
            # linking one article, a retry) would come back empty the second time.
        )
    except Exception:  # trafilatura on hostile pages: no text is the honest answer
        return None
    if not isinstance(text, str):
        return None
    # trafilatura emits text, but an escaped "&lt;script&gt;" in the page would come out as markup-like text.
    cleaned = html_to_text(text.replace("&", "&amp;").replace("<", "&lt;"))
    return cleaned if len(cleaned) >= _MIN_EXTRACTED_CHARS else None


def needs_full_text(item: ParsedItem, min_chars: int = 600) -> bool:
    """Whether the article page should be fetched: a link, and the feed gave only a short teaser.

    A summary shorter than `min_chars` qualifies; full content does only when it is very short
    (under a quarter of `min_chars`), which is how feeds that put a "read more" stub in content look.
    """
    if item.link is None:
        return False
    length = len(item.text)
    if item.is_summary:
        return length < min_chars
    return length < min_chars // 4
