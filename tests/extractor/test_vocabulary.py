"""Vocabulary is data: every word list lives in extractor/data/ (lexicon.json, words.json), every list is read
by a declared rule, every list a rule names exists, and the code writes no word list of its own."""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import extractor.ar.reader  # noqa: F401  # imports every module that loads a list
from extractor import vocabulary
from extractor.lexicon import lexicon
from extractor.rules import RULES

EXTRACTOR = Path(__file__).resolve().parents[2] / "extractor"


def _lexicon_names() -> set[str]:
    return {f"lexicon:{k}" for k in lexicon().raw if not k.startswith("_")} | _english_names()


def _english_names() -> set[str]:
    """The categories of the English reader's lexicon (data/lexicon_en.json), as its rules name them."""
    raw = json.loads(resources.files("extractor").joinpath("data/lexicon_en.json").read_text("utf-8"))
    return {f"lexicon_en:{k}" for k in raw if not k.startswith("_")} - _ENGLISH_UNREAD


# English categories that the English reader's code never reads (found when its rules were declared, issue 14):
# data with no effect; kept here by name so that the list stays exact (the test below).
_ENGLISH_UNREAD = frozenset({"lexicon_en:count_nouns", "lexicon_en:killed", "lexicon_en:wounded",
                             "lexicon_en:furniture"})


def test_the_english_lists_no_code_reads_are_exactly_those_named() -> None:
    code = "\n".join(p.read_text("utf-8") for p in sorted((EXTRACTOR / "en").glob("*.py")))
    for name in _ENGLISH_UNREAD:
        assert f'"{name.split(":")[1]}"' not in code, f"{name} is read by the English reader now: drop it here"
    assert _ENGLISH_UNREAD - {f"lexicon_en:{k}" for k in json.loads(
        resources.files("extractor").joinpath("data/lexicon_en.json").read_text("utf-8"))} == set()


def _read_by_rules() -> set[str]:
    return {name for rule in RULES.values() for name in rule.reads}


def test_every_list_a_rule_reads_exists() -> None:
    missing = _read_by_rules() - vocabulary.names() - _lexicon_names()
    assert not missing, f"rules read lists that do not exist: {sorted(missing)}"


def test_every_list_is_read_by_a_rule() -> None:
    unread = (vocabulary.names() | _lexicon_names()) - _read_by_rules()
    assert not unread, f"lists no rule declares it reads (delete them, or name their rule): {sorted(unread)}"


def test_every_list_of_words_json_is_loaded_by_the_code() -> None:
    assert vocabulary.names() - vocabulary.loaded() == set()


def _affix(s: str) -> bool:
    return len(s) <= 2 or s.endswith("ال")  # و، ب، لل، وال، بال ...


def test_no_word_list_is_written_in_python() -> None:
    """A set, tuple or list of two or more Arabic words in extractor/*.py belongs in data/words.json (clitics
    and affixes, such as ("ب", "و") or ("ال", "وال"), are morphology, not vocabulary)."""
    found = []
    for path in sorted(EXTRACTOR.rglob("*.py")):
        if path.name == "rules.py":  # examples, not vocabulary
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
                arabic = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                          and not _affix(e.value) and any("\u0600" <= ch <= "\u06ff" for ch in e.value)]
                if len(arabic) >= 2:
                    found.append(f"{path.name}:{node.lineno}")
    assert not found, f"word lists written in code: {found}"
