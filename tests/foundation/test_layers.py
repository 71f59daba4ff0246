"""The direction rule of bot/: core ← feeds ← incidents ← alerts ← ops ← service ← telegram, commands ← entry.

A module imports only modules of an earlier layer or of its own layer, so each stage can be read (and
tested) without the ones after it, and there is no import cycle. Imports are read with `ast`, lazy ones
inside functions included. A new module must be given a layer here before the test passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"

# Layer of each top-level module or package of bot/, in pipeline order. Same number, different name:
# neither may import the other (telegram and commands are two faces of the same layer).
LAYERS: Mapping[str, tuple[int, str]] = {
    # core: what every stage shares (settings, tables, engine and migrations, clock, durations, counters)
    "bot": (0, "core"),
    "bot.config": (0, "core"),
    "bot.database": (0, "core"),
    "bot.models": (0, "core"),
    "bot.migrations": (0, "core"),
    # a data migration (issue 13): computes existing incidents' status with the ladder; Alembic loads it by
    # path, never by import, so it sits with the stage whose function it runs
    "bot.migrations.versions.0003_status_ladder": (2, "incidents"),
    "bot.clock": (0, "core"),
    "bot.durations": (0, "core"),
    "bot.counters": (0, "core"),
    # shared by several stages, reading only the core: single-statement upserts, config bounds, the bundled
    # sample feed, due times, the pipeline's locks, the instance lease
    "bot.upsert": (0, "core"),
    "bot.bounds": (0, "core"),
    "bot.sample": (0, "core"),
    "bot.due_times": (0, "core"),
    "bot.pipeline_locks": (0, "core"),
    "bot.lock": (0, "core"),
    "bot.instance": (0, "core"),
    # start-up failures as one line (what `rasad run` and the service print)
    "bot.startup": (0, "core"),
    # the exit statuses of every command (the entry points, the commands and run_bot share them)
    "bot.exits": (0, "core"),
    # glibc's allocator told to hand memory back (the poller and the parse workers call it)
    "bot.malloc": (0, "core"),
    "bot.feeds": (1, "feeds"),
    "bot.incidents": (2, "incidents"),
    "bot.alerts": (3, "alerts"),
    "bot.ops": (4, "ops"),
    # the one orchestrator of a running process: poll job, config watcher, health server
    "bot.service": (5, "service"),
    # scoring the extractor against a gold corpus (`rasad eval`, issue 11): beside the service, for commands
    "bot.evaluation": (5, "evaluation"),
    "bot.telegram": (6, "telegram"),
    "bot.commands": (6, "commands"),
    # entry points: the `rasad` command and what `rasad run` starts
    "bot.runner": (7, "entry"),
    "bot.cli": (7, "entry"),
    "bot.__main__": (7, "entry"),
}


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = BOT) -> dict[str, ast.Module]:
    return {module_name(p, root): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.py"))}


def imported(tree: ast.Module, known: Iterable[str]) -> set[str]:
    """Every bot module `tree` imports: `from bot.x import y` counts as bot.x.y when that is a module."""
    names = set(known)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name == "bot" or a.name.startswith("bot."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "bot" and not node.module.startswith("bot."):
                continue
            subs = {f"{node.module}.{a.name}" for a in node.names} & names
            out.update(subs or {node.module})
            if subs and len(subs) < len(node.names):
                out.add(node.module)
    return out


def layer_of(module: str) -> tuple[int, str]:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in LAYERS and (n > 1 or module == "bot"):
            return LAYERS[key]
    raise KeyError(module)


def violations(graph: Mapping[str, set[str]]) -> list[str]:
    """Imports against the direction rule, as 'a (layer) imports b (layer)'."""
    bad: list[str] = []
    for mod, deps in sorted(graph.items()):
        rank, name = layer_of(mod)
        for dep in sorted(deps):
            if dep == "bot" or dep.startswith("bot.__init__"):
                continue
            drank, dname = layer_of(dep)
            if drank > rank or (drank == rank and dname != name):
                bad.append(f"{mod} ({name}) imports {dep} ({dname})")
    return bad


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Import cycles between modules (each reported once, from where the search found it)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                found.append([*stack[stack.index(d) :], d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def graph_of(trees: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    return {m: imported(t, trees) - {m} for m, t in trees.items()}


def test_every_bot_module_has_a_layer() -> None:
    unplaced = []
    for m in modules():
        try:
            layer_of(m)
        except KeyError:
            unplaced.append(m)
    assert not unplaced, f"give these modules a layer in LAYERS: {unplaced}"


def test_no_module_imports_a_later_stage() -> None:
    assert violations(graph_of(modules())) == []


def test_no_import_cycle() -> None:
    assert cycles(graph_of(modules())) == []


def test_each_stage_package_says_what_it_does() -> None:
    for pkg in ("feeds", "incidents", "alerts", "ops", "telegram", "commands"):
        doc = ast.get_docstring(ast.parse((BOT / pkg / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"bot/{pkg}/__init__.py has no docstring"


@pytest.mark.parametrize(
    ("source", "graph", "expected"),
    [
        # a later stage importing an earlier one is the rule
        ("alerts reads incidents", {"bot.alerts.render": {"bot.incidents.decide"}}, []),
        # the other way round is not
        (
            "feeds reads incidents",
            {"bot.feeds.poller": {"bot.incidents.ingest"}},
            ["bot.feeds.poller (feeds) imports bot.incidents.ingest (incidents)"],
        ),
        # core imports no stage
        ("core reads ops", {"bot.config": {"bot.ops.metrics"}}, ["bot.config (core) imports bot.ops.metrics (ops)"]),
        # same layer, other package
        (
            "commands reads telegram",
            {"bot.commands.poll": {"bot.telegram.app"}},
            ["bot.commands.poll (commands) imports bot.telegram.app (telegram)"],
        ),
        # inside one package anything goes (cycles are checked apart)
        ("alerts reads alerts", {"bot.alerts.sender": {"bot.alerts.outbox"}}, []),
    ],
)
def test_the_rule_itself(source: str, graph: dict[str, set[str]], expected: list[str]) -> None:
    assert violations(graph) == expected, source


def test_cycles_are_found() -> None:
    graph = {"bot.alerts.a": {"bot.alerts.b"}, "bot.alerts.b": {"bot.alerts.c"}, "bot.alerts.c": {"bot.alerts.a"}}
    assert cycles(graph) == [["bot.alerts.a", "bot.alerts.b", "bot.alerts.c", "bot.alerts.a"]]
    assert cycles({"bot.alerts.a": {"bot.alerts.b"}, "bot.alerts.b": set()}) == []


def test_lazy_imports_count() -> None:
    tree = ast.parse("def f():\n    from bot.ops import metrics\n    import bot.telegram.app\n")
    assert imported(tree, {"bot.ops.metrics", "bot.telegram.app"}) == {"bot.ops.metrics", "bot.telegram.app"}


def test_no_two_modules_define_the_same_public_name() -> None:
    """Two `decide`, two `FeedItem`: a name must say which thing it is (migrations keep Alembic's names)."""
    seen: dict[str, list[str]] = {}
    for mod, tree in modules().items():
        if mod.startswith("bot.migrations"):
            continue
        for node in tree.body:
            named = isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            if named and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(mod)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}
