"""The extractor stays a pure library: it imports nothing from bot/ and does no I/O or clock reads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

EXTRACTOR = Path(__file__).resolve().parents[2] / "extractor"
FORBIDDEN_MODULES = (
    "bot",
    "httpx",
    "requests",
    "socket",
    "sqlite3",
    "sqlalchemy",
    "sqlmodel",
    "telegram",
    "feedparser",
    "asyncio",
    "subprocess",
    "urllib.request",
    "http",
    "shutil",
    "tempfile",
    "psycopg",
)
FORBIDDEN_CALLS = {"open", "input", "print"}
CLOCK_ATTRS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "monotonic"),
    ("time", "perf_counter"),
}


def _sources() -> list[Path]:
    files = sorted(EXTRACTOR.rglob("*.py"))
    assert files, "extractor/ has no Python files"
    return files


def test_extractor_imports_nothing_from_bot_or_io_modules() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                bad = [m for m in FORBIDDEN_MODULES if name == m or name.startswith(m + ".")]
                assert not bad, f"{path.name} imports {name}"


def test_extractor_reads_no_files_and_no_clock() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name):
                    assert f.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {f.id}()"
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                    assert (f.value.id, f.attr) not in CLOCK_ATTRS, f"{path.name}:{node.lineno} reads the clock"


def test_importing_the_extractor_loads_no_bot_module() -> None:
    code = "import sys, extractor; print(sorted(m for m in sys.modules if m == 'bot' or m.startswith('bot.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
