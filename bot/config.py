"""Typed settings: one table of defaults, validators, and error messages that name the key.

The file is read with tomllib and validated with pydantic. Every problem is reported at once as
`key.path: what is wrong`, never as a traceback. The bot token is never read from the file.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.bounds import problem
from bot.durations import format_duration, parse_duration

T = TypeVar("T")
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DEFAULT_CONFIG_NAME = "config.example.toml"
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
SAMPLE_FEED = SAMPLES_DIR / "sample-feed.xml"
SAMPLE_NAME = "Rasad sample"

Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]


def in_range(section: str, value: T, info: ValidationInfo) -> T:
    """A field validator's check against bot.bounds (the message names the range; the key comes from pydantic)."""
    why = problem(f"{section}.{info.field_name}", value)  # type: ignore[arg-type]
    if why is not None:
        raise ValueError(why)
    return value


class ConfigError(Exception):
    """A configuration that cannot be used; `problems` holds one line per key."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))

    def report(self) -> str:
        """Every problem on its own line, ready to print."""
        lines = [f"{self.source}: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramSettings(_Section):
    """How to reach Telegram and who may operate Rasad from a chat."""

    api_base_url: str | None = None
    admins: tuple[int, ...] = ()
    global_rate: float = 30.0
    chat_interval: Duration = timedelta(seconds=1)
    group_per_minute: int = 20
    # Kept so existing files validate; a failing send is now retried until it is older than max_age.
    max_attempts: int = 8
    # How long a queued alert is worth retrying (network errors, 5xx, 429) before it is given up.
    max_age: Duration = timedelta(hours=24)
    token: object = Field(default=None, exclude=True, repr=False)

    @field_validator("global_rate", "chat_interval", "group_per_minute", "max_attempts")
    @classmethod
    def _in_range(cls, v: float | timedelta, info: ValidationInfo) -> float | timedelta:
        return in_range("telegram", v, info)

    @field_validator("token", check_fields=False)
    @classmethod
    def _no_token_in_file(cls, v: object) -> None:
        if v is not None:
            raise ValueError(f"the bot token is read only from the {TOKEN_ENV} environment variable; remove it")
        return None

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http or https URL, e.g. http://127.0.0.1:8081/bot")
        return v


class DatabaseSettings(_Section):
    """Where incidents live: SQLite by default, PostgreSQL via psycopg 3."""

    url: str = "sqlite:///rasad.db"

    @field_validator("url")
    @classmethod
    def _known_backend(cls, v: str) -> str:
        scheme = v.split(":", 1)[0]
        if scheme in ("postgres", "postgresql"):
            return "postgresql+psycopg" + v[len(scheme) :]
        if scheme not in ("sqlite", "postgresql+psycopg"):
            raise ValueError("must start with sqlite:/// or postgresql+psycopg://")
        return v


class PollingSettings(_Section):
    """When and how feeds are fetched."""

    interval: Duration = timedelta(minutes=5)
    tick: Duration = timedelta(seconds=15)
    max_age: Duration = timedelta(days=2)
    timeout: Duration = timedelta(seconds=20)
    connect_timeout: Duration = timedelta(seconds=10)
    max_bytes: int = 5_000_000
    concurrency: int = 10
    per_host: int = 2
    parse_timeout: Duration = timedelta(seconds=10)
    max_errors: int = 10
    backoff_cap: Duration = timedelta(hours=6)
    merge_distance_km: float = 10.0

    @field_validator("*")
    @classmethod
    def _in_range(cls, v: float | timedelta, info: ValidationInfo) -> float | timedelta:
        return in_range("polling", v, info)


class FeedSettings(_Section):
    """One feed the operator wants polled."""

    name: str = Field(min_length=1, max_length=100)
    url: str
    lang: Literal["ar", "en"] = "ar"
    interval: Duration | None = None
    max_age: Duration | None = None
    enabled: bool = True
    full_text: bool = False
    role: Literal["news", "claimant"] = "news"  # claimant: an armed group's channel, its posts are claims
    backlog: bool = True
    """Whether the items a new feed already has at its first fetch may alert (those newer than max_age);
    false: none of them does, only items that appear later."""

    @field_validator("name")
    @classmethod
    def _clean_name(cls, v: str) -> str:
        v = v.strip()
        if not v or any(c in v for c in "\r\n\t"):
            raise ValueError("must be a non-empty single line")
        return v

    @field_validator("url")
    @classmethod
    def _feed_url(cls, v: str, info: ValidationInfo) -> str:
        return normalise_feed_url(v, base_dir=(info.context or {}).get("base_dir"))

    @field_validator("interval", "max_age")
    @classmethod
    def _in_range(cls, v: timedelta | None, info: ValidationInfo) -> timedelta | None:
        return None if v is None else in_range("feeds", v, info)


class ChannelSettings(_Section):
    """Telegram channels read as sources (a feed whose url is tg:NAME or https://t.me/NAME)."""

    preview_base_url: str = "https://t.me/s/"
    interval: Duration = timedelta(seconds=60)

    @field_validator("preview_base_url")
    @classmethod
    def _http_base(cls, v: str) -> str:
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http or https URL, e.g. https://t.me/s/")
        return v.strip()

    @field_validator("interval")
    @classmethod
    def _positive(cls, v: timedelta) -> timedelta:
        if v.total_seconds() <= 0:
            raise ValueError("must be longer than 0")
        return v


class HttpSettings(_Section):
    """Optional health and metrics endpoint."""

    listen: str | None = None
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    """Map tiles the /map page's browser loads ({z}/{x}/{y}, optional {s}); empty for a map without tiles."""
    tile_attribution: str = "© OpenStreetMap contributors"

    @field_validator("tile_url")
    @classmethod
    def _tile_url(cls, v: str) -> str:
        v = v.strip()
        if not v:
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc or not all(k in v for k in ("{z}", "{x}", "{y}")):
            raise ValueError("must be an http(s) URL with {z}, {x} and {y}, or empty")
        return v

    @field_validator("listen")
    @classmethod
    def _host_port(cls, v: str | None) -> str | None:
        if not v:
            return None
        if v.strip().isdigit():  # a bare port binds to loopback: the pages are for this machine unless told
            v = f"127.0.0.1:{v.strip()}"
        host, sep, port = v.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f'"{v}" is not host:port, e.g. 127.0.0.1:9108')
        return v


class AdminSettings(_Section):
    """What operators may do from a chat."""

    allow_private_addresses: bool = False
    watch_config: bool = True


class Settings(_Section):
    """All of Rasad's settings; `Settings()` is the embedded default (SQLite, no feeds).

    No feeds means nothing is polled: a config file without [[feeds]] is valid and quiet. The bundled
    sample feed is added only by `load_settings(None)`, when there is no config file at all (bot.sample).
    """

    telegram: TelegramSettings = TelegramSettings()
    database: DatabaseSettings = DatabaseSettings()
    polling: PollingSettings = PollingSettings()
    feeds: tuple[FeedSettings, ...] = ()
    http: HttpSettings = HttpSettings()
    admin: AdminSettings = AdminSettings()
    channels: ChannelSettings = ChannelSettings()

    @field_validator("feeds")
    @classmethod
    def _unique(cls, feeds: tuple[FeedSettings, ...]) -> tuple[FeedSettings, ...]:
        seen: dict[str, int] = {}
        for i, f in enumerate(feeds):
            key = f.name.casefold()
            if key in seen:
                raise ValueError(f"feeds[{i}].name: {f.name!r} is already used by feeds[{seen[key]}]")
            seen[key] = i
        return feeds

    def feed_interval(self, feed: FeedSettings) -> timedelta:
        """A feed's own interval, else the global one (a Telegram channel's default is `channels.interval`)."""
        if feed.interval is None and channel_name(feed.url) is not None:
            return self.channels.interval
        return feed.interval or self.polling.interval

    def feed_max_age(self, feed: FeedSettings | None) -> timedelta | None:
        """How old an item may be and still alert; None means no limit ("0" in the file)."""
        age = feed.max_age if feed is not None and feed.max_age is not None else self.polling.max_age
        return age if age.total_seconds() > 0 else None


SettingsSource = Callable[[], Settings]
"""How a component reads the configuration: call it when the value is needed, never keep what it returned."""


class LiveSettings:
    """The configuration in force for one run, shared by every component; a valid reload swaps it for all.

    Components hold this (or any `SettingsSource`) instead of a copy, so a reload announced as applied
    has reached whoever reads the value next: the poller, the sender's rates, health, metrics and admins.
    """

    __slots__ = ("_current",)

    def __init__(self, settings: Settings) -> None:
        self._current = settings

    def __call__(self) -> Settings:
        return self._current

    def swap(self, new: Settings) -> Settings:
        """Put `new` in force; returns the settings it replaced."""
        old, self._current = self._current, new
        return old


def live_settings(settings: Settings | LiveSettings) -> LiveSettings:
    """The shared live source: `settings` itself when it is one, else a new one holding it."""
    return settings if isinstance(settings, LiveSettings) else LiveSettings(settings)


CHANNEL_SCHEME = "tg:"
_CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
_TELEGRAM_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me"})


def channel_name(url: str) -> str | None:
    """The username of a public Telegram channel named by `tg:NAME`, `https://t.me/NAME` or
    `https://t.me/s/NAME`; None for any other URL (such feeds are read from the channel's web preview)."""
    url = url.strip()
    if url.lower().startswith(CHANNEL_SCHEME):
        name = url[len(CHANNEL_SCHEME) :].lstrip("@/")
        return name if _CHANNEL_NAME.match(name) else None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or host not in _TELEGRAM_HOSTS or parts.query:
        return None
    segments = [seg for seg in parts.path.split("/") if seg]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if len(segments) != 1 or not _CHANNEL_NAME.match(segments[0]):
        return None
    return segments[0]


def normalise_feed_url(url: str, *, base_dir: str | Path | None = None) -> str:
    """Accept http(s) URLs, file URLs and Telegram channels (kept as `tg:NAME`); relative `file:` paths
    resolve against the config's folder."""
    url = url.strip()
    name = channel_name(url)
    if name is not None:
        return CHANNEL_SCHEME + name
    if url.lower().startswith(CHANNEL_SCHEME):
        raise ValueError("a Telegram channel is tg:NAME (5-32 letters, digits or _, starting with a letter)")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.hostname:
            raise ValueError("must be an http, https or file URL (no host)")
        return url
    if parts.scheme == "file":
        path = url[len("file:") :]
        if path.startswith("//"):
            path = path[2:]
            if not path.startswith("/"):
                # file://host/... is not supported; treat "file://rel/path" as relative for convenience
                path = path if path else ""
        if not path:
            raise ValueError("must be an http, https or file URL (empty file path)")
        p = Path(path)
        if not p.is_absolute():
            p = Path(base_dir or Path.cwd()) / p
        return p.resolve().as_uri()
    raise ValueError("must be an http, https or file URL")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union")):
            continue
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def _message(err: Any) -> str:
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "is required"
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if kind == "literal_error":
        return f"{err.get('input')!r} is not allowed; {msg[0].lower()}{msg[1:]}"
    return msg


def format_errors(exc: ValidationError) -> list[str]:
    """Turn pydantic's errors into `key.path: message` lines."""
    lines = []
    for err in exc.errors():
        msg = _message(err)
        loc = _loc(tuple(err.get("loc", ())))
        if msg.startswith("feeds[") and ":" in msg:
            lines.append(msg)  # cross-feed checks already name their key
        else:
            lines.append(f"{loc}: {msg}")
    return lines


def parse_settings(data: dict[str, Any], *, source: str, base_dir: str | Path | None = None) -> Settings:
    """Validate a decoded TOML document; raises ConfigError listing every problem."""
    try:
        return Settings.model_validate(data, context={"base_dir": str(base_dir) if base_dir else None})
    except ValidationError as exc:
        raise ConfigError(source, format_errors(exc)) from None


def load_settings(path: str | Path | None) -> Settings:
    """Read and validate a config file; None (no file at all) means the embedded defaults plus the sample feed."""
    if path is None:
        return Settings(feeds=sample_feeds())
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(str(p), [f"cannot read the file: {exc.strerror or exc}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(str(p), ["the file is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), [f"not valid TOML: {exc}"]) from None
    return parse_settings(data, source=str(p), base_dir=p.resolve().parent)


def default_config_path(cwd: Path | None = None) -> Path | None:
    """`config.example.toml` in the working folder when present, else None (embedded defaults)."""
    env = os.environ.get("RASAD_CONFIG")
    if env:
        return Path(env)
    candidate = (cwd or Path.cwd()) / DEFAULT_CONFIG_NAME
    return candidate if candidate.is_file() else None


def bot_token() -> str | None:
    """The Telegram token, from the environment only."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


def sample_feeds() -> tuple[FeedSettings, ...]:
    """The first-run demo's one feed (bot.sample says how it is kept from subscribers). Its articles are dated
    years ago; max_age 0 lets the demo show them."""
    return (FeedSettings(name=SAMPLE_NAME, url=SAMPLE_FEED.as_uri(), lang="ar", max_age=timedelta(0)),)
