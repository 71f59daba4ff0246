"""Unambiguous names: a public name defined at the top of a bot/ module is defined in that module only, and
none is a name the extractor exports (two `Incident`s, two `decide`s, two `explain`s made readers guess).

Read with `ast`; private names (leading underscore), the logger and type variables are not counted; Alembic's
`upgrade`/`downgrade` in each migration are its convention.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import extractor

BOT = Path(__file__).resolve().parents[2] / "bot"
NOT_COUNTED = frozenset({"log", "T", "__all__"})


def public_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") and n not in NOT_COUNTED}


def definitions() -> dict[str, list[str]]:
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.relative_to(BOT).parts:
            continue
        for name in public_names(ast.parse(path.read_text(encoding="utf-8"))):
            where[name].append(str(path.relative_to(BOT.parent)))
    return where


def test_each_public_name_of_bot_is_defined_once() -> None:
    assert {name: files for name, files in definitions().items() if len(files) > 1} == {}


def test_no_bot_name_is_one_the_extractor_exports() -> None:
    assert {name: files for name, files in definitions().items() if name in extractor.__all__} == {}
