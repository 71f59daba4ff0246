"""Start-up failures an operator can fix are one line saying what to fix; bugs keep their traceback."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.startup import startup_problem
from tests.conftest import REPO


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def _unreachable_database() -> BaseException:
    engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    try:
        with engine.connect():
            pass
    except Exception as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("a database answered on port 9")


def _bind_error(port: int) -> BaseException:
    async def bind() -> None:
        await asyncio.start_server(lambda r, w: None, "127.0.0.1", port)

    try:
        asyncio.run(bind())
    except OSError as exc:
        return exc
    raise AssertionError("the busy port could be bound")


def test_what_counts_as_a_start_up_problem(busy_port: int) -> None:
    db = startup_problem(_unreachable_database())
    assert db is not None and db.startswith("cannot open the database (") and "check [database] url" in db
    bind = startup_problem(_bind_error(busy_port))
    assert bind is not None and "change [http] listen" in bind and str(busy_port) in bind
    assert startup_problem(OSError(errno.ENOENT, "no such file")) is None
    assert startup_problem(ValueError("a bug")) is None
    assert all("\n" not in line for line in (db, bind))


def _run(tmp_path: Path, config: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "rasad.toml"
    path.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | {"PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "bot", "run", "--config", str(path)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_run_with_an_unreachable_database_prints_one_line(tmp_path: Path) -> None:
    out = _run(tmp_path, '[database]\nurl = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"\n')
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    problems = [line for line in out.stderr.splitlines() if line.startswith("rasad run: ")]
    assert len(problems) == 1 and "cannot open the database" in problems[0]


def test_run_with_the_health_port_in_use_prints_one_line(tmp_path: Path, busy_port: int) -> None:
    out = _run(tmp_path, f'feeds = []\n[database]\nurl = "sqlite:///{tmp_path / "r.db"}"\n'
                         f'[http]\nlisten = "127.0.0.1:{busy_port}"\n')
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    problems = [line for line in out.stderr.splitlines() if line.startswith("rasad run: ")]
    assert len(problems) == 1 and "cannot listen for /healthz" in problems[0]
