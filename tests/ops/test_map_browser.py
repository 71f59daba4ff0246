"""/map in a real browser: Debian's chromium, headless, driven by Playwright for Python (never a downloaded build).

Counts the markers against the incidents with coordinates, opens a popup and reads it, switches the
language and the date range, and saves a screenshot in the test's temporary folder. Skipped, with the
reason, where chromium or Playwright is missing (`.ci/run` installs chromium with apt-get).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.database import make_engine, upgrade
from tests.ops.map_server import serving
from tests.ops.test_export import HOSTILE, add

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Without the background-networking flags chromium waits on the network, which this machine does not have."""


def _skip_reason() -> str | None:
    if CHROMIUM is None:
        return "chromium is not installed (apt-get install chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright for Python is not installed: {exc}"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")]


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    """A fresh page of headless chromium with an empty profile of its own."""
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path))
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1000, "height": 700},
            locale="en-US",
        )
        try:
            page = context.new_page()
            page.set_default_timeout(20_000)
            yield page
        finally:
            context.close()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_the_map_shows_one_marker_per_incident_with_coordinates(
    engine: Engine, browser_page: Any, tmp_path: Path
) -> None:
    today = datetime.now(UTC).date()
    asad = add(engine, day=today - timedelta(days=3), claimed_by=HOSTILE,
               links=("https://a.example.org/1", "javascript:alert(2)"))
    add(engine, day=today - timedelta(days=10), country="syria", lat=33.5058, lon=38.6178,
        place=("Al-Tanf Garrison", "قاعدة التنف"))
    add(engine, day=today - timedelta(days=20), country="jordan", lat=32.4, lon=38.0, place=("Tower 22", "البرج 22"))
    add(engine, day=today - timedelta(days=5), lat=None, lon=None)  # not on the map, counted in the summary
    add(engine, day=today - timedelta(days=200), lat=33.0, lon=44.0)  # outside the default 90 days
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))

    with serving(engine) as base:  # no tile server: nothing leaves loopback
        page.goto(f"{base}/map?lang=en")
        page.wait_for_selector("body[data-loaded]")
        markers = page.locator("path.rasad-marker")
        assert markers.count() == 3  # the incidents with coordinates in the last 90 days
        assert page.locator("#summary").inner_text() == "3 incidents on the map · 1 without coordinates"

        page.evaluate("() => document.body.removeAttribute('data-loaded')")
        # The Ain al-Asad incident: the marker whose popup names it (markers overlap nothing here).
        for i in range(markers.count()):
            markers.nth(i).dispatch_event("click")
            popup = page.locator(".leaflet-popup-content .rasad-popup")
            popup.wait_for()
            if "Ain al-Asad" in popup.inner_text():
                break
        text = popup.inner_text()
        assert f"#{asad}" in text and "Sources" in text
        assert HOSTILE.splitlines()[1] in text  # the hostile claim is shown as text...
        assert page.locator(".rasad-popup script").count() == 0  # ...never parsed as markup
        links = popup.locator("a")
        assert links.count() == 1 and links.first.get_attribute("href") == "https://a.example.org/1"
        assert popup.locator("li").nth(1).inner_text() == "Outlet 1"  # the javascript: link stays plain text
        page.screenshot(path=str(tmp_path / "map-en.png"))

        page.evaluate("() => document.body.removeAttribute('data-loaded')")
        page.click("#lang")  # Arabic: labels, direction and popups follow
        page.wait_for_selector("body[data-loaded]")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#summary").inner_text() == "3 هجمات على الخريطة · 1 بلا إحداثيات"
        page.locator("path.rasad-marker").first.dispatch_event("click")
        assert "المصادر" in page.locator(".rasad-popup").last.inner_text()

        page.evaluate("() => document.body.removeAttribute('data-loaded')")
        page.fill("#since", (today - timedelta(days=7)).isoformat())
        page.dispatch_event("#since", "change")
        page.wait_for_selector("body[data-loaded]")
        assert page.locator("path.rasad-marker").count() == 1  # the date filter: only the 3-day-old one

        page.screenshot(path=str(tmp_path / "map-ar.png"))
    assert (tmp_path / "map-en.png").stat().st_size > 10_000
    assert errors == []
    assert all(u.startswith(base) or u.startswith("data:") for u in requests), requests


def test_the_map_refreshes_itself(engine: Engine, browser_page: Any) -> None:
    today = datetime.now(UTC).date()
    add(engine, day=today, lat=33.0, lon=44.0)
    page = browser_page
    with serving(engine) as base:
        page.clock.install()  # the page's own timers, so 30 s pass at once
        page.goto(f"{base}/map")
        page.wait_for_selector("body[data-loaded]")
        assert page.locator("path.rasad-marker").count() == 1
        add(engine, day=today, lat=34.0, lon=43.0)  # a new incident arrives
        page.clock.run_for(31_000)
        page.locator("path.rasad-marker").nth(1).wait_for()  # (no wait_for_function: the page's CSP forbids eval)
        assert page.locator("path.rasad-marker").count() == 2
