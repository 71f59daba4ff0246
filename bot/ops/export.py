"""Stored incidents out as CSV, GeoJSON or JSON, streamed batch by batch so memory stays bounded.

One query shape serves the shell (`rasad export`), Telegram (`/export`) and HTTP (`/incidents.csv`,
`/incidents.geojson`): `ExportQuery` says which incidents, `Batches` reads them in id order with keyset
pagination (each batch its own short session, so no transaction or connection is held between batches
and any thread may read the next one), and an `Encoder` turns batches into text pieces.

Choices, so readers of the files know what they get:
- CSV is UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page and the
  Arabic names come out garbled), CRLF line ends and RFC 4180 quoting; several source links share one
  cell, separated by spaces (URLs never contain a bare space). A text cell that a spreadsheet would run
  as a formula (starting with = + - @) gets a leading apostrophe; numbers are left as they are.
- GeoJSON follows RFC 7946: one Point feature per incident, [longitude, latitude]; incidents without
  coordinates are left out and counted in the foreign member "rasad".
- `status` is the incident's place on the status ladder (claimed, reported, corroborated, confirmed, disputed).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final, Protocol

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from bot.alerts.render import Format, Lang, alert_view, render_alert
from bot.alerts.views import place_of
from bot.incidents import store
from bot.incidents.subscriptions import Filters, wants
from bot.models import Article, IncidentReport, IncidentRow

BATCH: Final = 1000
"""Incidents per batch: big enough that round trips do not dominate, small enough to bound memory."""
FORMATS: Final = ("csv", "geojson", "json")


@dataclass(frozen=True, slots=True)
class ExportQuery:
    """Which incidents to export: dates (on the incident's reference date, both ends included), country, status.

    `chat` applies a subscription's filters on top (Telegram's /export exports what the chat receives).
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    status: str | None = None
    chat: Filters | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """One article that reported an incident (feed text: untrusted)."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Record:
    """One incident with its sources, read and detached from the session."""

    incident: IncidentRow
    sources: tuple[Source, ...] = field(default=())

    @property
    def status(self) -> str | None:
        """The incident's status on the ladder (bot.incidents.status)."""
        return str(self.incident.status) if self.incident.status else None


def _where(query: ExportQuery) -> list[Any]:
    clauses: list[Any] = []
    if query.since is not None:
        clauses.append(col(IncidentRow.ref_date) >= query.since)
    if query.until is not None:
        clauses.append(col(IncidentRow.ref_date) <= query.until)
    if query.country:
        clauses.append(col(IncidentRow.country) == query.country.strip().lower())
    if query.status:
        clauses.append(col(IncidentRow.status) == query.status)
    return clauses


def fetch_batch(session: Session, query: ExportQuery, after_id: int, limit: int = BATCH) -> tuple[list[Record], int]:
    """Up to `limit` matching incidents with id > after_id, in id order; also the last id read (for the next)."""
    matching = select(IncidentRow).where(col(IncidentRow.id) > after_id, *_where(query))
    stmt = matching.order_by(col(IncidentRow.id)).limit(limit)
    rows = list(session.exec(stmt).all())
    if not rows:
        return [], after_id
    last = rows[-1].id or after_id
    if query.chat is not None:
        chat = query.chat
        rows = [
            r for r in rows
            if wants(chat, country=r.country, target_kind=r.target_kind, base_id=r.base_id, province=r.province_en,
                     weapon=r.weapon, killed=r.killed, wounded=r.wounded)
        ]
    ids = [r.id for r in rows if r.id is not None]
    links: dict[int, list[Source]] = {i: [] for i in ids}
    if ids:
        src = (
            select(IncidentReport.incident_id, Article.source, Article.title, Article.url)
            .join(Article, col(Article.id) == col(IncidentReport.article_id))
            .where(col(IncidentReport.incident_id).in_(ids))
            .order_by(col(IncidentReport.id))
        )
        for incident_id, outlet, title, url in session.exec(src).all():
            links[incident_id].append(Source(outlet or (title[:60] if title else "source"), url))
    return [Record(r, tuple(links.get(r.id or 0, ()))) for r in rows], last


class Batches:
    """Matching incidents, batch after batch: `read` on a session the caller gives (`run_db` from async code),
    or `next`, which opens and closes its own session."""

    def __init__(self, engine: Engine | Connection, query: ExportQuery, batch: int = BATCH) -> None:
        self.engine = engine
        self.query = query
        self.batch = batch
        self._after = 0
        self._done = False

    def read(self, session: Session) -> list[Record] | None:
        """The next non-empty batch, or None at the end; the position moves only when it returns (so a retried
        transaction reads the same batch again)."""
        after = self._after
        while not self._done:
            records, last = fetch_batch(session, self.query, after, self.batch)
            if last == after:
                self._after, self._done = after, True
                return None
            after = last
            if records:
                self._after = after
                return records
        return None

    def next(self) -> list[Record] | None:
        """The next non-empty batch, or None at the end."""
        with Session(self.engine) as session:
            return self.read(session)

    def __iter__(self) -> Iterator[list[Record]]:
        while (records := self.next()) is not None:
            yield records


# --- fields -------------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


COLUMNS: Final[tuple[tuple[str, Callable[[Record], object]], ...]] = (
    ("id", lambda r: r.incident.id),
    ("date", lambda r: r.incident.date.isoformat() if r.incident.date else None),
    ("base_id", lambda r: r.incident.base_id),
    ("base_en", lambda r: r.incident.place_en),
    ("base_ar", lambda r: r.incident.place_ar),
    ("lat", lambda r: r.incident.lat),
    ("lon", lambda r: r.incident.lon),
    ("country", lambda r: r.incident.country),
    ("province_en", lambda r: r.incident.province_en),
    ("province_ar", lambda r: r.incident.province_ar),
    ("target_kind", lambda r: r.incident.target_kind),
    ("weapon", lambda r: r.incident.weapon),
    ("count", lambda r: r.incident.count),
    ("killed", lambda r: r.incident.killed),
    ("wounded", lambda r: r.incident.wounded),
    ("intercepted", lambda r: r.incident.intercepted),
    ("claimed_by", lambda r: r.incident.claimed_by),
    ("status", lambda r: r.status),
    ("sources", lambda r: len(r.sources)),
    ("source_links", lambda r: [s.url for s in r.sources]),
    ("first_reported_at", lambda r: _iso(r.incident.first_seen_at)),
    ("last_updated", lambda r: _iso(r.incident.updated_at)),
)
"""Every exported field, in order; CSV headers, JSON keys and GeoJSON properties use these names."""


def record_dict(r: Record) -> dict[str, object]:
    """One incident as JSON-ready values (the order of COLUMNS)."""
    return {name: get(r) for name, get in COLUMNS}


def alert_texts(r: Record) -> dict[str, str]:
    """The alert as the renderer words it, in plain text, one per language (for map popups)."""
    inc = r.incident
    place = place_of(inc)
    # Without coordinates on the place, the alert leaves out its own map link: the reader is on the map already.
    unplaced = replace(place, lat=None, lon=None) if place is not None else None
    view = alert_view(inc.id or 0, inc.version, store.facts_of(inc), (), unplaced)
    return {lang.value: render_alert(view, lang, Format.TEXT) for lang in (Lang.AR, Lang.EN)}


def has_point(r: Record) -> bool:
    """Whether an incident can be placed on a map (both coordinates, in range)."""
    lat, lon = r.incident.lat, r.incident.lon
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


# --- encoders ---------------------------------------------------------------------------------------


class Encoder(Protocol):
    """Turns batches of records into text, piece by piece: head, then rows per batch, then tail."""

    media_type: str
    extension: str

    def head(self) -> str: ...

    def rows(self, records: Sequence[Record]) -> str: ...

    def tail(self) -> str: ...


FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection")."""


def _cell(value: object) -> object:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # feed text such as a claimant shows as text, never runs as a formula
    return "" if value is None else value


class CsvEncoder:
    """UTF-8 with BOM, CRLF, RFC 4180 quoting (the csv module's minimal quoting doubles inner quotes)."""

    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def head(self) -> str:
        return "\ufeff" + self._line([name for name, _ in COLUMNS])

    def rows(self, records: Sequence[Record]) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        for r in records:
            writer.writerow([_cell(get(r)) for _, get in COLUMNS])
        return buf.getvalue()

    def tail(self) -> str:
        return ""

    @staticmethod
    def _line(values: Sequence[object]) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(values)
        return buf.getvalue()


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class JsonEncoder:
    """A JSON array of incident objects."""

    media_type = "application/json"
    extension = "json"

    def __init__(self) -> None:
        self._first = True

    def head(self) -> str:
        return "["

    def rows(self, records: Sequence[Record]) -> str:
        parts: list[str] = []
        for r in records:
            parts.append(("\n" if self._first else ",\n") + _dumps(record_dict(r)))
            self._first = False
        return "".join(parts)

    def tail(self) -> str:
        return "\n]\n"


class GeoJsonEncoder:
    """An RFC 7946 FeatureCollection; `alerts` adds the alert text per language (what the map's popups show)."""

    media_type = "application/geo+json"
    extension = "geojson"

    def __init__(self, *, alerts: bool = False) -> None:
        self.alerts = alerts
        self.without_coordinates = 0
        self.features = 0

    def head(self) -> str:
        return '{"type":"FeatureCollection","features":['

    def rows(self, records: Sequence[Record]) -> str:
        parts: list[str] = []
        for r in records:
            if not has_point(r):
                self.without_coordinates += 1
                continue
            props = record_dict(r)
            props["source_names"] = [s.name for s in r.sources]
            if self.alerts:
                props["alert"] = alert_texts(r)
            feature = {
                "type": "Feature",
                "id": r.incident.id,
                "geometry": {"type": "Point", "coordinates": [r.incident.lon, r.incident.lat]},
                "properties": props,
            }
            parts.append(("\n" if self.features == 0 else ",\n") + _dumps(feature))
            self.features += 1
        return "".join(parts)

    def tail(self) -> str:
        note = {
            "features": self.features,
            "without_coordinates": self.without_coordinates,
            "note": f"{self.without_coordinates} incident(s) without coordinates are not in this file",
        }
        return "\n]," + '"rasad":' + _dumps(note) + "}\n"


def encoder_for(fmt: str, *, alerts: bool = False) -> CsvEncoder | JsonEncoder | GeoJsonEncoder:
    """The encoder of a format name (one of FORMATS)."""
    if fmt == "csv":
        return CsvEncoder()
    if fmt == "json":
        return JsonEncoder()
    if fmt == "geojson":
        return GeoJsonEncoder(alerts=alerts)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def chunks(engine: Engine, query: ExportQuery, encoder: Encoder, batch: int = BATCH) -> Iterator[str]:
    """The whole export as text pieces, one per batch (plus head and tail)."""
    yield encoder.head()
    for records in Batches(engine, query, batch):
        yield encoder.rows(records)
    yield encoder.tail()


def export_bytes(engine: Engine, query: ExportQuery, encoder: Encoder) -> bytes:
    """A whole (small) export in memory, e.g. a chat's last 90 days for a Telegram document."""
    return "".join(chunks(engine, query, encoder)).encode("utf-8")


def export_in(session: Session, query: ExportQuery, encoder: Encoder) -> bytes:
    """`export_bytes` read on the caller's session (`run_db(engine, partial(export_in, ...))` from async code)."""
    batches = Batches(session.get_bind(), query)
    parts = [encoder.head()]
    while (records := batches.read(session)) is not None:
        parts.append(encoder.rows(records))
    parts.append(encoder.tail())
    return "".join(parts).encode("utf-8")
