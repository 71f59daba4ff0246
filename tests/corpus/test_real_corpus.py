"""The real corpus's labels and manifest hold together: what `rasad eval` scores is what the manifest lists.

The texts are not in the repository (they live in the git-ignored cache), so these tests read only our own files.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.evaluation.gold import load_gold

REAL = Path(__file__).resolve().parent / "real"
SPLITS = {"dev", "blind", "blind2", "blind3", "blind4", "blind5", "train6", "train7", "blind6", "blind7", "blind8",
          "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15"}


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_gold_loads_and_every_base_is_known(lang: str) -> None:
    gold = load_gold(REAL / lang / "gold.jsonl")
    assert {a.lang for a in gold.articles} == {lang}
    assert gold.warnings == []  # every labelled base resolves in the gazetteer
    assert {a.split for a in gold.articles} <= SPLITS


def test_manifest_and_labels_name_the_same_articles() -> None:
    sources = _jsonl(REAL / "sources.jsonl")
    ids = [str(s["id"]) for s in sources]
    assert len(ids) == len(set(ids))
    urls = Counter(str(s["url"]) for s in sources)
    assert [u for u, n in urls.items() if n > 1] == []
    for s in sources:
        assert {"id", "url", "outlet", "lang", "query", "sha256"} <= s.keys()
    labelled = {str(r["id"]): str(r["lang"]) for lang in ("ar", "en") for r in _jsonl(REAL / lang / "gold.jsonl")}
    assert labelled == {str(s["id"]): str(s["lang"]) for s in sources}


def test_every_label_says_its_kind_and_attacks_agree_with_it() -> None:
    for lang in ("ar", "en"):
        for row in _jsonl(REAL / lang / "gold.jsonl"):
            assert row.get("kind"), row["id"]
            assert (row["kind"] == "attack") == bool(row["incidents"]), row["id"]


def test_no_real_text_is_tracked() -> None:
    # the texts stay in .cache/ (git-ignored); only manifest and labels live here
    assert not list(REAL.rglob("*.txt"))
