"""Public Telegram channels as sources: their web preview (`https://t.me/s/NAME`) read like a feed. Pure.

No account, no MTProto, no bot membership: the preview page lists the latest posts, each a
`div.tgme_widget_message` with `data-post="NAME/ID"`, its text in `div.tgme_widget_message_text`, its
time in the `<time datetime>` of `a.tgme_widget_message_date`, an "edited" mark in the meta line and a
`tgme_widget_message_forwarded_from` block when forwarded. A channel that is private, missing or
renamed has no `tgme_channel_history` on that page (t.me sends the visitor to the plain profile page).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from bot.config import channel_name
from bot.feeds.parse import MAX_TEXT_CHARS, MAX_TITLE_CHARS, ParsedFeed, ParsedItem, html_to_text

__all__ = [
    "DEFAULT_PREVIEW_BASE",
    "ChannelPost",
    "channel_name",
    "fetch_error",
    "is_channel_url",
    "is_edit",
    "last_post_of",
    "parse_channel",
    "poll_jitter",
    "post_number",
    "posts_to_read",
    "preview_url",
]

DEFAULT_PREVIEW_BASE = "https://t.me/s/"
MAX_POSTS = 200
_POST_ID = re.compile(r"^([A-Za-z][A-Za-z0-9_]{3,31})/(\d{1,12})$")


def is_channel_url(url: str) -> bool:
    """Whether a configured feed URL names a Telegram channel."""
    return channel_name(url) is not None


def preview_url(name: str, base: str = DEFAULT_PREVIEW_BASE) -> str:
    """Where the channel's posts are read: `<preview_base_url>NAME` (a mirror or a test server may stand in)."""
    return base.rstrip("/") + "/" + name


@dataclass(frozen=True)
class ChannelPost:
    """One post as the preview shows it."""

    channel: str
    post_id: int
    text: str
    published: datetime | None
    edited: bool
    forwarded_from: str | None


# --- the preview page ---------------------------------------------------------------------------------

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\u20e3\U000e0020-\U000e007f]"
)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "embed"})


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    for k, v in attrs:
        if k == "class" and v:
            return set(v.split())
    return set()


def _attr(attrs: list[tuple[str, str | None]], key: str) -> str | None:
    for k, v in attrs:
        if k == key:
            return v
    return None


class _Post:
    def __init__(self, ref: str) -> None:
        self.ref = ref
        self.parts: list[str] = []
        self.time: str | None = None
        self.edited = False
        self.forwarded: str | None = None
        self.service = False


class _PreviewParser(HTMLParser):
    """Walks the preview page once; keeps only what each post needs (bounded by MAX_POSTS and text caps)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.history = False
        self.title_parts: list[str] = []
        self.posts: list[_Post] = []
        self.stack: list[str] = []  # open elements' roles: "post", "text", "meta", "fwd", "emoji", "title", ""
        self.post: _Post | None = None
        self.link_href: list[str | None] = []
        self.skip = 0

    def _in(self, role: str) -> bool:
        return role in self.stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        cls = _classes(attrs)
        if "tgme_channel_history" in cls:
            self.history = True
        if tag in ("br", "img", "hr", "input", "meta", "link", "wbr", "source"):
            if tag == "br" and self._in("text") and self.post is not None:
                self.post.parts.append("\n")
            return
        role = ""
        ref = _attr(attrs, "data-post")
        if "tgme_widget_message" in cls and ref and len(self.posts) < MAX_POSTS and not self._in("post"):
            self.post = _Post(ref)
            self.post.service = "service_message" in cls
            self.posts.append(self.post)
            role = "post"
        elif self.post is not None and self._in("post"):
            if "tgme_widget_message_text" in cls and not self._in("text") and not self._in("reply"):
                role = "text"
            elif "tgme_widget_message_reply" in cls:
                role = "reply"
            elif "tgme_widget_message_meta" in cls:
                role = "meta"
            elif "tgme_widget_message_forwarded_from" in cls:
                role = "fwd"
                self.post.forwarded = ""
            elif "emoji" in cls:
                role = "emoji"
            elif "tgme_widget_message_edited" in cls:
                self.post.edited = True
            if tag == "time" and self._in("meta") and self.post.time is None:
                self.post.time = _attr(attrs, "datetime")
            if tag == "a":
                self.link_href.append(_attr(attrs, "href"))
        elif "tgme_channel_info_header_title" in cls:
            role = "title"
        self.stack.append(role)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in ("br", "img", "hr", "input", "meta", "link", "wbr", "source") or not self.stack:
            return
        role = self.stack.pop()
        if tag == "a" and self.link_href and self.post is not None:
            href = self.link_href.pop()
            if self._in("text") and href and href.startswith(("http://", "https://")):
                text = "".join(self.post.parts)
                if not text.rstrip().endswith(href):
                    self.post.parts.append(f" ({href})")
        if role == "post":
            self.post = None
        elif role == "text" and self.post is not None:
            self.post.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self._in("title"):
            self.title_parts.append(data)
            return
        post = self.post
        if post is None:
            return
        if self._in("emoji"):
            return
        if self._in("text") and not self._in("reply"):
            if sum(len(p) for p in post.parts) < MAX_TEXT_CHARS:
                post.parts.append(data)
        elif self._in("meta") and data.strip().lower() == "edited":
            post.edited = True
        elif self._in("fwd") and post.forwarded is not None and len(post.forwarded) < 200:
            post.forwarded += data


def _clean(text: str) -> str:
    text = _EMOJI.sub("", unicodedata.normalize("NFC", text))
    return html_to_text(text.replace("<", "\u2039").replace("\n", "<br>"))


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_posts(body: bytes, name: str) -> tuple[str, list[ChannelPost], bool]:
    """(channel title, posts of this channel oldest first, whether the page is a channel's preview)."""
    parser = _PreviewParser()
    try:
        parser.feed(body.decode("utf-8", "replace"))
        parser.close()
    except MemoryError:  # past the parse's memory budget (bot.feeds.parse_worker): the whole parse fails
        raise
    except Exception:  # html.parser is lenient; a page it still chokes on reads as what came before
        pass
    posts: dict[int, ChannelPost] = {}
    for p in parser.posts:
        m = _POST_ID.match(p.ref.strip())
        if m is None or m.group(1).lower() != name.lower() or p.service:
            continue
        text = _clean("".join(p.parts))
        if not text:
            continue  # a photo or sticker without a caption: nothing to read
        forwarded = " ".join((p.forwarded or "").split()).removeprefix("Forwarded from").strip()[:100] or None
        post_id = int(m.group(2))
        posts[post_id] = ChannelPost(name, post_id, text, _when(p.time), p.edited, forwarded)
    title = " ".join("".join(parser.title_parts).split())[:MAX_TITLE_CHARS]
    return title, [posts[k] for k in sorted(posts)], parser.history


def _identity(guid: str, edited_text: str | None) -> str:
    basis = f"tg\x00{guid.lower()}" + (f"\x00{edited_text}" if edited_text is not None else "")
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def post_item(post: ChannelPost) -> ParsedItem:
    """A post as a feed item: GUID `NAME/ID`, link `https://t.me/NAME/ID`, title its first line.

    The identity hashes the GUID with the text of an edited post, so a later edit is a new item (the
    article store then sees the same link with new text); an unedited post keeps one identity."""
    guid = f"{post.channel}/{post.post_id}"
    first = post.text.split("\n", 1)[0]
    return ParsedItem(
        identity=_identity(guid, post.text if post.edited else None),
        guid=guid,
        link=f"https://t.me/{post.channel}/{post.post_id}",
        title=first[:MAX_TITLE_CHARS],
        text=post.text,
        published=post.published,
        is_summary=False,
        forwarded_from=post.forwarded_from,
    )


def post_number(item: ParsedItem) -> int | None:
    """The post id of a channel item (its GUID is `NAME/ID`), None for anything else."""
    m = _POST_ID.match((item.guid or "").strip())
    return int(m.group(2)) if m else None


def is_edit(item: ParsedItem) -> bool:
    """Whether the item is a post marked edited (its identity carries its text, see `post_item`)."""
    guid = (item.guid or "").strip()
    return bool(guid) and item.identity != _identity(guid, None)


def posts_to_read(items: list[ParsedItem], last_post_id: int | None, seen: set[str]) -> list[ParsedItem]:
    """The posts of a preview page worth reading: newer than the last post read, or an edit not yet read.

    A post at or below `last_post_id` is old even when the memory of seen items was pruned or lost (posts
    read long ago, a restart on a database whose item memory was pruned); an edited one is read again
    when this edit (its text) is new. `seen` holds the item identities already read."""
    out: list[ParsedItem] = []
    for item in items:
        number = post_number(item)
        if number is None or item.identity in seen:
            continue
        if last_post_id is None or number > last_post_id or is_edit(item):
            out.append(item)
    return out


def last_post_of(items: list[ParsedItem], last_post_id: int | None) -> int | None:
    """The highest post id after reading these items (never lower than before: a deleted post lowers nothing)."""
    numbers = [n for i in items if (n := post_number(i)) is not None]
    if last_post_id is not None:
        numbers.append(last_post_id)
    return max(numbers) if numbers else None


def missing_message(name: str) -> str:
    """What the operator reads for a channel with no public preview."""
    return f"Telegram channel @{name} has no public preview (private, missing or renamed)"


def fetch_error(name: str, http_status: int | None, error: str | None) -> str | None:
    """A failed preview fetch in the operator's words: a mirror's 404 or 410 is a missing channel too."""
    if http_status in (404, 410):
        return f"{missing_message(name)}: {error or f'HTTP {http_status}'}"
    return error


def parse_channel(body: bytes, name: str) -> ParsedFeed:
    """The preview page as a feed; `error` says plainly when the channel has no public preview."""
    title, posts, history = read_posts(body, name)
    if not history:
        return ParsedFeed(
            title="",
            items=[],
            error=missing_message(name),
            format="telegram",
        )
    return ParsedFeed(title=title or name, items=[post_item(p) for p in posts], format="telegram")


def poll_jitter(name: str, now: datetime, interval: timedelta) -> timedelta:
    """Up to a fifth of the interval, stable for one channel and moment, so channels added together (and a
    mirror's rate limit) are not hit in lockstep every minute."""
    digest = hashlib.sha256(f"{name}:{int(now.timestamp())}".encode()).digest()
    return interval * (int.from_bytes(digest[:4], "big") / 2**32 * 0.2)
