"""A reader crash costs one article and is seen: logged once with the article and where the extractor failed,
counted in rasad_extractor_errors, and the article is still stored (issue 11, item 6).

No known input crashes the reader (each crash found was fixed), so the crash is injected at the extractor's
strict entry point; everything around it (ingest, the database, the counter) is real.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import extractor
from bot.counters import EXTRACTOR_ERRORS
from bot.models import Article, IncidentRow
from extractor.explanation import ExtractionError
from tests.incidents.feedgen import ASAD_ROCKETS
from tests.incidents.test_ingest import art, ingest


def _boom(*_args: object, **_kwargs: object) -> list[extractor.Incident]:
    try:
        int("²")  # the kind of bug a reader rule once had
    except ValueError as exc:
        raise ExtractionError(exc, 3, []) from exc
    raise AssertionError("unreachable")


def _count(where: str) -> float:
    return EXTRACTOR_ERRORS.labels(where=where)._value.get()


def test_a_reader_crash_is_logged_once_counted_and_the_article_kept(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(extractor, "extract_strict", _boom)
    before = _count("?")  # the crash is raised outside the extractor package's files here
    with caplog.at_level(logging.ERROR):
        res = ingest(engine, art("https://crash.example/1", ASAD_ROCKETS))
    lines = [r.getMessage() for r in caplog.records if "extractor failed" in r.getMessage()]
    assert len(lines) == 1
    assert f"article {res.article_id}" in lines[0] and "https://crash.example/1" in lines[0]
    assert "sentence 3" in lines[0] and "after rule none" in lines[0]  # no clause was read before this crash
    assert _count("?") == before + 1
    with Session(engine) as s:
        assert [a.url for a in s.exec(select(Article)).all()] == ["https://crash.example/1"]
        assert s.exec(select(IncidentRow)).all() == []
    monkeypatch.undo()
    res2 = ingest(engine, art("https://ok.example/2", ASAD_ROCKETS))  # the next article is read as usual
    assert res2.events
