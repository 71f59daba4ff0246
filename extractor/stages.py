"""A stage of the reader as an ordered list of registered rules: the first rule that fires decides.

A rule is a small function of the clause that returns the RuleId it decides with, or None to pass the clause
on to the next rule. A rejecting id ends the stage with that id; a sparing id (SP_...) ends it with the
clause kept, and is traced. Spares that only stop one cue inside a rule (a time phrase, a flying aircraft)
fire from inside that rule. `extractor.rules` declares every id; a test checks that each stage's order here
is the order declared there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from extractor.rule_ids import RuleId, Stage

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class StageRule(Generic[C]):
    """One registered rule: the ids it may return, and the function that decides."""

    ids: tuple[RuleId, ...]
    decide: Callable[[C], RuleId | None]


class StageRules(Generic[C]):
    """The ordered rules of one stage."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.rules: list[StageRule[C]] = []

    def rule(self, *ids: RuleId) -> Callable[[Callable[[C], RuleId | None]], Callable[[C], RuleId | None]]:
        """Register the decorated function as the stage's next rule, returning one of `ids` when it fires."""
        def register(fn: Callable[[C], RuleId | None]) -> Callable[[C], RuleId | None]:
            self.rules.append(StageRule(ids, fn))
            return fn
        return register

    def run(self, clause: C, fire: Callable[[RuleId], None]) -> RuleId | None:
        """The rejecting id of the first rule that fires; None when none does or a spare settles the clause."""
        for r in self.rules:
            got = r.decide(clause)
            if got is None:
                continue
            if got.startswith("SP_"):
                fire(got)
                return None
            return got
        return None

    def ids(self) -> list[RuleId]:
        """Every id the stage's rules may return, in the order they are tried."""
        return [i for r in self.rules for i in r.ids]


__all__ = ["StageRule", "StageRules"]
