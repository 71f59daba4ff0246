"""The registry of the readers' rules: each with its stage, what it does in English and Arabic, the word lists
it reads, and sentences (our own wording) it must fire on and must spare. The Arabic reader's rules are declared
in `extractor/ar/rules.py`, the English reader's in `extractor/en/rules.py`; this module joins them.

Tests are generated from the examples (tests/extractor/test_rules.py): a fire example must show the rule in
`explain`'s trace, a spare example must not. Every example is read as a whole article published on
`EXAMPLE_DAY` (a Wednesday); a first line without a full stop is the headline; the article's script picks the
reader. The stages a reader runs as registered rule functions (`extractor.stages`) try them in the order declared
here. The other rules are decisions the reader traces where it makes them. To add a rule: add its id to
`RuleId`, register or record it where the reader decides, declare it in its reader's rules with at least two
fire examples in different wordings and one spare, and name the word lists it reads (`reads`: Arabic lexicon
categories as "lexicon:NAME", lists and patterns of data/words.json as "words:NAME" and "patterns:NAME",
English lexicon categories as "lexicon_en:NAME").
"""

from __future__ import annotations

from extractor.ar.rules import DECLARED as ARABIC
from extractor.en.rules import DECLARED as ENGLISH
from extractor.rule_ids import EXAMPLE_DAY, Rule, RuleId, Stage

_DECLARED: list[Rule] = [*ARABIC, *ENGLISH]
RULES: dict[RuleId, Rule] = {r.id: r for r in _DECLARED}


def stage_rules(stage: Stage, lang: str = "ar") -> list[Rule]:
    """The rules of one stage of one reader in the order they are tried (the first that fires decides)."""
    return [r for r in _DECLARED if r.stage is stage and r.lang == lang]


__all__ = ["EXAMPLE_DAY", "RULES", "Rule", "stage_rules"]
