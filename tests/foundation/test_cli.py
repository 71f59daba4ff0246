"""The `rasad` command as a user runs it: help, version, config checks, migrations, start and stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import __version__

REPO = Path(__file__).resolve().parents[2]


def rasad(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_version() -> None:
    out = rasad("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"rasad {__version__}"


@pytest.mark.parametrize(
    "command", [[], ["run"], ["check-config"], ["db"], ["db", "upgrade"], ["extract"], ["poll"], ["replay"], ["feeds"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    out = rasad(*command, "--help")
    assert out.returncode == 0 and "usage: rasad" in out.stdout


def test_check_config_reports_every_problem_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[polling]\ninterval = "soon"\n\n[[feeds]]\nname = "a"\nurl = "https://a.example/"\n'
        '[[feeds]]\nname = "b"\nurl = "ftp://b.example/"\n',
        encoding="utf-8",
    )
    out = rasad("check-config", str(bad))
    assert out.returncode == 2
    assert 'polling.interval: "soon" is not a duration' in out.stderr
    assert "feeds[1].url: must be an http, https or file URL" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_check_config_accepts_the_example() -> None:
    out = rasad("check-config", "config.example.toml")
    assert out.returncode == 0, out.stderr
    assert "OK" in out.stdout


def test_run_refuses_a_bad_config_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[database]\nurl = "oracle://x"\n', encoding="utf-8")
    out = rasad("run", "--config", str(bad))
    assert out.returncode == 2 and "database.url" in out.stderr and "Traceback" not in out.stderr


def test_db_upgrade_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = rasad("db", "upgrade", "--db", url)
    assert first.returncode == 0 and "applied 0001" in first.stdout, first.stderr
    second = rasad("db", "upgrade", "--db", url)
    assert second.returncode == 0 and "already up to date" in second.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_starts_migrates_and_stops_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    cfg = tmp_path / "rasad.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "r.db"}"\n[polling]\ninterval = "1h"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(cfg)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        seen = []
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            seen.append(line)
            if "running" in line or time.monotonic() > deadline:
                break
        proc.send_signal(sig)
        rest, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = "".join(seen) + rest
    assert proc.returncode == 0, log
    assert "database schema: applied 0001" in log
    assert "printed to this terminal" in log
    assert "stopped" in log and "Traceback" not in log
    assert (tmp_path / "r.db").exists()


EXTRACT_KEYS = {
    "base",
    "country",
    "target_kind",
    "date",
    "weapon",
    "count",
    "killed",
    "wounded",
    "intercepted",
    "claimed_by",
    "launch_site",
    "sources",
    "evidence",
    "confidence",
    "province_en",  # issue 12 item 5: the base's province, or the one named when no base is
    "province_ar",
    "is_claim",
}
ARTICLE = (
    "مسيرتان تستهدفان قاعدة حرير\n"
    "أعلنت المقاومة الإسلامية في العراق في بيان مساء الأحد استهداف قاعدة حرير في أربيل بطائرتين مسيرتين، "
    "فيما قال مسؤول أمريكي إن الهجوم لم يسفر عن إصابات.\n"
)


def test_extract_json_contract_from_stdin() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "extract", "--published", "2023-10-24", "--json", "-"],
        input=ARTICLE,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr
    incidents = json.loads(out.stdout)["incidents"]
    assert len(incidents) == 1
    inc = incidents[0]
    assert set(inc) == EXTRACT_KEYS
    assert set(inc["base"]) == {"id", "name_en", "name_ar", "country", "province_en", "province_ar", "lat", "lon"}
    assert (inc["base"]["id"], inc["date"], inc["weapon"], inc["count"]) == ("IQ-HARIR", "2023-10-22", "drone", 2)
    assert inc["claimed_by"] == "Islamic Resistance in Iraq" and inc["killed"] == 0
    assert all(q in ARTICLE for q in inc["evidence"])  # evidence quotes the original text


def test_extract_summary_and_nothing_found(tmp_path: Path) -> None:
    calm = tmp_path / "calm.txt"
    calm.write_text("عقد مجلس الوزراء جلسته الأسبوعية وناقش ملف الكهرباء.\n", encoding="utf-8")
    out = rasad("extract", "--published", "2024-01-01", str(calm))
    assert out.returncode == 0 and "No incidents found." in out.stdout
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = rasad("extract", "--published", "2023-10-24", str(art))
    assert out.returncode == 0 and "Harir" in out.stdout


def test_extract_bad_arguments_exit_2(tmp_path: Path) -> None:
    assert rasad("extract", "--published", "yesterday", "-").returncode == 2
    missing = rasad("extract", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
