"""Exports on a real database (SQLite file and PostgreSQL): CSV a spreadsheet reads, RFC 7946 GeoJSON, JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.cli import main
from bot.database import make_engine, upgrade
from bot.incidents.subscriptions import Filters
from bot.models import Article, IncidentReport, IncidentRow
from bot.ops.export import COLUMNS, CsvEncoder, ExportQuery, GeoJsonEncoder, JsonEncoder, export_bytes

T = datetime(2024, 2, 1, 8, 30, tzinfo=UTC)
HOSTILE = 'Brigade "X", Iraq\n<script>alert(1)</script>'


def add(
    engine: Engine,
    *,
    day: date,
    country: str = "iraq",
    lat: float | None = 33.7857,
    lon: float | None = 42.4412,
    place: tuple[str, str] = ("Ain al-Asad Air Base", "قاعدة عين الأسد الجوية"),
    target_kind: str = "base",
    claimed_by: str | None = None,
    links: tuple[str, ...] = ("https://a.example.org/1",),
) -> int:
    with Session(engine) as s:
        inc = IncidentRow(
            base_id="IQ-ASAD", place_en=place[0], place_ar=place[1], country=country, province_en="Anbar",
            province_ar="الأنبار", lat=lat, lon=lon, date=day, ref_date=day, weapon="drone", target_kind=target_kind,
            count=3, killed=0, wounded=2, claimed_by=claimed_by, first_seen_at=T, updated_at=T,
        )
        s.add(inc)
        s.flush()
        assert inc.id is not None
        for i, url in enumerate(links):
            art = Article(url=url, url_key=f"{inc.id}-{i}-{url}", identity=f"{inc.id}-{i}", source=f"Outlet {i}")
            s.add(art)
            s.flush()
            assert art.id is not None
            s.add(IncidentReport(incident_id=inc.id, article_id=art.id, decision="new", reason="t", created_at=T))
        s.commit()
        return inc.id


@pytest.fixture
def engine(db_url: str) -> Any:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def stored(engine: Engine) -> dict[str, int]:
    return {
        "asad": add(engine, day=date(2024, 1, 10), claimed_by=HOSTILE,
                    links=("https://a.example.org/1", "https://b.example.org/2?x=1,2")),
        "tanf": add(engine, day=date(2024, 1, 20), country="syria", lat=33.5058, lon=38.6178,
                    place=("Al-Tanf Garrison", "قاعدة التنف")),
        "nowhere": add(engine, day=date(2024, 1, 25), lat=None, lon=None, place=("somewhere", "مكان ما")),
        "embassy": add(engine, day=date(2024, 2, 1), target_kind="diplomatic", lat=33.298, lon=44.395),
    }


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 byte-order mark (Excel reads Arabic then)"
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows) + 1  # CRLF ends every record, header too
    return rows


def test_csv_round_trips_arabic_quotes_commas_and_newlines(engine: Engine, stored: dict[str, int]) -> None:
    rows = csv_rows(export_bytes(engine, ExportQuery(), CsvEncoder()))
    assert [int(r["id"]) for r in rows] == sorted(stored.values())
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    first = rows[0]
    assert first["base_ar"] == "قاعدة عين الأسد الجوية" and first["province_ar"] == "الأنبار"
    assert first["claimed_by"] == HOSTILE  # quotes doubled, comma and newline kept inside the quoted cell
    assert first["source_links"].split(" ") == ["https://a.example.org/1", "https://b.example.org/2?x=1,2"]
    assert first["sources"] == "2" and first["killed"] == "0" and first["wounded"] == "2"
    assert first["date"] == "2024-01-10" and first["first_reported_at"] == "2024-02-01T08:30:00Z"
    assert first["status"] == "reported" and first["intercepted"] == "false"  # the default status (issue 13)
    assert rows[2]["lat"] == "" and rows[2]["lon"] == ""  # no coordinates: empty cells, the row is kept


def test_csv_never_hands_a_spreadsheet_a_formula(engine: Engine) -> None:
    add(engine, day=date(2024, 1, 10), claimed_by='=HYPERLINK("http://x.example","y")', lat=-33.5, lon=-70.6)
    (row,) = csv_rows(export_bytes(engine, ExportQuery(), CsvEncoder()))
    assert row["claimed_by"] == '\'=HYPERLINK("http://x.example","y")'
    assert (row["lat"], row["lon"]) == ("-33.5", "-70.6")  # numbers stay numbers
    geo = json.loads(export_bytes(engine, ExportQuery(), GeoJsonEncoder()))
    assert geo["features"][0]["properties"]["claimed_by"].startswith("=HYPERLINK")  # only CSV needs this


def test_geojson_is_rfc_7946_lon_lat_and_counts_what_it_leaves_out(engine: Engine, stored: dict[str, int]) -> None:
    encoder = GeoJsonEncoder(alerts=True)
    doc = json.loads(export_bytes(engine, ExportQuery(), encoder))
    assert doc["type"] == "FeatureCollection"
    features = doc["features"]
    assert [f["id"] for f in features] == [stored["asad"], stored["tanf"], stored["embassy"]]
    for f in features:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) == (f["properties"]["lon"], f["properties"]["lat"])
        assert lon > lat  # in this region longitude (38–45) is larger than latitude (29–37): order is lon, lat
    assert doc["rasad"]["without_coordinates"] == 1 == encoder.without_coordinates
    props = features[0]["properties"]
    assert props["claimed_by"] == HOSTILE and props["source_names"] == ["Outlet 0", "Outlet 1"]
    assert "عين الأسد" in props["alert"]["ar"] and "Ain al-Asad" in props["alert"]["en"]


def test_json_is_an_array_of_the_same_fields(engine: Engine, stored: dict[str, int]) -> None:
    doc = json.loads(export_bytes(engine, ExportQuery(), JsonEncoder()))
    assert len(doc) == 4 and list(doc[0]) == [name for name, _ in COLUMNS]
    assert doc[1]["country"] == "syria" and doc[2]["lat"] is None and doc[0]["source_links"][1].endswith("x=1,2")


def test_an_empty_export_is_still_valid(engine: Engine) -> None:
    assert json.loads(export_bytes(engine, ExportQuery(), JsonEncoder())) == []
    doc = json.loads(export_bytes(engine, ExportQuery(), GeoJsonEncoder()))
    assert doc["features"] == [] and doc["rasad"]["without_coordinates"] == 0
    assert csv_rows(export_bytes(engine, ExportQuery(), CsvEncoder())) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ExportQuery(), ["asad", "tanf", "nowhere", "embassy"]),
        (ExportQuery(since=date(2024, 1, 20)), ["tanf", "nowhere", "embassy"]),  # both ends included
        (ExportQuery(until=date(2024, 1, 20)), ["asad", "tanf"]),
        (ExportQuery(since=date(2024, 1, 11), until=date(2024, 1, 24)), ["tanf"]),
        (ExportQuery(country="Syria"), ["tanf"]),
        (ExportQuery(country="jordan"), []),
        (ExportQuery(status="confirmed"), []),  # stored incidents are "reported" (issue 13): none confirmed
        (ExportQuery(chat=Filters(countries=("iraq",), include_diplomatic=False)), ["asad", "nowhere"]),
        (ExportQuery(since=date(2024, 2, 2)), []),
    ],
)
def test_filters(engine: Engine, stored: dict[str, int], query: ExportQuery, expected: list[str]) -> None:
    doc = json.loads(export_bytes(engine, query, JsonEncoder()))
    assert [d["id"] for d in doc] == [stored[k] for k in expected]


def test_batches_cover_everything_exactly_once(engine: Engine) -> None:
    ids = [add(engine, day=date(2024, 3, 1 + i % 28), lat=None if i % 7 == 0 else 33.0) for i in range(23)]
    from bot.ops.export import Batches

    seen = [r.incident.id for batch in Batches(engine, ExportQuery(), batch=5) for r in batch]
    assert seen == ids
    chat = ExportQuery(chat=Filters(countries=("syria",)))
    assert [r for batch in Batches(engine, chat, batch=5) for r in batch] == []  # filtered-out batches are skipped


def test_rasad_export_writes_a_file_and_says_how_many(
    db_url: str, engine: Engine, stored: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "incidents.geojson"
    assert main(["export", "--db", db_url, "--format", "geojson", "--since", "2024-01-15", "--out", str(out)]) == 0
    doc = json.loads(out.read_bytes())
    assert [f["id"] for f in doc["features"]] == [stored["tanf"], stored["embassy"]]
    assert "3 incident(s) exported as geojson" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.partial"))

    csv_out = tmp_path / "syria.csv"
    assert main(["export", "--db", db_url, "--country", "syria", "--out", str(csv_out)]) == 0
    assert [r["base_en"] for r in csv_rows(csv_out.read_bytes())] == ["Al-Tanf Garrison"]

    assert main(["export", "--db", db_url, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4

    config = tmp_path / "rasad.toml"  # the database named by a config file, as `rasad run` reads it
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    assert main(["export", "--config", str(config), "--format", "json", "--until", "2024-01-10"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [stored["asad"]]


@pytest.mark.parametrize(
    "argv",
    [
        ["--since", "2024-13-01"],
        ["--until", "yesterday"],
        ["--since", "2024-02-01", "--until", "2024-01-01"],
    ],
)
def test_rasad_export_refuses_bad_dates(sqlite_url: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", sqlite_url, *argv]) == 2
    assert capsys.readouterr().err.startswith("rasad export: --")
