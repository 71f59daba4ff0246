"""The reading's trace: for each clause read, the rules that fired on it in order, and what came of it.

The reader always records rule ids (a list append per decision, cheap enough for the service's path); only
`explain` turns the record into ClauseTrace values with quotes and outcomes. Rejected mentions stay in the
trace: "which rule threw this one away?" is the question tuning asks most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from extractor.rule_ids import RuleId

if TYPE_CHECKING:
    from extractor.merge import Mention
    from extractor.types import Incident


class Outcome(StrEnum):
    """What came of a clause."""

    REPORTED = "reported"  # part of an incident
    REJECTED = "rejected"  # a background, assert or exclusion rule left it out
    SUMMARY = "summary"  # a review or tally-like mention: it informs, it opens no incident
    HEADING = "heading"  # a headline's mention that joined no incident
    FOLLOW_UP = "follow-up"  # its facts went to an attack told before
    FACTS = "facts"  # a sentence with no report of its own whose facts went to the attack before
    DROPPED = "dropped"  # a live mention the merge turned into no incident
    NOT_A_REPORT = "not a report"  # no attack word, or nothing a coalition target


@dataclass(frozen=True, slots=True)
class MentionView:
    """The facts read from one clause (a mention), as explain shows them."""

    place_id: str | None
    country: str | None
    target_kind: str
    date: date | None
    weapon: str
    count: int | None
    killed: int | None
    wounded: int | None
    claimed_by: str | None
    launch_site: str | None
    excluded: RuleId | None
    incident: int | None


@dataclass(frozen=True, slots=True)
class ClauseTrace:
    """One clause (or sentence) read: its span in the caller's text, the rules fired in order, the outcome.

    `start`/`end` are offsets in the text given to `explain` ((0, 0) for the separately given title);
    `decided_by` is the rule that settled the outcome when one did; `incidents` index the incidents
    `extract` returns for the same input (two when a clause names two sites: "عين الأسد وأربيل").
    """

    sentence: int
    start: int
    end: int
    quote: str
    rules: tuple[RuleId, ...]
    outcome: Outcome
    decided_by: RuleId | None = None
    mentions: tuple[MentionView, ...] = ()
    incidents: tuple[int, ...] = ()


@dataclass
class Entry:
    """A clause being read: where it is (folded-text offsets) and the rules fired on it so far."""

    sentence: int
    start: int
    end: int
    rules: list[RuleId] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts_to: list[int] = field(default_factory=list)  # entries whose mentions took this one's facts
    not_a_report: bool = False


@dataclass(frozen=True, slots=True)
class Scored:
    """The scorer's verdict on one incident the rules found: probability, kept or dropped, and why."""

    incident: Incident
    probability: float
    kept: bool
    reasons: tuple[tuple[str, float], ...] = ()


class Tracer:
    """Collects the rules fired while one article is read, clause by clause, when `detail` is on (`explain`);
    otherwise it only remembers the sentence being read (for the error a crash raises) and discards the rest,
    so that `extract` pays almost nothing for the trace."""

    __slots__ = ("current", "detail", "entries", "lang", "prefix", "scored", "sentence")

    def __init__(self, detail: bool = False) -> None:
        self.detail = detail
        self.prefix = 0  # length of the title put before the text (offsets shift back by it)
        self.entries: list[Entry] = []
        self.current: list[RuleId] = []
        self.sentence: int | None = None  # the sentence being read
        # the learned scorer's verdict on each incident the rules found, in their order (extractor.scorer)
        self.scored: list[Scored] = []
        # the reader that recorded: "ar" offsets are in the normalised text, "en" offsets in the text as given
        self.lang = "ar"

    def clause(self, sentence: int, start: int, end: int) -> int:
        """Open an entry for a clause; rules fired from now on are recorded on it. Returns its index (-1 when
        the tracer keeps no detail: rules are then fired into a scratch list)."""
        self.sentence = sentence
        if not self.detail:
            self.current = []
            return -1
        e = Entry(sentence, start, end)
        self.entries.append(e)
        self.current = e.rules
        return len(self.entries) - 1

    def sentence_entry(self, sentence: int, start: int, end: int) -> int:
        """The entry of a whole sentence read for its facts: the one its clause reading left, else a new one."""
        if self.detail and self.entries:
            last = self.entries[-1]
            if last.sentence == sentence and not last.mentions and (last.start, last.end) == (start, end):
                self.current = last.rules
                return len(self.entries) - 1
        return self.clause(sentence, start, end)

    def fire(self, rule: RuleId) -> None:
        """Record a rule on the clause being read."""
        self.current.append(rule)

    def fire_on(self, m: Mention, rule: RuleId) -> None:
        """Record a rule that changed a mention read earlier (a claim carried to it, its date inherited)."""
        if 0 <= m.clause < len(self.entries):
            self.entries[m.clause].rules.append(rule)


__all__ = ["ClauseTrace", "Entry", "MentionView", "Outcome", "Scored", "Tracer"]
