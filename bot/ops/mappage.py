"""The read-only pages beside /healthz: /map, /incidents.geojson, /incidents.csv and the map's static files.

The map is one HTML page with Leaflet 1.9.4 (from its npm package, `npm pack leaflet@1.9.4`; dist files and
its BSD-2-Clause LICENSE in bot/ops/static/leaflet/, served from here, never from a CDN). The browser loads
map tiles from `[http] tile_url` (OpenStreetMap by default; empty for no tiles). Only GET and HEAD exist;
feed text reaches the page as JSON and is written into it with textContent, and a Content-Security-Policy
forbids inline scripts, so a hostile title cannot run code.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy.engine import Engine

from bot.alerts import i18n
from bot.config import SettingsSource
from bot.database import run_db
from bot.ops.export import Batches, CsvEncoder, Encoder, ExportQuery, GeoJsonEncoder
from bot.ops.health import Response, Route
from extractor.types import Weapon

STATIC: Final = Path(__file__).resolve().parent / "static"
REFRESH_SECONDS: Final = 30
DEFAULT_DAYS: Final = 90
_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    "": "text/plain; charset=utf-8",
}
_COUNTRY: Final = re.compile(r"[a-z_]{1,40}")
_STATUS: Final = re.compile(r"[a-z_]{1,20}")

WEAPON_COLOURS: Final = {
    "rocket": "#e6550d",
    "missile": "#a50f15",
    "drone": "#3182bd",
    "mortar": "#756bb1",
    "ied": "#636363",
    "gunfire": "#31a354",
    "mixed": "#e7ba52",
    "unknown": "#bdbdbd",
}

PAGE_STRINGS: Final = {
    "en": {
        "title": "Rasad: attacks on US and coalition bases",
        "since": "From",
        "until": "To",
        "other_language": "عربي",
        "shown": "{n} incidents on the map",
        "missing": "{n} without coordinates",
        "sources": "Sources",
        "failed": "Could not load incidents; retrying in 30 s",
    },
    "ar": {
        "title": "رصد: الهجمات على قواعد الولايات المتحدة والتحالف",
        "since": "من",
        "until": "إلى",
        "other_language": "English",
        "shown": "{n} هجمات على الخريطة",
        "missing": "{n} بلا إحداثيات",
        "sources": "المصادر",
        "failed": "تعذّر تحميل الهجمات؛ إعادة المحاولة خلال 30 ثانية",
    },
}
"""Every string the page shows, in both languages (the page switches between them)."""

BAD_QUERY: Final = "bad query: {0} / طلب غير صالح: {0}\n"


def parse_query(query: str) -> ExportQuery | str:
    """The export filters of a query string (since, until: YYYY-MM-DD; country; status), or what is wrong."""
    values: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key in values:
            return f"{key} given twice"
        values[key] = value.strip()
    unknown = sorted(set(values) - {"since", "until", "country", "status", "lang"})
    if unknown:
        return f"unknown parameter {unknown[0]}"
    days: dict[str, date | None] = {"since": None, "until": None}
    for key in days:
        if key in values:
            try:
                days[key] = date.fromisoformat(values[key])
            except ValueError:
                return f"{key} must be YYYY-MM-DD"
    since, until = days["since"], days["until"]
    if since and until and since > until:
        return "since is after until"
    country = values.get("country", "").lower() or None
    if country and not _COUNTRY.fullmatch(country):
        return "country must be a country key such as iraq"
    status = values.get("status", "").lower() or None
    if status and not _STATUS.fullmatch(status):
        return "status must be a status key"
    return ExportQuery(since=since, until=until, country=country, status=status)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can close it or open a comment."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_config(tile_url: str, attribution: str) -> dict[str, object]:
    """What map.js needs: tiles, refresh period, the weapons' colours and names, the page's strings."""
    weapons = {
        w.value: {"colour": WEAPON_COLOURS[w.value], "en": i18n.WEAPON_NAME[w].en, "ar": i18n.WEAPON_NAME[w].ar}
        for w in Weapon
    }
    return {
        "tile_url": tile_url,
        "attribution": attribution,
        "refresh_seconds": REFRESH_SECONDS,
        "default_days": DEFAULT_DAYS,
        "weapons": weapons,
        "strings": PAGE_STRINGS,
    }


def map_html(tile_url: str, attribution: str) -> bytes:
    """The /map page with its configuration embedded as JSON."""
    template = (STATIC / "map.html").read_text(encoding="utf-8")
    return template.replace("{{CONFIG}}", _script_json(page_config(tile_url, attribution))).encode("utf-8")


def content_security_policy(tile_url: str) -> str:
    """Scripts, styles and data from this server only; images also from the tile server."""
    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        tiles = f" {parts.scheme}://{host}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        f"img-src 'self' data:{tiles}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def static_files() -> dict[str, Path]:
    """URL path → file for everything under static/ that the page loads (a fixed list: no path from a request)."""
    files: dict[str, Path] = {}
    for path in sorted(STATIC.rglob("*")):
        if path.is_file() and path.name != "map.html" and path.suffix in _TYPES:
            files["/static/" + path.relative_to(STATIC).as_posix()] = path
    return files


async def stream(engine: Engine, query: ExportQuery, encoder: Encoder) -> AsyncIterator[bytes]:
    """An export as bytes, one database batch at a time, each read through `run_db` and encoded in a worker thread."""
    yield encoder.head().encode("utf-8")
    batches = Batches(engine, query)
    while (records := await run_db(engine, batches.read)) is not None:
        yield (await asyncio.to_thread(encoder.rows, records)).encode("utf-8")
    yield encoder.tail().encode("utf-8")


def _filename(stem: str, ext: str, today: date) -> str:
    return f'attachment; filename="{stem}-{today.isoformat()}.{ext}"'


def map_routes(engine: Engine, settings: SettingsSource, clock: Callable[[], datetime]) -> dict[str, Route]:
    """The routes HealthServer adds to /healthz and /metrics."""

    def export_route(make: Callable[[], Encoder], attach: bool) -> Route:
        async def route(query: str) -> Response:
            parsed = parse_query(query)
            if isinstance(parsed, str):
                return Response(400, "text/plain; charset=utf-8", BAD_QUERY.format(parsed).encode("utf-8"))
            encoder = make()
            headers = {"Content-Disposition": _filename("rasad-incidents", encoder.extension, clock().date())}
            return Response(200, encoder.media_type, stream(engine, parsed, encoder), headers if attach else {})

        return route

    async def map_page(query: str) -> Response:
        http = settings().http
        body = map_html(http.tile_url, http.tile_attribution)
        headers = {"Content-Security-Policy": content_security_policy(http.tile_url), "Referrer-Policy": "no-referrer"}
        return Response(200, "text/html; charset=utf-8", body, headers)

    def static_route(path: Path) -> Route:
        async def route(query: str) -> Response:
            return Response(200, _TYPES[path.suffix], path.read_bytes())

        return route

    routes: dict[str, Route] = {
        "/map": map_page,
        "/incidents.geojson": export_route(lambda: GeoJsonEncoder(alerts=True), attach=False),
        "/incidents.csv": export_route(CsvEncoder, attach=True),
    }
    routes.update({url: static_route(path) for url, path in static_files().items()})
    return routes
