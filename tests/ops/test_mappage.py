"""/map, /incidents.geojson and /incidents.csv over real HTTP on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.config import DatabaseSettings, HttpSettings, Settings
from bot.database import make_engine, upgrade
from bot.ops.export import ExportQuery
from bot.ops.mappage import PAGE_STRINGS, content_security_policy, parse_query, static_files
from bot.service import Service
from tests.ops.map_server import serving
from tests.ops.test_export import HOSTILE, add
from tests.support.sample_incidents import samples, store_samples


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ExportQuery()),
        ("since=2024-01-01&until=2024-02-01", ExportQuery(since=date(2024, 1, 1), until=date(2024, 2, 1))),
        ("country=Syria&status=confirmed", ExportQuery(country="syria", status="confirmed")),
        ("since=&lang=ar", ExportQuery()),  # empty values are no filter; lang is the page's own parameter
        ("since=2024-02-30", "since must be YYYY-MM-DD"),
        ("until=yesterday", "until must be YYYY-MM-DD"),
        ("since=2024-02-02&until=2024-02-01", "since is after until"),
        ("country=<script>", "country must be a country key such as iraq"),
        ("country=iraq&country=syria", "country given twice"),
        ("format=xml", "unknown parameter format"),
    ],
)
def test_parse_query(query: str, expected: ExportQuery | str) -> None:
    assert parse_query(query) == expected


def test_tile_url_is_checked_and_the_csp_allows_only_it() -> None:
    assert HttpSettings().tile_url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert HttpSettings(listen="9108").listen == "127.0.0.1:9108"  # a bare port binds to loopback
    with pytest.raises(ValueError):
        HttpSettings(tile_url="javascript:alert(1)/{z}/{x}/{y}")
    with pytest.raises(ValueError):
        HttpSettings(tile_url="https://tiles.example.org/map.png")
    csp = content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.org;" in csp and "script-src 'self';" in csp
    assert "img-src 'self' data:;" in content_security_policy("")


def test_page_strings_exist_in_both_languages() -> None:
    assert set(PAGE_STRINGS["en"]) == set(PAGE_STRINGS["ar"])
    assert all(v.strip() for lang in PAGE_STRINGS.values() for v in lang.values())


def test_map_page_exports_and_static_files_over_http(engine: Engine) -> None:
    asad = add(engine, day=date(2024, 1, 10), claimed_by=HOSTILE)
    tanf = add(engine, day=date(2024, 1, 20), country="syria", lat=33.5058, lon=38.6178)
    add(engine, day=date(2024, 1, 25), lat=None, lon=None)
    with serving(engine, tile_url="https://tile.example.org/{z}/{x}/{y}.png") as base, httpx.Client() as http:
        page = http.get(f"{base}/map")
        assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "https://tile.example.org" in page.headers["content-security-policy"]
        assert HOSTILE not in page.text and "<script>alert" not in page.text  # no feed text in the page itself
        config = json.loads(re.search(r'id="rasad-config">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
        assert config["tile_url"] == "https://tile.example.org/{z}/{x}/{y}.png" and config["refresh_seconds"] == 30
        assert config["weapons"]["drone"]["ar"] == "طائرات مسيّرة"
        assert not re.search(r"https?://(?!tile\.example\.org|www\.openstreetmap)", page.text)  # no CDN

        geo = http.get(f"{base}/incidents.geojson")
        assert geo.status_code == 200 and geo.headers["content-type"] == "application/geo+json"
        doc = geo.json()
        assert [f["id"] for f in doc["features"]] == [asad, tanf] and doc["rasad"]["without_coordinates"] == 1
        assert doc["features"][0]["properties"]["claimed_by"] == HOSTILE  # data, escaped by JSON, shown as text
        only = http.get(f"{base}/incidents.geojson", params={"since": "2024-01-15", "country": "syria"}).json()
        assert [f["id"] for f in only["features"]] == [tanf]

        table = http.get(f"{base}/incidents.csv", params={"until": "2024-01-20"})
        assert table.headers["content-type"] == "text/csv; charset=utf-8"
        assert table.headers["content-disposition"].startswith('attachment; filename="rasad-incidents-')
        assert table.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"), newline="")))
        assert [int(r["id"]) for r in rows] == [asad, tanf]

        bad = http.get(f"{base}/incidents.csv", params={"since": "soon"})
        assert bad.status_code == 400 and "since must be YYYY-MM-DD" in bad.text and "طلب غير صالح" in bad.text

        leaflet = http.get(f"{base}/static/leaflet/leaflet.js")
        assert leaflet.status_code == 200 and leaflet.headers["content-type"].startswith("text/javascript")
        assert 't.version="1.9.4"' in leaflet.text
        assert "BSD 2-Clause" in http.get(f"{base}/static/leaflet/LICENSE").text
        assert http.get(f"{base}/static/leaflet/images/marker-icon.png").content[:4] == b"\x89PNG"
        assert http.get(f"{base}/static/../config.py").status_code == 404
        assert http.get(f"{base}/static/map.html").status_code == 404  # only the page's own route serves it
        assert http.post(f"{base}/incidents.geojson").status_code == 405
        assert http.head(f"{base}/incidents.csv").content == b""
        assert http.get(f"{base}/healthz").status_code in (200, 503)  # the endpoints it shares the server with


def test_static_files_are_a_fixed_list() -> None:
    files = static_files()
    assert {"/static/map.js", "/static/map.css", "/static/leaflet/leaflet.js", "/static/leaflet/LICENSE"} <= set(files)
    assert all(not url.endswith(".html") for url in files)


@pytest.mark.slow
def test_a_big_export_streams_complete_over_http(engine: Engine) -> None:
    store_samples(engine, samples(5000, today=date(2024, 6, 1)))
    with serving(engine) as base, httpx.Client(timeout=60) as http:
        with http.stream("GET", f"{base}/incidents.geojson") as response:
            assert "content-length" not in response.headers  # streamed, not built in memory first
            body = b"".join(response.iter_bytes())
        doc = json.loads(body)
        assert len(doc["features"]) + doc["rasad"]["without_coordinates"] == 5000
        rows = http.get(f"{base}/incidents.csv").content.decode("utf-8-sig").count("\r\n")
        assert rows == 5001


def test_rasad_run_serves_the_map_where_http_listen_is_set(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    add(engine, day=date(2024, 1, 10))
    with socket.socket() as probe:  # a free loopback port (the config refuses port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        database=DatabaseSettings(url=sqlite_url), feeds=(), http=HttpSettings(listen=str(port), tile_url="")
    )

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            service = Service(engine, settings, client, config_path=None, clock=lambda: datetime.now(UTC))
            await service.start()
            try:
                base = f"http://127.0.0.1:{port}"  # a bare port in the config binds to loopback
                assert (await client.get(f"{base}/map")).status_code == 200
                doc = (await client.get(f"{base}/incidents.geojson")).json()
                assert len(doc["features"]) == 1
            finally:
                await service.stop()

    try:
        asyncio.run(main())
    finally:
        engine.dispose()
