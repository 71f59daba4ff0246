"""Make the README's pictures from made-up sample data: the /stats chart and a screenshot of /map.

Stores 600 sample incidents (tests/support/sample_incidents.py: real bases, invented reports) in a
temporary SQLite file, writes the chart with `rasad stats --png`, serves /map on loopback and takes a
screenshot in Debian's headless chromium with one popup open. The network is closed where this runs, so
the map has no tiles (in use, the reader's browser loads them from `[http] tile_url`).
Usage: python tests/docs/make_pictures.py   (writes tests/docs/chart.png and tests/docs/map.png)
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from bot.cli import main as rasad  # noqa: E402
from bot.database import make_engine, upgrade  # noqa: E402
from tests.ops.map_server import serving  # noqa: E402
from tests.ops.test_map_browser import CHROMIUM, FLAGS  # noqa: E402
from tests.support.sample_incidents import samples, store_samples  # noqa: E402


def main() -> None:
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory(prefix="rasad-docs-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'sample.db'}"
        engine = make_engine(url)
        upgrade(engine)
        store_samples(engine, samples(600, today=today, days=182))
        assert rasad(["stats", "--db", url, "--png", str(HERE / "chart.png")]) == 0

        from playwright.sync_api import sync_playwright

        with serving(engine) as base, sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
                viewport={"width": 1100, "height": 760}, locale="en-US",
            )
            page = context.new_page()
            page.goto(f"{base}/map?lang=en")
            page.wait_for_selector("body[data-loaded]")
            markers = page.locator("path.rasad-marker")
            markers.nth(markers.count() - 1).click(force=True)
            page.locator(".rasad-popup").wait_for()
            page.wait_for_timeout(2000)  # let the popup's pan finish
            page.screenshot(path=str(HERE / "map.png"))
            context.close()
        engine.dispose()
    print(f"wrote {HERE / 'chart.png'} and {HERE / 'map.png'}")


if __name__ == "__main__":
    main()
