"""Where each labelled article came from: the corpus manifest (`sources.jsonl`: id, url, outlet ...).

The status ladder tells outlets apart by the registered domain of each report's link. Gold files carry no
links, so without the manifest every article would be its own outlet and two stories of one site would
"corroborate" each other: `rasad eval --replay` reads the links from the manifest beside the gold file.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bot.evaluation.gold import GoldArticle

MANIFEST_NAME = "sources.jsonl"


def find_manifest(gold: Path) -> Path | None:
    """`sources.jsonl` in the gold file's folder or the folder above (the real corpus keeps one for both
    languages, beside `ar/` and `en/`)."""
    for folder in (gold.resolve().parent, gold.resolve().parent.parent):
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            return candidate
    return None


def read_manifest(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """id -> (url, outlet) for every line that names them; lines that are not JSON objects are skipped."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            url, outlet = obj.get("url"), obj.get("outlet")
            out[obj["id"]] = (url if isinstance(url, str) else None, outlet if isinstance(outlet, str) else None)
    return out


def with_sources(articles: list[GoldArticle], manifest: dict[str, tuple[str | None, str | None]]) -> list[GoldArticle]:
    """Each article with its link and outlet from the manifest, unless its gold line names them itself."""
    out = []
    for a in articles:
        url, outlet = manifest.get(a.id, (None, None))
        out.append(replace(a, url=a.url or url, outlet=a.outlet or outlet))
    return out
