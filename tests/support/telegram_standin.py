"""A Telegram Bot API stand-in on loopback, so the suite can drive the real PTB bot end to end.

It is a real HTTP/1.1 server (stdlib ``ThreadingHTTPServer`` in a thread) that speaks the same protocol
api.telegram.org does: ``POST {base_url}{token}/{method}`` with form, multipart or JSON parameters,
answered with Telegram's JSON envelopes.  A bot in this process or in a child process (one that a test
may ``kill -9``) is pointed at it with ``base_url``; the test inspects and steers the state in-process.

Typical use::

    with BotApiStandin() as standin:
        standin.register_chat(42, "private")
        app = ApplicationBuilder().token(standin.token).base_url(standin.base_url)...
        standin.user_sends(42, 42, "/start")
        standin.wait_for(lambda: standin.sent(42))

It enforces what Telegram enforces and a careless bot trips over (HTML rules, 4096 UTF-16 units, the
rate limits when switched on) and can be told to fail (``fail_next``) or keep failing (``block``,
``kick``, ``migrate_chat``) the way Telegram does, so the bot's error handling is tested for real.

Test-side API (all thread-safe):

* world: ``register_chat``/``register_chats``/``register_user``; ``user_sends`` (message or channel
  post with command and URL entities), ``user_presses`` (callback query), ``queue_update`` (anything);
* inspect: ``sent``/``files`` (uploads)/``edits``/``deleted``/``message``/``callback_answers``/``calls``/``commands``/
  ``commands_for``; counters ``total_sends``, ``count_429``, ``pending_updates``, ``polling``,
  ``polls_waiting``, ``connections_accepted``, ``peak_connections``, ``stats()``, ``internal_errors``;
* wait: ``wait_for(predicate)`` in a plain thread, ``await async_wait_for(predicate)`` inside the loop;
* faults, one-shot: ``fail_next(method, chat_id, kind=...)`` with ``RETRY_AFTER(n)``, ``FORBIDDEN``,
  ``KICKED``, ``DEACTIVATED``, ``MIGRATE(id)``, ``BAD_REQUEST(desc)``, ``SERVER_ERROR(500|502, html=)``,
  ``UNAUTHORIZED``, ``CONFLICT``, ``DROP_CONNECTION`` (not sent), ``DROP_RESPONSE`` (sent, answer lost),
  ``SLOW(s)`` (sent late), or any ``Fault(...)``; persistent: ``block``/``kick``/``unblock``/``migrate_chat``;
* switches: ``enforce_rate_limits`` with ``rate_limits`` and ``clock`` (freeze it for deterministic
  tests), ``strict_html``, ``conflict_on_concurrent_polls``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import email.parser
import email.policy
import itertools
import json
import math
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlsplit

JSON = dict[str, Any]
ChatType = Literal["private", "group", "supergroup", "channel"]
T = TypeVar("T")

DEFAULT_TOKEN = "7000000001:AAStandinToken-For_Rasad_Tests0123456"
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CONFLICT_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

# --------------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One way Telegram can answer badly; ``action`` says whether it answers, hangs up or stalls."""

    status: int = 400
    description: str = "Bad Request"
    parameters: JSON | None = None
    action: Literal["respond", "drop", "drop_after", "slow"] = "respond"
    delay: float = 0.0
    html_body: bool = False


def RETRY_AFTER(seconds: int) -> Fault:
    """429 Too Many Requests with ``parameters.retry_after``: PTB raises ``RetryAfter``."""
    return Fault(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def MIGRATE(new_chat_id: int) -> Fault:
    """400 with ``parameters.migrate_to_chat_id``: PTB raises ``ChatMigrated``."""
    return Fault(400, "Bad Request: group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": new_chat_id})


def BAD_REQUEST(description: str = "Bad Request: chat not found") -> Fault:
    """400 with the given description (should start with ``Bad Request:`` like Telegram's)."""
    return Fault(400, description)


def SERVER_ERROR(status: int = 500, *, html: bool = False) -> Fault:
    """5xx; ``html=True`` answers an nginx-style HTML page, as Telegram's front does on 502."""
    return Fault(status, HTTPStatus(status).phrase, None, html_body=html)


def SLOW(seconds: float) -> Fault:
    """Stall, then process normally: the message IS sent even if the client timed out meanwhile."""
    return Fault(action="slow", delay=seconds)


FORBIDDEN = Fault(403, "Forbidden: bot was blocked by the user")
KICKED = Fault(403, "Forbidden: bot was kicked from the group chat")
DEACTIVATED = Fault(403, "Forbidden: user is deactivated")
UNAUTHORIZED = Fault(401, "Unauthorized")
CONFLICT = Fault(409, CONFLICT_POLL)
DROP_CONNECTION = Fault(action="drop")
"""Close the socket without processing or answering: nothing was sent."""
DROP_RESPONSE = Fault(action="drop_after")
"""Process the call (the message is sent), then close the socket without answering."""


@dataclass
class _PendingFault:
    method: str | None
    chat_id: int | str | None
    fault: Fault
    times: int


# --------------------------------------------------------------------------------------------------
# Records visible to tests
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent (``sendMessage``) or an edit it made, as Telegram accepted it."""

    method: str
    chat_id: int
    message_id: int
    text: str
    """Visible text after entity parsing (what the user reads)."""
    raw_text: str
    """Text exactly as the bot sent it (HTML source when ``parse_mode`` is HTML)."""
    parse_mode: str | None
    entities: list[JSON]
    reply_to: int | None
    link_preview_disabled: bool
    link_preview_options: JSON | None
    reply_markup: JSON | None
    disable_notification: bool
    date: int
    thread_id: int | None = None
    """The forum topic it was posted in (``message_thread_id``); None outside topics."""

    @property
    def links(self) -> list[str]:
        """Every URL the user can click: ``<a href>`` targets and bare URLs detected in the text."""
        urls: list[str] = []
        for ent in self.entities:
            if ent["type"] == "text_link":
                urls.append(ent["url"])
            elif ent["type"] == "url":
                urls.append(utf16_slice(self.text, ent["offset"], ent["length"]))
        return urls

    @property
    def buttons(self) -> list[JSON]:
        """Inline keyboard buttons, flattened row by row."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [button for row in self.reply_markup["inline_keyboard"] for button in row]


@dataclass(frozen=True)
class SentFile:
    """A file the bot uploaded with ``sendPhoto`` or ``sendDocument``, as Telegram received it."""

    method: str
    chat_id: int
    message_id: int
    filename: str | None
    content: bytes
    caption: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class CallbackAnswer:
    """An ``answerCallbackQuery`` the bot made."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class CallRecord:
    """One API request as the stand-in saw it; ``status`` 0 means the connection was dropped."""

    method: str
    params: JSON
    status: int
    description: str | None
    at: float


@dataclass(frozen=True)
class RateLimits:
    """Telegram's published broadcast limits; windows are sliding."""

    global_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


# --------------------------------------------------------------------------------------------------
# Telegram's HTML parse mode
# --------------------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """Why Telegram would refuse the HTML ("can't parse entities: ...")."""


_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]{1,10});")
_SPACE = " \t\r\n"
_PLAIN_STOP = re.compile(r"[<&>]")


def utf16_len(text: str) -> int:
    """Telegram counts lengths and offsets in UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The substring an entity (UTF-16 offset/length) covers."""
    data = text.encode("utf-16-le")
    return data[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def _decode_entity(source: str, at: int) -> tuple[str | None, int]:
    match = _ENTITY_RE.match(source, at)
    if not match:
        return None, 0
    body = match.group(1)
    if body.startswith("#"):
        code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None, 0
        return chr(code), match.end() - at
    named = _NAMED_ENTITIES.get(body)
    return (named, match.end() - at) if named is not None else (None, 0)


def _decode_text(source: str, base: int, full: str, strict: bool) -> str:
    """Decode entities inside an attribute value (``base`` is its index in ``full`` for messages)."""
    out: list[str] = []
    i = 0
    while i < len(source):
        if source[i] == "&":
            decoded, used = _decode_entity(source, i)
            if decoded is None:
                if strict:
                    raise HtmlParseError(
                        f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(full, base + i)}'
                    )
                decoded, used = "&", 1
            out.append(decoded)
            i += used
        else:
            out.append(source[i])
            i += 1
    return "".join(out)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def parse_html(source: str, *, strict: bool = True) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML subset into (visible text, entities with UTF-16 offsets).

    Mirrors Telegram's rules and messages: only its tags, properly nested, entities decoded.
    ``strict`` (the default) also refuses a bare ``&`` or ``>`` that Telegram would let through,
    because such text means the bot forgot to escape something and ``<`` will break it next time.
    """
    out: list[str] = []
    pos = 0
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[JSON] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            decoded, used = _decode_entity(source, i)
            if decoded is None:
                if strict:
                    raise HtmlParseError(
                        f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(source, i)}'
                    )
                decoded, used = "&", 1
            out.append(decoded)
            pos += utf16_len(decoded)
            i += used
            continue
        if ch == ">":
            if strict:
                raise HtmlParseError(
                    f'Character ">" must be escaped as "&gt;" at byte offset {_byte_offset(source, i)}'
                )
            out.append(ch)
            pos += 1
            i += 1
            continue
        if ch != "<":
            match = _PLAIN_STOP.search(source, i)
            j = match.start() if match else n
            chunk = source[i:j]
            out.append(chunk)
            pos += utf16_len(chunk)
            i = j
            continue
        start = i
        if source.startswith("</", i):
            j = i + 2
            while j < n and source[j].isascii() and (source[j].isalnum() or source[j] == "-"):
                j += 1
            name = source[i + 2 : j].lower()
            while j < n and source[j] in _SPACE:
                j += 1
            if j >= n or source[j] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(source, start)}")
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {_byte_offset(source, start)}")
            open_name, attrs, begin = stack[-1]
            if name != open_name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, start)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            stack.pop()
            i = j + 1
            if open_name == "code" and stack and stack[-1][0] == "pre":
                language = attrs.get("class", "")
                if language.startswith("language-"):
                    stack[-1][1]["language"] = language[len("language-") :]
                    continue
            entity = _entity_for(open_name, attrs, begin, pos - begin)
            if entity is not None:
                entities.append(entity)
            continue
        j = i + 1
        while j < n and source[j].isascii() and (source[j].isalnum() or source[j] == "-"):
            j += 1
        name = source[i + 1 : j].lower()
        if name not in _TAG_ENTITY:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, start)}')
        attrs = {}
        while True:
            while j < n and source[j] in _SPACE:
                j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, start)}")
            if source[j] == ">":
                j += 1
                break
            k = j
            while k < n and source[k] not in _SPACE + "=>/\"'":
                k += 1
            attr = source[j:k].lower()
            if not attr:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {_byte_offset(source, j)}'
                )
            j = k
            while j < n and source[j] in _SPACE:
                j += 1
            value = ""
            if j < n and source[j] == "=":
                j += 1
                while j < n and source[j] in _SPACE:
                    j += 1
                if j >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, start)}")
                if source[j] in "\"'":
                    end = source.find(source[j], j + 1)
                    if end < 0:
                        raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, start)}")
                    value = _decode_text(source[j + 1 : end], j + 1, source, strict)
                    j = end + 1
                else:
                    k = j
                    while k < n and source[k] not in _SPACE + ">":
                        k += 1
                    value = _decode_text(source[j:k], j, source, strict)
                    j = k
            attrs.setdefault(attr, value)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(source, start)}'
            )
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {_byte_offset(source, start)}'
            )
        stack.append((name, attrs, pos))
        i = j
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity_for(tag: str, attrs: dict[str, str], offset: int, length: int) -> JSON | None:
    if length <= 0:
        return None
    kind = _TAG_ENTITY[tag]
    entity: JSON = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href", "").strip()
        if not href:
            return None
        entity["url"] = href
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    return entity


def _strip_text(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram trims surrounding whitespace; entities are shifted and clipped to what remains."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept: list[JSON] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(size, entity["offset"] + entity["length"] - lead)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_URL_RE = re.compile(r"(?<!\S)https?://[^\s<>\"]+")


def _detect_entities(text: str, existing: list[JSON], *, commands: bool) -> list[JSON]:
    """Telegram's automatic entities: bot commands (what CommandHandler looks for) and bare URLs."""
    found: list[JSON] = []
    covered = [(e["offset"], e["offset"] + e["length"]) for e in existing]
    patterns = [("bot_command", _COMMAND_RE)] if commands else []
    patterns.append(("url", _URL_RE))
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            offset = utf16_len(text[: match.start()])
            length = utf16_len(match.group(0).rstrip(".,;:!?)"))
            if any(offset < end and offset + length > begin for begin, end in covered):
                continue
            found.append({"type": kind, "offset": offset, "length": length})
            covered.append((offset, offset + length))
    return sorted(existing + found, key=lambda e: (e["offset"], -e["length"]))


# --------------------------------------------------------------------------------------------------
# Internal state
# --------------------------------------------------------------------------------------------------


class ApiError(Exception):
    """Raised by a method to answer ``{"ok": false, ...}`` with this code, description and parameters."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class _Msg:
    message_id: int
    from_bot: bool
    user_id: int | None
    date: int
    text: str
    entities: list[JSON]
    reply_markup: JSON | None = None
    reply_to: int | None = None
    edit_date: int | None = None
    link_preview_options: JSON | None = None
    media: JSON | None = None
    """photo/document fields of a media message; its `text` is then the caption."""
    thread_id: int | None = None
    """The forum topic the message is in."""


@dataclass
class _Chat:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    admins: list[int] = field(default_factory=list)
    forbidden: str | None = None
    migrated_to: int | None = None
    is_forum: bool = False
    topics: set[int] = field(default_factory=set)
    """Open topics of a forum supergroup, by thread id (the id of the message that created each)."""
    next_message_id: int = 1
    messages: dict[int, _Msg] = field(default_factory=dict)
    window: collections.deque[float] = field(default_factory=collections.deque)


@dataclass
class _User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None


@dataclass
class _PollTicket:
    terminated: bool = False


class _ClientGone(Exception):
    """The HTTP client hung up while its long poll waited."""


@dataclass
class _Outcome:
    status: int
    body: bytes
    content_type: str = "application/json"
    drop: bool = False


# --------------------------------------------------------------------------------------------------
# The stand-in
# --------------------------------------------------------------------------------------------------


class BotApiStandin:
    """The Bot API on loopback: state, faults and limits; see the module docstring for why."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "rasad_test_bot",
        bot_first_name: str = "Rasad",
        enforce_rate_limits: bool = False,
        rate_limits: RateLimits | None = None,
        strict_html: bool = True,
        conflict_on_concurrent_polls: bool = True,
        first_update_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not TOKEN_RE.match(token):
            raise ValueError(f"not a Telegram bot token: {token!r}")
        self.token = token
        self.host = host
        self._requested_port = port
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.enforce_rate_limits = enforce_rate_limits
        self.rate_limits = rate_limits or RateLimits()
        self.strict_html = strict_html
        self.conflict_on_concurrent_polls = conflict_on_concurrent_polls
        self.clock = clock
        """Time source of the rate limiter only; a test may substitute a fake to make limits deterministic."""

        self._cond = threading.Condition(threading.Lock())
        self._version = 0
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, _User] = {}
        self._updates: collections.deque[JSON] = collections.deque()
        self._next_update_id = first_update_id
        self._allowed_updates: list[str] | None = None
        self._webhook_url = ""
        self._active_poll: _PollTicket | None = None
        self._polls_waiting = 0
        self._faults: list[_PendingFault] = []
        self._held = False
        self._global_window: collections.deque[float] = collections.deque()
        self._callback_ids = itertools.count(1)
        self._open_callbacks: dict[str, tuple[int, int]] = {}

        self._sent: list[BotMessage] = []
        self._edits: list[BotMessage] = []
        self._deleted: list[tuple[int, int]] = []
        self._answers: list[CallbackAnswer] = []
        self._calls: list[CallRecord] = []
        self._commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._profile: dict[tuple[str, str], str] = {}
        self.internal_errors: list[str] = []
        """Tracebacks of stand-in bugs (answered as 500); a test can assert this stays empty."""
        self._count_429 = 0
        self._total_sends = 0
        self._open_connections = 0
        self.peak_connections = 0
        self.connections_accepted = 0
        """TCP connections accepted so far: few connections for many calls means keep-alive works."""

        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._sockets: set[socket.socket] = set()

        self._files: list[SentFile] = []
        self._methods: dict[str, tuple[str, Callable[[JSON, _Handler], Any]]] = {
            name.lower(): (name, fn)
            for name, fn in {
                "getMe": self._m_get_me,
                "getUpdates": self._m_get_updates,
                "setWebhook": self._m_set_webhook,
                "deleteWebhook": self._m_delete_webhook,
                "getWebhookInfo": self._m_get_webhook_info,
                "setMyCommands": self._m_set_my_commands,
                "getMyCommands": self._m_get_my_commands,
                "deleteMyCommands": self._m_delete_my_commands,
                "setMyDescription": self._profile_setter("description"),
                "getMyDescription": self._profile_getter("description"),
                "setMyShortDescription": self._profile_setter("short_description"),
                "getMyShortDescription": self._profile_getter("short_description"),
                "setMyName": self._profile_setter("name"),
                "getMyName": self._profile_getter("name"),
                "sendMessage": self._m_send_message,
                "sendChatAction": self._m_send_chat_action,
                "sendPhoto": self._m_send_photo,
                "sendDocument": self._m_send_document,
                "editMessageText": self._m_edit_message_text,
                "editMessageReplyMarkup": self._m_edit_message_reply_markup,
                "deleteMessage": self._m_delete_message,
                "answerCallbackQuery": self._m_answer_callback_query,
                "getChat": self._m_get_chat,
                "getChatMember": self._m_get_chat_member,
                "getChatAdministrators": self._m_get_chat_administrators,
                "leaveChat": self._m_leave_chat,
                "close": self._m_true,
                "logOut": self._m_true,
            }.items()
        }

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> BotApiStandin:
        """Bind a loopback port (0 = any free one) and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping = False
        server = _Server((self.host, self._requested_port), _Handler)
        server.standin = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="telegram-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: wake long polls, close the listener and every client connection."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._changed()
        server.shutdown()
        server.server_close()
        with self._cond:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + 2.0
        with self._cond:
            while self._sockets and time.monotonic() < deadline:
                self._cond.wait(0.05)
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._server = None
        self._thread = None

    def __enter__(self) -> BotApiStandin:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (after ``start``)."""
        if self._server is None:
            raise RuntimeError("the stand-in is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give PTB as ``base_url``: it appends the token and ``/method`` itself."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give PTB as ``base_file_url`` (files are not served; present for completeness)."""
        return f"http://{self.host}:{self.port}/file/bot"

    def api_url(self, method: str) -> str:
        """Full URL of a method, for raw HTTP clients."""
        return f"{self.base_url}{self.token}/{method}"

    # ---------------------------------------------------------------- test-side: world

    def register_chat(
        self,
        chat_id: int,
        type: ChatType = "private",
        title: str | None = None,
        username: str | None = None,
        admins: Iterable[int] = (),
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        is_forum: bool = False,
    ) -> None:
        """Make a chat known (sends to unknown chats fail with "chat not found", as on Telegram).

        A private chat's id is its user's id; that user is registered too. The first of ``admins``
        is the chat's creator. Re-registering updates the chat's description but keeps its messages.
        """
        if type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {type!r}")
        if type == "private" and chat_id <= 0:
            raise ValueError("private chat ids are the (positive) user id")
        if type != "private" and chat_id >= 0:
            raise ValueError("group, supergroup and channel ids are negative")
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = self._chats[chat_id] = _Chat(chat_id, type)
            chat.type = type
            chat.title = title if type != "private" else None
            if type != "private" and chat.title is None:
                chat.title = f"Chat {chat_id}"
            chat.username = username.lstrip("@") if username else None
            chat.admins = list(admins)
            chat.is_forum = is_forum and type == "supergroup"
            if type == "private":
                user = self._ensure_user(chat_id, language_code, first_name)
                chat.first_name = user.first_name
                chat.username = chat.username or user.username
            self._changed()

    def register_chats(self, chat_ids: Iterable[int], type: ChatType = "private") -> None:
        """Register many chats at once (the 10,000-subscriber benchmark)."""
        for chat_id in chat_ids:
            self.register_chat(chat_id, type)

    def register_user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> None:
        """Make a user known with a name and language (``user_sends`` does this implicitly)."""
        with self._cond:
            user = self._ensure_user(user_id, language_code, first_name)
            if username:
                user.username = username
            self._changed()

    def block(self, chat_id: int, description: str | None = None) -> None:
        """From now on every call for this chat answers 403 (the user blocked the bot)."""
        with self._cond:
            chat = self._chat_or_raise(chat_id)
            chat.forbidden = description or "Forbidden: bot was blocked by the user"
            self._changed()

    def kick(self, chat_id: int) -> None:
        """From now on every call for this group/channel answers 403 (the bot was removed)."""
        with self._cond:
            chat = self._chat_or_raise(chat_id)
            chat.forbidden = {
                "group": "Forbidden: bot was kicked from the group chat",
                "supergroup": "Forbidden: bot was kicked from the supergroup chat",
                "channel": "Forbidden: bot is not a member of the channel chat",
            }.get(chat.type, "Forbidden: bot was blocked by the user")
            self._changed()

    def unblock(self, chat_id: int) -> None:
        """Undo ``block``/``kick``."""
        with self._cond:
            self._chat_or_raise(chat_id).forbidden = None
            self._changed()

    def migrate_chat(self, old_chat_id: int, new_chat_id: int, *, notify: bool = True) -> None:
        """Upgrade a group to a supergroup for good: calls for the old id answer ``ChatMigrated``.

        With ``notify`` the bot also gets Telegram's service messages (``migrate_to_chat_id`` in the
        old chat, ``migrate_from_chat_id`` in the new one).
        """
        with self._cond:
            old = self._chat_or_raise(old_chat_id)
            new = self._chats.get(new_chat_id) or _Chat(new_chat_id, "supergroup")
            new.type, new.title, new.admins = "supergroup", old.title, list(old.admins)
            self._chats[new_chat_id] = new
            old.migrated_to = new_chat_id
            if notify:
                actor = old.admins[0] if old.admins else None
                for chat, key, value in (
                    (old, "migrate_to_chat_id", new_chat_id),
                    (new, "migrate_from_chat_id", old_chat_id),
                ):
                    msg = self._store_user_message(chat, actor, "")
                    payload = self._message_json(chat, msg)
                    payload.pop("text", None)
                    payload[key] = value
                    self._queue_update({"message": payload})
            self._changed()

    def profile(self, what: str, language_code: str = "") -> str:
        """The bot's description, short_description or name as last set for that language ("" when unset)."""
        with self._cond:
            return self._profile.get((what, language_code), "")

    def add_bot_to(self, chat_id: int, by_user: int) -> None:
        """A user adds the bot to a registered group: Telegram's ``new_chat_members`` service message."""
        with self._cond:
            chat = self._chat_or_raise(chat_id)
            msg = self._store_user_message(chat, by_user, "")
            payload = self._message_json(chat, msg)
            payload.pop("text", None)
            payload["new_chat_members"] = [self._bot_json()]
            self._queue_update({"message": payload})
            self._changed()

    def open_topic(self, chat_id: int) -> int:
        """Create a topic in a forum supergroup; returns its thread id (the id of its creation message)."""
        with self._cond:
            chat = self._chat_or_raise(chat_id)
            if not chat.is_forum:
                raise ValueError(f"chat {chat_id} is not a forum")
            msg = self._store_user_message(chat, None, "")
            chat.topics.add(msg.message_id)
            return msg.message_id

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a forum topic: sends to it fail with "message thread not found" from now on."""
        with self._cond:
            self._chat_or_raise(chat_id).topics.discard(thread_id)

    def user_sends(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        language_code: str | None = "en",
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        """Queue an Update carrying a user's text message (command and URL entities detected).

        `thread_id` posts it inside that topic of a forum supergroup.

        A private chat (``chat_id == user_id``) is registered on the fly; groups must be registered.
        Returns the Update as JSON (``["message"]["message_id"]`` is the new message's id).
        """
        with self._cond:
            if chat_id not in self._chats and chat_id == user_id and user_id > 0:
                self._chats[chat_id] = _Chat(chat_id, "private")
            chat = self._chat_or_raise(chat_id)
            user = self._ensure_user(user_id, language_code, None)
            if chat.type == "private":
                chat.first_name = chat.first_name or user.first_name
            msg = self._store_user_message(chat, user_id, text)
            msg.entities = _detect_entities(text, [], commands=True)
            msg.reply_to = reply_to if reply_to in chat.messages else None
            if thread_id is not None:
                if thread_id not in chat.topics:
                    raise KeyError(f"no topic {thread_id} in chat {chat_id}")
                msg.thread_id = thread_id
            key = "channel_post" if chat.type == "channel" else "message"
            update = self._queue_update({key: self._message_json(chat, msg)})
            self._changed()
            return update

    def user_presses(self, chat_id: int, user_id: int, message_id: int, data: str) -> JSON:
        """Queue an Update for a press on an inline button of one of the bot's messages."""
        with self._cond:
            chat = self._chat_or_raise(chat_id)
            msg = chat.messages.get(message_id)
            if msg is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            user = self._ensure_user(user_id, None, None)
            query_id = str(next(self._callback_ids) * 7919 + 10**15)
            self._open_callbacks[query_id] = (chat_id, message_id)
            update = self._queue_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": self._user_json(user),
                        "message": self._message_json(chat, msg),
                        "chat_instance": str(-abs(chat_id) * 31 - 7),
                        "data": data,
                    }
                }
            )
            self._changed()
            return update

    @contextlib.contextmanager
    def held_updates(self) -> Iterator[None]:
        """Queue updates without delivering them; on exit they all go out in one getUpdates batch."""
        with self._cond:
            self._held = True
        try:
            yield
        finally:
            with self._cond:
                self._held = False
                self._changed()

    def queue_update(self, update: JSON) -> JSON:
        """Queue any Update JSON as is (``update_id`` is assigned) for cases the helpers miss."""
        with self._cond:
            queued = self._queue_update(dict(update))
            self._changed()
            return queued

    # ---------------------------------------------------------------- test-side: faults and switches

    def fail_next(self, method: str | None, chat_id: int | str | None = None, *, kind: Fault, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` (None = any) for ``chat_id`` (None = any) with ``kind``.

        Faults are consumed first-in first-out; a fault fires before any validation, so the call has
        no effect on the state unless ``kind`` is ``SLOW`` or ``DROP_RESPONSE``.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._cond:
            self._faults.append(_PendingFault(method.lower() if method else None, chat_id, kind, times))

    def clear_faults(self) -> None:
        """Forget faults that have not fired."""
        with self._cond:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many injected failures have not fired yet."""
        with self._cond:
            return sum(f.times for f in self._faults)

    # ---------------------------------------------------------------- test-side: inspection

    def sent(self, chat_id: int | None = None) -> list[BotMessage]:
        """Messages the bot sent successfully, oldest first, optionally for one chat."""
        with self._cond:
            return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def files(self, chat_id: int | None = None) -> list[SentFile]:
        """Photos and documents the bot uploaded (to one chat, or all), oldest first."""
        with self._cond:
            return [f for f in self._files if chat_id is None or f.chat_id == chat_id]

    def edits(self, chat_id: int | None = None) -> list[BotMessage]:
        """Successful ``editMessageText``/``editMessageReplyMarkup`` calls, oldest first."""
        with self._cond:
            return [m for m in self._edits if chat_id is None or m.chat_id == chat_id]

    def deleted(self, chat_id: int | None = None) -> list[tuple[int, int]]:
        """(chat_id, message_id) of messages the bot deleted."""
        with self._cond:
            return [d for d in self._deleted if chat_id is None or d[0] == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """The message as the chat shows it now (after edits), or None if unknown or deleted."""
        with self._cond:
            chat = self._chats.get(chat_id)
            msg = chat.messages.get(message_id) if chat else None
            return self._message_json(chat, msg) if chat and msg else None

    def callback_answers(self) -> list[CallbackAnswer]:
        """``answerCallbackQuery`` calls the bot made."""
        with self._cond:
            return list(self._answers)

    def calls(self, method: str | None = None) -> list[CallRecord]:
        """Every request (any outcome), optionally of one method (case-insensitive)."""
        with self._cond:
            key = method.lower() if method else None
            return [c for c in self._calls if key is None or c.method.lower() == key]

    @property
    def commands(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Command lists by (scope key, language_code); scope keys: see ``scope_key``."""
        with self._cond:
            return {k: list(v) for k, v in self._commands.items()}

    def commands_for(self, language_code: str = "", scope: JSON | None = None) -> list[tuple[str, str]]:
        """(command, description) pairs set for exactly this scope and language."""
        with self._cond:
            return list(self._commands.get((scope_key(scope), language_code), []))

    @property
    def polling(self) -> bool:
        """True while a getUpdates call is being answered (a long poll waiting, typically)."""
        with self._cond:
            return self._polls_waiting > 0

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates calls are being answered right now (several only with conflicts off)."""
        with self._cond:
            return self._polls_waiting

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by the bot (via a later ``offset``)."""
        with self._cond:
            return len(self._updates)

    @property
    def count_429(self) -> int:
        """429 answers sent, from the rate limiter and from injected faults."""
        with self._cond:
            return self._count_429

    @property
    def total_sends(self) -> int:
        """Messages accepted (``sendMessage`` answered ok)."""
        with self._cond:
            return self._total_sends

    def stats(self) -> dict[str, int]:
        """Request counts by ``method:status`` plus totals, for benchmark reports."""
        with self._cond:
            counter = collections.Counter(f"{c.method}:{c.status}" for c in self._calls)
            counter["requests"] = len(self._calls)
            counter["sends"] = self._total_sends
            counter["429s"] = self._count_429
            counter["peak_connections"] = self.peak_connections
            return dict(counter)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """Block until ``predicate()`` is truthy (re-checked on every state change); return its value.

        Use from a thread that does not run the bot's event loop; inside ``asyncio`` use
        ``await standin.async_wait_for(...)``.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                version = self._version
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout}s; last {len(self._calls)} calls")
            with self._cond:
                if self._version == version:
                    self._cond.wait(min(remaining, 0.5))

    async def async_wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """``wait_for`` without blocking the event loop the bot runs on."""
        import asyncio

        return await asyncio.to_thread(self.wait_for, predicate, timeout)

    # ---------------------------------------------------------------- request processing

    def _changed(self) -> None:
        self._version += 1
        self._cond.notify_all()

    def _connection_opened(self, sock: socket.socket) -> None:
        with self._cond:
            self._sockets.add(sock)
            self._open_connections += 1
            self.connections_accepted += 1
            self.peak_connections = max(self.peak_connections, self._open_connections)

    def _connection_closed(self, sock: socket.socket) -> None:
        with self._cond:
            self._sockets.discard(sock)
            self._open_connections -= 1
            self._cond.notify_all()

    def _process(self, http_method: str, path: str, headers: Any, body: bytes, handler: _Handler) -> _Outcome:
        """Route one HTTP request to a Bot API method and build the Telegram envelope."""
        url = urlsplit(path)
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z0-9_]+)/?", url.path)
        if not match or not TOKEN_RE.match(match.group(1)):
            return self._envelope_error(404, "Not Found")
        if match.group(1) != self.token:
            return self._envelope_error(401, "Unauthorized")
        try:
            params = _parse_params(url.query, headers.get("Content-Type", ""), body)
        except ValueError as exc:
            return self._envelope_error(400, f"Bad Request: {exc}")
        entry = self._methods.get(match.group(2).lower())
        if entry is None:
            self._record(match.group(2), params, 404, "Not Found")
            return self._envelope_error(404, "Not Found")
        name, method = entry
        fault = self._take_fault(name, params)
        if fault is not None and fault.action == "slow":
            time.sleep(fault.delay)
        elif fault is not None and fault.action == "drop":
            self._record(name, params, 0, "dropped")
            return _Outcome(0, b"", drop=True)
        elif fault is not None and fault.action == "respond":
            return self._fault_outcome(name, params, fault)
        try:
            if name == "getUpdates":
                result = method(params, handler)
            else:
                with self._cond:
                    result = method(params, handler)
        except ApiError as exc:
            self._record(name, params, exc.code, exc.description)
            return self._envelope_error(exc.code, exc.description, exc.parameters)
        except _ClientGone:
            self._record(name, params, 0, "client went away")
            return _Outcome(0, b"", drop=True)
        except Exception as exc:  # a stand-in bug must be loud but must not kill the server
            import traceback

            with self._cond:
                self.internal_errors.append(traceback.format_exc())
            self._record(name, params, 500, repr(exc))
            return self._envelope_error(500, f"Internal Server Error: stand-in bug: {exc!r}")
        self._record(name, params, 200, None)
        body_out = json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()
        return _Outcome(200, body_out, drop=fault is not None and fault.action == "drop_after")

    def _record(self, method: str, params: JSON, status: int, description: str | None) -> None:
        with self._cond:
            if status == 429:
                self._count_429 += 1
            self._calls.append(CallRecord(method, params, status, description, time.monotonic()))
            self._changed()

    def _envelope_error(self, code: int, description: str, parameters: JSON | None = None) -> _Outcome:
        body: JSON = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return _Outcome(code, json.dumps(body, ensure_ascii=False).encode())

    def _fault_outcome(self, name: str, params: JSON, fault: Fault) -> _Outcome:
        self._record(name, params, fault.status, fault.description)
        if fault.html_body:
            phrase = HTTPStatus(fault.status).phrase
            page = f"<html><head><title>{fault.status} {phrase}</title></head><body>{phrase}</body></html>"
            return _Outcome(fault.status, page.encode(), content_type="text/html")
        return self._envelope_error(fault.status, fault.description, fault.parameters)

    def _take_fault(self, name: str, params: JSON) -> Fault | None:
        with self._cond:
            for pending in self._faults:
                if pending.method not in (None, name.lower()):
                    continue
                if pending.chat_id is not None and not _same_chat(pending.chat_id, params.get("chat_id")):
                    continue
                pending.times -= 1
                if pending.times == 0:
                    self._faults.remove(pending)
                return pending.fault
        return None

    # ---------------------------------------------------------------- state helpers (lock held)

    def _ensure_user(self, user_id: int, language_code: str | None, first_name: str | None) -> _User:
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User(user_id, first_name or f"User{user_id}")
        if first_name:
            user.first_name = first_name
        if language_code:
            user.language_code = language_code
        return user

    def _chat_or_raise(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"chat {chat_id} is not registered; call register_chat first")
        return chat

    def _store_user_message(self, chat: _Chat, user_id: int | None, text: str) -> _Msg:
        msg = _Msg(chat.next_message_id, False, user_id, int(time.time()), text, [])
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        return msg

    def _queue_update(self, update: JSON) -> JSON:
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        self._updates.append(update)
        return update

    def _bot_json(self) -> JSON:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _user_json(self, user: _User) -> JSON:
        data: JSON = {"id": user.id, "is_bot": False, "first_name": user.first_name}
        if user.username:
            data["username"] = user.username
        if user.language_code:
            data["language_code"] = user.language_code
        return data

    def _chat_json(self, chat: _Chat) -> JSON:
        data: JSON = {"id": chat.id, "type": chat.type}
        if chat.is_forum:
            data["is_forum"] = True
        if chat.type == "private":
            data["first_name"] = chat.first_name or f"User{chat.id}"
        else:
            data["title"] = chat.title
        if chat.username:
            data["username"] = chat.username
        return data

    def _message_json(self, chat: _Chat, msg: _Msg, *, nested: bool = False) -> JSON:
        data: JSON = {"message_id": msg.message_id, "date": msg.date, "chat": self._chat_json(chat)}
        if msg.from_bot:
            if chat.type == "channel":
                data["sender_chat"] = self._chat_json(chat)
            else:
                data["from"] = self._bot_json()
        elif msg.user_id is not None:
            user = self._users.get(msg.user_id)
            if user is not None:
                data["from"] = self._user_json(user)
        if msg.media is not None:
            data.update(msg.media)
            if msg.text:
                data["caption"] = msg.text
            if msg.entities:
                data["caption_entities"] = msg.entities
        else:
            data["text"] = msg.text
        if msg.entities and msg.media is None:
            data["entities"] = msg.entities
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if msg.thread_id is not None:
            data["message_thread_id"] = msg.thread_id
            data["is_topic_message"] = True
        if msg.link_preview_options:
            data["link_preview_options"] = msg.link_preview_options
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            data["reply_markup"] = msg.reply_markup
        if not nested and msg.reply_to is not None and msg.reply_to in chat.messages:
            data["reply_to_message"] = self._message_json(chat, chat.messages[msg.reply_to], nested=True)
        return data

    def _resolve_chat(self, params: JSON, *, for_sending: bool) -> _Chat:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat: _Chat | None = None
        if isinstance(raw, str) and raw.startswith("@"):
            wanted = raw[1:].lower()
            chat = next((c for c in self._chats.values() if (c.username or "").lower() == wanted), None)
        else:
            try:
                chat = self._chats.get(int(raw))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(400, MIGRATE(chat.migrated_to).description, {"migrate_to_chat_id": chat.migrated_to})
        if for_sending and chat.forbidden:
            raise ApiError(403, chat.forbidden)
        return chat

    def _check_rate(self, chat: _Chat) -> float:
        """Seconds to wait before this chat may get another message (0 = allowed now)."""
        now = self.clock()
        limits = self.rate_limits
        window = self._global_window
        while window and window[0] <= now - 1.0:
            window.popleft()
        wait = window[0] + 1.0 - now if len(window) >= limits.global_per_second else 0.0
        span, cap = (1.0, limits.private_per_second) if chat.type == "private" else (60.0, limits.group_per_minute)
        mine = chat.window
        while mine and mine[0] <= now - span:
            mine.popleft()
        if len(mine) >= cap:
            wait = max(wait, mine[0] + span - now)
        return wait

    def _note_sent(self, chat: _Chat) -> None:
        now = self.clock()
        self._global_window.append(now)
        chat.window.append(now)

    def _formatted(self, params: JSON) -> tuple[str, list[JSON], str | None]:
        text = params.get("text")
        if text is None or not isinstance(text, str):
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode") or None
        explicit = _json_param(params, "entities", "can't parse entities JSON object")
        if parse_mode is not None and str(parse_mode).lower() == "html":
            try:
                visible, entities = parse_html(text, strict=self.strict_html)
            except HtmlParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        elif parse_mode is None or str(parse_mode).lower() in ("markdown", "markdownv2"):
            visible, entities = text, list(explicit) if isinstance(explicit, list) else []
        else:
            raise ApiError(400, f'Bad Request: unsupported parse_mode "{parse_mode}"')
        visible, entities = _strip_text(visible, entities)
        if not visible:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > MAX_TEXT_UTF16:
            raise ApiError(400, "Bad Request: message is too long")
        return visible, _detect_entities(visible, entities, commands=False), parse_mode

    def _reply_markup(self, params: JSON) -> JSON | None:
        markup = _json_param(params, "reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return markup

    @staticmethod
    def _preview(params: JSON) -> tuple[JSON | None, bool]:
        options = _json_param(params, "link_preview_options", "can't parse link preview options JSON object")
        if options is not None and not isinstance(options, dict):
            raise ApiError(400, "Bad Request: can't parse link preview options JSON object")
        disabled = bool(options and options.get("is_disabled")) or _bool(params.get("disable_web_page_preview"))
        if options is None and disabled:
            options = {"is_disabled": True}
        return options, disabled

    # ---------------------------------------------------------------- Bot API methods

    def _m_true(self, params: JSON, handler: _Handler) -> bool:
        return True

    def _m_get_me(self, params: JSON, handler: _Handler) -> JSON:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_get_updates(self, params: JSON, handler: _Handler) -> list[JSON]:
        """Long polling: answer at once if updates wait, else when one arrives or ``timeout`` ends.

        Updates stay queued until a later call's ``offset`` confirms them, so a poll whose answer is
        lost (client killed) loses nothing. A newer poll ends an older waiting one with 409, as on
        Telegram (switch ``conflict_on_concurrent_polls``).
        """
        offset = _int(params, "offset", 0)
        limit = max(1, min(100, _int(params, "limit", 100)))
        timeout = max(0, _int(params, "timeout", 0))
        allowed = _json_param(params, "allowed_updates", "can't parse allowed_updates JSON object")
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise ApiError(409, CONFLICT_WEBHOOK)
            if isinstance(allowed, list):
                self._allowed_updates = [str(a) for a in allowed] or None
            ticket = _PollTicket()
            if self._active_poll is not None and self.conflict_on_concurrent_polls:
                self._active_poll.terminated = True
                self._cond.notify_all()
            self._active_poll = ticket
            self._polls_waiting += 1
            self._changed()
            try:
                self._confirm(offset)
                while True:
                    if ticket.terminated:
                        raise ApiError(409, CONFLICT_POLL)
                    batch = self._deliverable(offset, limit)
                    remaining = deadline - time.monotonic()
                    if batch or remaining <= 0 or self._stopping:
                        return batch
                    self._cond.wait(min(remaining, 0.2))
                    if handler.client_gone():
                        raise _ClientGone
            finally:
                self._polls_waiting -= 1
                if self._active_poll is ticket:
                    self._active_poll = None

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        elif offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()

    def _deliverable(self, offset: int, limit: int) -> list[JSON]:
        if self._held:
            return []
        allowed = self._allowed_updates
        if allowed is not None:
            self._updates = collections.deque(
                u for u in self._updates if any(k in allowed for k in u if k != "update_id")
            )
        return [u for u in self._updates if u["update_id"] >= offset][:limit]

    def _m_set_webhook(self, params: JSON, handler: _Handler) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook_url = url
        return True

    def _m_delete_webhook(self, params: JSON, handler: _Handler) -> bool:
        self._webhook_url = ""
        if _bool(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    def _m_get_webhook_info(self, params: JSON, handler: _Handler) -> JSON:
        return {"url": self._webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        scope = _json_param(params, "scope", "can't parse BotCommandScope JSON object")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        if scope is not None and not isinstance(scope, dict):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        try:
            return scope_key(scope), language
        except (KeyError, ValueError) as exc:
            raise ApiError(400, f"Bad Request: invalid BotCommandScope: {exc}") from None

    def _m_set_my_commands(self, params: JSON, handler: _Handler) -> bool:
        commands = _json_param(params, "commands", "can't parse commands JSON object")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        pairs: list[tuple[str, str]] = []
        for item in commands:
            command = str(item.get("command", "")) if isinstance(item, dict) else ""
            description = str(item.get("description", "")) if isinstance(item, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            pairs.append((command, description))
        self._commands[self._commands_key(params)] = pairs
        return True

    def _m_get_my_commands(self, params: JSON, handler: _Handler) -> list[JSON]:
        pairs = self._commands.get(self._commands_key(params), [])
        return [{"command": c, "description": d} for c, d in pairs]

    def _m_delete_my_commands(self, params: JSON, handler: _Handler) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _profile_setter(self, what: str) -> Callable[[JSON, _Handler], bool]:
        def setter(params: JSON, handler: _Handler) -> bool:
            self._profile[(what, str(params.get("language_code") or ""))] = str(params.get(what) or "")
            return True

        return setter

    def _profile_getter(self, what: str) -> Callable[[JSON, _Handler], JSON]:
        def getter(params: JSON, handler: _Handler) -> JSON:
            return {what: self._profile.get((what, str(params.get("language_code") or "")), "")}

        return getter

    def _m_send_message(self, params: JSON, handler: _Handler) -> JSON:
        chat = self._resolve_chat(params, for_sending=True)
        if self.enforce_rate_limits:
            wait = self._check_rate(chat)
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
        text, entities, parse_mode = self._formatted(params)
        markup = self._reply_markup(params)
        options, preview_off = self._preview(params)
        reply_params = _json_param(params, "reply_parameters", "can't parse reply parameters JSON object")
        reply_to: int | None = None
        allow_missing = _bool(params.get("allow_sending_without_reply"))
        if isinstance(reply_params, dict):
            reply_to = _int(reply_params, "message_id", 0) or None
            allow_missing = allow_missing or _bool(reply_params.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") not in (None, ""):
            reply_to = _int(params, "reply_to_message_id", 0) or None
        if reply_to is not None and reply_to not in chat.messages:
            if not allow_missing:
                raise ApiError(400, "Bad Request: message to be replied not found")
            reply_to = None
        thread_id = _int(params, "message_thread_id", 0) or None
        if thread_id is not None and chat.is_forum and thread_id not in chat.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        if thread_id is None and reply_to is not None and chat.is_forum:
            thread_id = chat.messages[reply_to].thread_id  # a reply goes to its message's topic
        msg = _Msg(chat.next_message_id, True, None, int(time.time()), text, entities, markup, reply_to, None, options)
        msg.thread_id = thread_id if chat.is_forum else None
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        if self.enforce_rate_limits:
            self._note_sent(chat)
        self._total_sends += 1
        self._sent.append(
            BotMessage(
                "sendMessage",
                chat.id,
                msg.message_id,
                text,
                str(params["text"]),
                parse_mode,
                entities,
                reply_to,
                preview_off,
                options,
                markup,
                _bool(params.get("disable_notification")),
                msg.date,
                msg.thread_id,
            )
        )
        return self._message_json(chat, msg)

    def _m_send_photo(self, params: JSON, handler: _Handler) -> JSON:
        return self._send_file("sendPhoto", "photo", params)

    def _m_send_document(self, params: JSON, handler: _Handler) -> JSON:
        return self._send_file("sendDocument", "document", params)

    def _send_file(self, method: str, field_name: str, params: JSON) -> JSON:
        """An uploaded photo or document, checked as Telegram checks it (size, and for photos a real image)."""
        chat = self._resolve_chat(params, for_sending=True)
        upload = params.get(field_name)
        if not isinstance(upload, dict):
            raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
        content: bytes = upload["content"]
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        width = height = None
        if field_name == "photo":
            if len(content) > MAX_PHOTO_BYTES:
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
            size = _image_size(content)
            if size is None:
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            width, height = size
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        elif len(content) > MAX_DOCUMENT_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        caption, entities, parse_mode = "", [], params.get("parse_mode") or None
        if params.get("caption"):
            caption, entities, parse_mode = self._formatted({**params, "text": params["caption"]})
            if utf16_len(caption) > MAX_CAPTION_UTF16:
                raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"file-{len(self._files) + 1}"
        if field_name == "photo":
            media: JSON = {"photo": [{"file_id": file_id, "file_unique_id": file_id, "width": width, "height": height,
                                      "file_size": len(content)}]}
        else:
            media = {"document": {"file_id": file_id, "file_unique_id": file_id, "file_name": upload["filename"],
                                  "file_size": len(content)}}
        reply_params = _json_param(params, "reply_parameters", "can't parse reply parameters JSON object")
        reply_to = _int(reply_params, "message_id", 0) or None if isinstance(reply_params, dict) else None
        if reply_to is not None and reply_to not in chat.messages:
            reply_to = None
        msg = _Msg(chat.next_message_id, True, None, int(time.time()), caption, entities, None, reply_to, None, None,
                   media)
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        self._total_sends += 1
        raw = str(params.get("caption") or "")
        self._sent.append(
            BotMessage(method, chat.id, msg.message_id, caption, raw, parse_mode, entities, reply_to, False, None,
                       None, _bool(params.get("disable_notification")), msg.date)
        )
        self._files.append(
            SentFile(method, chat.id, msg.message_id, upload["filename"], content, caption, width, height)
        )
        return self._message_json(chat, msg)

    def _m_send_chat_action(self, params: JSON, handler: _Handler) -> bool:
        self._resolve_chat(params, for_sending=True)
        if not params.get("action"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _editable(self, params: JSON) -> tuple[_Chat, _Msg] | None:
        if params.get("inline_message_id"):
            return None
        chat = self._resolve_chat(params, for_sending=True)
        msg = chat.messages.get(_int(params, "message_id", 0))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, msg

    def _m_edit_message_text(self, params: JSON, handler: _Handler) -> JSON | bool:
        target = self._editable(params)
        text, entities, parse_mode = self._formatted(params)
        markup = self._reply_markup(params)
        options, preview_off = self._preview(params)
        chat_id, message_id = 0, 0
        if target is not None:
            chat, msg = target
            if msg.text == text and msg.entities == entities and msg.reply_markup == markup:
                raise ApiError(400, NOT_MODIFIED)
            msg.text, msg.entities, msg.reply_markup = text, entities, markup
            msg.link_preview_options, msg.edit_date = options, int(time.time())
            chat_id, message_id = chat.id, msg.message_id
        self._edits.append(
            BotMessage(
                "editMessageText",
                chat_id,
                message_id,
                text,
                str(params["text"]),
                parse_mode,
                entities,
                None,
                preview_off,
                options,
                markup,
                False,
                int(time.time()),
            )
        )
        return self._message_json(*target) if target is not None else True

    def _m_edit_message_reply_markup(self, params: JSON, handler: _Handler) -> JSON | bool:
        target = self._editable(params)
        markup = self._reply_markup(params)
        if target is None:
            return True
        chat, msg = target
        if msg.reply_markup == markup:
            raise ApiError(400, NOT_MODIFIED)
        msg.reply_markup, msg.edit_date = markup, int(time.time())
        self._edits.append(
            BotMessage(
                "editMessageReplyMarkup",
                chat.id,
                msg.message_id,
                msg.text,
                msg.text,
                None,
                msg.entities,
                None,
                False,
                msg.link_preview_options,
                markup,
                False,
                int(time.time()),
            )
        )
        return self._message_json(chat, msg)

    def _m_delete_message(self, params: JSON, handler: _Handler) -> bool:
        chat = self._resolve_chat(params, for_sending=True)
        message_id = _int(params, "message_id", 0)
        if chat.messages.pop(message_id, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._deleted.append((chat.id, message_id))
        return True

    def _m_answer_callback_query(self, params: JSON, handler: _Handler) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if self._open_callbacks.pop(query_id, None) is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        url = params.get("url")
        self._answers.append(
            CallbackAnswer(
                query_id,
                str(text) if text is not None else None,
                _bool(params.get("show_alert")),
                str(url) if url is not None else None,
            )
        )
        return True

    def _m_get_chat(self, params: JSON, handler: _Handler) -> JSON:
        chat = self._resolve_chat(params, for_sending=False)
        data = self._chat_json(chat)
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return data

    def _member_json(self, chat: _Chat, user_id: int) -> JSON:
        if user_id == self.bot_id:
            user_json = self._bot_json()
        elif user_id in self._users:
            user_json = self._user_json(self._users[user_id])
        else:
            raise ApiError(400, "Bad Request: user not found")
        is_admin = user_id in chat.admins or (user_id == self.bot_id and chat.type == "channel")
        if chat.admins and chat.admins[0] == user_id:
            return {"status": "creator", "user": user_json, "is_anonymous": False}
        if is_admin:
            member: JSON = {"status": "administrator", "user": user_json, "is_anonymous": False}
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
            member["can_be_edited"] = False
            return member
        return {"status": "member", "user": user_json}

    def _m_get_chat_member(self, params: JSON, handler: _Handler) -> JSON:
        chat = self._resolve_chat(params, for_sending=False)
        return self._member_json(chat, _int(params, "user_id", 0))

    def _m_get_chat_administrators(self, params: JSON, handler: _Handler) -> list[JSON]:
        chat = self._resolve_chat(params, for_sending=False)
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = list(chat.admins)
        if chat.type == "channel" and self.bot_id not in admins:
            admins.append(self.bot_id)
        return [self._member_json(chat, user_id) for user_id in admins]

    def _m_leave_chat(self, params: JSON, handler: _Handler) -> bool:
        chat = self._resolve_chat(params, for_sending=True)
        if chat.type == "private":
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        chat.forbidden = "Forbidden: bot is not a member of the " + (
            "channel chat" if chat.type == "channel" else f"{chat.type} chat"
        )
        return True


_ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_post_messages",
    "can_edit_messages",
    "can_pin_messages",
)

# --------------------------------------------------------------------------------------------------
# Parameter decoding
# --------------------------------------------------------------------------------------------------


def scope_key(scope: JSON | None) -> str:
    """Canonical key of a BotCommandScope, e.g. ``default``, ``chat:-100123``, ``all_private_chats``."""
    if not scope:
        return "default"
    kind = str(scope["type"])
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return kind
    if kind in ("chat", "chat_administrators"):
        return f"{kind}:{scope['chat_id']}"
    if kind == "chat_member":
        return f"{kind}:{scope['chat_id']}:{scope['user_id']}"
    raise ValueError(f"unknown scope type {kind!r}")


def _same_chat(wanted: int | str, given: Any) -> bool:
    if given is None:
        return False
    if isinstance(wanted, str):
        return str(given).lower() == wanted.lower()
    try:
        return int(given) == wanted
    except (TypeError, ValueError):
        return False


def _int(params: JSON, name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f'Bad Request: field "{name}" must be a valid Number') from None


MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_CAPTION_UTF16 = 1024


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG, or None when it is neither (Telegram refuses those as photos)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
            i += 2 + length
    return None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def _json_param(params: JSON, name: str, error: str) -> Any:
    """PTB sends nested objects as JSON strings in form fields; JSON bodies carry them natively."""
    value = params.get(name)
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise ApiError(400, f"Bad Request: {error}") from None


def _parse_params(query: str, content_type: str, body: bytes) -> JSON:
    """Decode query string plus a urlencoded, multipart or JSON body, as the Bot API accepts them."""
    params: JSON = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params
    if kind == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        params.update(decoded)
    elif kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            params[name] = {"filename": filename, "content": data} if filename else data.decode("utf-8")
    else:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params


# --------------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """One thread per connection (keep-alive: a connection serves many requests)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    standin: BotApiStandin


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with Content-Length so httpx (PTB) keeps connections alive and reuses them."""

    protocol_version = "HTTP/1.1"
    server_version = "telegram-standin/1"
    disable_nagle_algorithm = True
    timeout = 300
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.standin._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.standin._connection_closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging: the stand-in keeps ``calls()`` instead."""

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def client_gone(self) -> bool:
        """True when the client closed its end (checked while a long poll waits)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            return bool(self.connection.recv(1, socket.MSG_PEEK) == b"")
        except (OSError, ValueError):
            return True

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        outcome = self.server.standin._process(self.command, self.path, self.headers, body, self)
        if outcome.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        phrase = HTTPStatus(outcome.status).phrase
        head = (
            f"HTTP/1.1 {outcome.status} {phrase}\r\n"
            f"Server: {self.server_version}\r\n"
            f"Content-Type: {outcome.content_type}\r\n"
            f"Content-Length: {len(outcome.body)}\r\n"
            f"Connection: {'close' if self.close_connection else 'keep-alive'}\r\n\r\n"
        )
        try:
            self.wfile.write(head.encode("latin-1") + outcome.body)
        except OSError:
            self.close_connection = True


# --------------------------------------------------------------------------------------------------
# Stand-alone use: python -m tests.support.telegram_standin
# --------------------------------------------------------------------------------------------------


def _main(argv: list[str] | None = None) -> None:
    """Serve until interrupted, for poking a bot by hand or benchmarking outside pytest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--rate-limits", action="store_true", help="enforce Telegram's limits")
    parser.add_argument("--private-chats", type=int, default=0, help="register chats 1..N")
    args = parser.parse_args(argv)
    standin = BotApiStandin(args.token, port=args.port, enforce_rate_limits=args.rate_limits)
    standin.register_chats(range(1, args.private_chats + 1))
    with standin:
        print(f"base_url={standin.base_url} token={standin.token}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    _main()
