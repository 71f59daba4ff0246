"""The extractor's shape (issue 14): one package per language (`extractor/ar/`, `extractor/en/`) beside the shared
parts at the top. The shared parts never import a language package, and neither language package imports the
other; only the dispatch (and the package's entry points, the rule registry that lists both readers' rules, and the
scorer that runs after both readers) sees both. Imports are read with `ast`, lazy ones inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

EXTRACTOR = Path(__file__).resolve().parents[2] / "extractor"
LANGUAGES = ("ar", "en")
# top-level modules that may see both readers: the package's entry points, the dispatch, the rule registry, and the
# learned scorer that judges both readers' incidents after them (it reads each language's cue lists)
SEES_BOTH = {"extractor", "extractor.dispatch", "extractor.rules", "extractor.scorer"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(EXTRACTOR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _language(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LANGUAGES else None


def test_each_language_has_its_package() -> None:
    for lang in LANGUAGES:
        assert (EXTRACTOR / lang / "__init__.py").is_file(), f"extractor/{lang}/ is not a package"
    assert not list(EXTRACTOR.glob("arabic*.py")), "the Arabic modules live in extractor/ar/"


def test_shared_parts_import_no_language_package_and_languages_not_each_other() -> None:
    bad: list[str] = []
    for path in sorted(EXTRACTOR.rglob("*.py")):
        mod = _module(path)
        own = _language(mod)
        for name in _imports(path):
            if not name.startswith("extractor"):
                continue
            other = _language(name)
            if other is None or other == own:
                continue
            if own is None and mod in SEES_BOTH:
                continue
            bad.append(f"{mod} imports {name}")
    assert not bad, bad
