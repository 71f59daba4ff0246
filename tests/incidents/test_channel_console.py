"""Console mode end to end with channel sources: `rasad run` without a token, as an operator starts it, reads a
group's channel from a loopback stand-in of the preview (`[channels] preview_base_url`) and a news feed; the
claim prints as a `claimed` incident, the news report of the same attack merges into it, and a channel with no
public preview says so in the log while the others go on (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tests.incidents.feedgen import Item, rss
from tests.support.channel_pages import Post, missing_channel_page, preview_page
from tests.support.feed_server import FeedServer, Route

REPO = Path(__file__).resolve().parents[2]
CLAIM = "كتائب حزب الله\nاستهدف مجاهدونا اليوم قاعدة عين الأسد بثلاثة صواريخ."
NEWS = (
    "أفاد مصدر أمني بأن ثلاثة صواريخ سقطت اليوم على قاعدة عين الأسد الجوية بمحافظة الأنبار من دون أن يسفر "
    "القصف عن إصابات."
)


class Output:
    """The process's merged stdout and stderr, read on a thread so waits have deadlines."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._q: queue.Queue[str | None] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout

        def pump() -> None:
            for line in stream:
                self._q.put(line)
            self._q.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, done: Callable[[str], bool], seconds: float = 45) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self._q.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if done("".join(self.lines)):
                return "".join(self.lines)
        raise AssertionError("not seen in time; output so far:\n" + "".join(self.lines))

    def rest(self) -> str:
        while (line := self._q.get(timeout=20)) is not None:
            self.lines.append(line)
        return "".join(self.lines)


def test_console_mode_reads_channels_claim_then_news(tmp_path: Path, db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with FeedServer() as server:
        server.add(
            "/s/kh_chan",
            Route(body=preview_page("kh_chan", [Post(12, CLAIM, when=now.isoformat())]), content_type="text/html"),
        )
        server.add("/gone_chan", Route(body=missing_channel_page("gone_chan"), content_type="text/html"))
        server.add("/s/gone_chan", Route.redirect(server.url("/gone_chan"), status=302))
        news = server.add("/rss", Route(body=rss([])))
        cfg = tmp_path / "rasad.toml"
        cfg.write_text(
            f'[database]\nurl = "{db_url}"\n'
            '[polling]\ninterval = "1s"\ntick = "1s"\ntimeout = "3s"\n'
            f'[channels]\npreview_base_url = "{server.url("/s/")}"\ninterval = "1s"\n'
            "[admin]\nallow_private_addresses = true\n"
            '[[feeds]]\nname = "KH channel"\nurl = "https://t.me/s/kh_chan"\nrole = "claimant"\n'
            '[[feeds]]\nname = "Gone"\nurl = "tg:gone_chan"\n'
            f'[[feeds]]\nname = "Outlet"\nurl = "{news}"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(cfg)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            out = Output(proc)
            first = out.until(lambda t: "NEW INCIDENT #1" in t and t.count("─" * 60) >= 2)
            alert = first[first.index("NEW INCIDENT #1") :]
            assert "Claimed: Kataib Hezbollah" in alert and "ادعاء: كتائب حزب الله" in alert
            assert "https://t.me/kh_chan/12" in alert
            out.until(lambda t: "@gone_chan has no public preview (private, missing or renamed)" in t)

            server.add("/rss", Route(body=rss([Item("صواريخ على عين الأسد", "https://news.example/asad", NEWS, now)])))
            merged = out.until(lambda t: "Outlet reports incident #1" in t or "UPDATE #1" in t)
            assert "NEW INCIDENT #2" not in merged  # the news report is the same attack: one incident
            proc.send_signal(signal.SIGTERM)
            log = out.rest()
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, log
    assert "NEW INCIDENT #2" not in log and "Traceback" not in log
    assert server.requests_for("/s/kh_chan")[0].path == "/s/kh_chan"  # read from the configured preview address
