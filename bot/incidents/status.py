"""How sure we are of an incident, and who says so: the status ladder, a pure function of its reports.

Most false alerts come from one misread article, which a second *independent* outlet rarely repeats, so
independence is counted carefully: one outlet's feeds and mirrors are one registered domain, and copies of
one wire story (the same agency cited, near-identical wording; or a near-verbatim copy that drops the
agency's name) count once. And only a report that tells the attack as news vouches for it: an article that
recalls it in the background ("the attack last month"), or that the extractor read with more doubt than
belief, keeps the incident at `reported` but neither corroborates nor confirms it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urlsplit

import tldextract
from rapidfuzz import fuzz

from extractor.attribution import Attribution, SourceKind, Stance, attribute


class Status(StrEnum):
    """How sure we are; `disputed` is shown, never dropped."""

    CLAIMED = "claimed"
    REPORTED = "reported"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


RANK: Final[dict[Status, int]] = {
    Status.CLAIMED: 0,
    Status.REPORTED: 1,
    Status.CORROBORATED: 2,
    Status.CONFIRMED: 3,
    Status.DISPUTED: 1,  # a denied report was still reported: it stays with those who already have it
}
"""Order of certainty, for "alert me from" levels."""

WIRE_SIMILARITY: Final[float] = 85.0
"""rapidfuzz token-set ratio above which two reports citing the same agency are one wire story."""

COPY_SIMILARITY: Final[float] = 90.0
"""rapidfuzz ratio (the whole wording, in order) above which two reports are one story copied, though
at most one of them names the agency it came from."""

VOUCH_CONFIDENCE: Final[float] = 0.5
"""The extractor's confidence that a report tells this attack as news, below which the report does not
vouch for it (it neither corroborates nor confirms). 0.5 is "more likely than not", not a fitted cut."""


@lru_cache(maxsize=1)
def _psl() -> tldextract.TLDExtract:
    # The bundled Public Suffix List snapshot only: no fetch, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


_TELEGRAM_HOSTS: Final[frozenset[str]] = frozenset({"t.me", "telegram.me", "www.t.me", "telegram.dog"})
"""Hosts of Telegram's public channel links: there each channel is its own outlet, not the domain."""


def outlet_of(url: str, source: str | None = None) -> str:
    """The outlet a report comes from: the registered domain of its link, else the source name given.

    A Telegram channel's post (`https://t.me/NAME/ID`) comes from the channel, `t.me/name`: every
    channel shares Telegram's domain, and two channels are two voices.
    """
    parts_ = urlsplit(url)
    host = (parts_.hostname or "").lower()
    if host in _TELEGRAM_HOSTS:
        channel = parts_.path.strip("/").split("/")
        name = channel[1] if channel[0] == "s" and len(channel) > 1 else channel[0]
        return f"t.me/{name.lower()}" if name else "t.me"  # a bare Telegram link: Telegram itself
    if host:
        parts = _psl()(host)
        if parts.domain and parts.suffix:
            return f"{parts.domain}.{parts.suffix}"
        if parts.ipv4 or ":" in host:
            return host  # an address: the host itself
        # No public suffix (a reserved name such as .example or .test, an intranet name): its last two labels,
        # so that feeds.outlet.example and www.outlet.example are still one outlet.
        return ".".join(host.split(".")[-2:])
    return (source or url).strip().lower()


@dataclass(frozen=True, slots=True)
class Report:
    """What the ladder needs of one report: where from, when, what it says, and its wording."""

    outlet: str
    at: datetime
    attribution: Attribution
    wording: str = ""
    url: str = ""
    confidence: float = 1.0  # the extractor's confidence in its reading (`Incident.confidence`)

    @property
    def vouches(self) -> bool:
        """Whether this report can count as a voice for the attack: read as news with confidence."""
        return self.confidence >= VOUCH_CONFIDENCE


def report_of(url: str, source: str | None, text: str, at: datetime, extracted: Mapping[str, Any]) -> Report:
    """A stored report (its article and what the extractor read, `incident_to_dict`'s shape) for the ladder.

    A report read from a claimant's own channel (`is_claim`, set by the claim reader) is the group's claim
    whatever its wording (a denial it quotes is the group's word, not an official's): its stance is
    claim-only, so such an incident starts at `claimed`. A reading without a confidence (stored before the
    scorer gave one) vouches."""
    evidence = [str(e) for e in extracted.get("evidence") or []]
    sources = [str(x) for x in extracted.get("sources") or []]
    claimed = extracted.get("claimed_by")
    kind = extracted.get("target_kind")
    attribution = attribute(
        text, evidence, sources, str(claimed) if claimed else None, kind if isinstance(kind, str) else None
    )
    if extracted.get("is_claim") is True:
        # A claimant's own post (read by extract_claims) is a claim whatever its wording: only the claimant
        # says so, even when it names no "claim" word the news-article cues look for.
        attribution = replace(attribution, stance=Stance.CLAIM_ONLY)
    conf = extracted.get("confidence")
    confidence = float(conf) if isinstance(conf, int | float) and not isinstance(conf, bool) else 1.0
    return Report(outlet_of(url, source), at, attribution, " ".join(evidence) or text[:1000], url, confidence)


@dataclass(frozen=True, slots=True)
class Rung:
    """A rung of the ladder: a level and when the incident reached it."""

    status: Status
    at: datetime


def _one_voice(a: Report, b: Report) -> bool:
    """Same outlet, or the same wire story: the same agency cited and near-identical wording, or a
    near-verbatim copy where at most one of the two names its agency (a copy that dropped the credit)."""
    if a.outlet == b.outlet:
        return True
    if not (a.wording and b.wording):
        return False
    agency_a, agency_b = a.attribution.agency, b.attribution.agency
    if agency_a and agency_a == agency_b:
        return fuzz.token_set_ratio(a.wording, b.wording) >= WIRE_SIMILARITY
    if agency_a and agency_b:
        return False  # two agencies named: two stories, however alike
    return fuzz.ratio(a.wording, b.wording) >= COPY_SIMILARITY


def _independent(reports: Sequence[Report]) -> int:
    """How many independent voices report as fact: distinct outlets, wire copies folded into one."""
    voices: list[Report] = []
    for r in reports:
        if not any(_one_voice(r, v) for v in voices):
            voices.append(r)
    return len(voices)


def status_of(reports: Sequence[Report]) -> Status:
    """The incident's status now (see `ladder`)."""
    steps = ladder(reports)
    return steps[-1].status if steps else Status.REPORTED


def ladder(reports: Sequence[Report]) -> list[Rung]:
    """Each level the incident reached, in the order and at the time it reached it.

    claimed: only claimants say so; reported: one outlet as fact; corroborated: two or more independent
    outlets; confirmed: an official confirms; disputed: an official denies it after it was reported (a later
    official confirmation lifts it back to confirmed). Reports are read in time order. Only reports that
    vouch (told as news, read with confidence) count toward corroboration or confirm; the others still make
    the incident `reported` (an official's confirmation in such a report counts as a plain report).
    """
    steps: list[Rung] = []
    factual: list[Report] = []
    current: Status | None = None

    def reach(s: Status, at: datetime) -> None:
        nonlocal current
        if s != current:
            steps.append(Rung(s, at))
            current = s

    for r in sorted(reports, key=lambda r: r.at):
        st = r.attribution.stance
        if st is Stance.OFFICIAL_DENIAL:
            reach(Status.DISPUTED, r.at)
            continue
        if st is Stance.OFFICIAL_CONFIRMATION and r.vouches:
            factual.append(r)
            reach(Status.CONFIRMED, r.at)
            continue
        if st is Stance.CLAIM_ONLY:
            if current is None:
                reach(Status.CLAIMED, r.at)
            continue
        factual.append(r)
        if current in (Status.CONFIRMED, Status.DISPUTED):
            continue
        voices = _independent([f for f in factual if f.vouches])
        reach(Status.CORROBORATED if voices >= 2 else Status.REPORTED, r.at)
    return steps


def reached(steps: Sequence[Rung], level: Status) -> datetime | None:
    """When the incident first reached `level` or above (None if never): a chat at that level gets it then."""
    for s in steps:
        if s.status is not Status.DISPUTED and RANK[s.status] >= RANK[level]:
            return s.at
    return None


def admits(status: Status | str, min_status: str = Status.REPORTED.value, include_claims: bool = False) -> bool:
    """Whether a chat whose "alert me from" level is `min_status` gets an incident at `status` now.

    Claims reach a chat only when it switched them on; `disputed` reaches "any report" chats (it was
    reported), never chats waiting for corroboration or confirmation.
    """
    st = Status(status)
    if st is Status.CLAIMED:
        return include_claims and Status(min_status) in (Status.CLAIMED, Status.REPORTED)
    floor = Status(min_status) if min_status != Status.CLAIMED.value else Status.REPORTED
    if st is Status.DISPUTED:
        return floor is Status.REPORTED
    return RANK[st] >= RANK[floor]


_KIND_ORDER: Final[dict[SourceKind, int]] = {
    SourceKind.OFFICIAL: 0,
    SourceKind.AGENCY: 1,
    SourceKind.MONITOR: 2,
    SourceKind.ANONYMOUS: 3,
    SourceKind.CLAIMANT: 4,
}


def attributions(reports: Sequence[Report]) -> list[tuple[str, SourceKind]]:
    """Everyone who vouches, most authoritative first: the cited sources, then the outlets themselves."""
    seen: dict[str, SourceKind] = {}
    for r in sorted(reports, key=lambda r: r.at):
        for name, kind in r.attribution.cited:
            seen.setdefault(name, kind)
    for r in sorted(reports, key=lambda r: r.at):  # an outlet that only carries a claim speaks for the claimant
        claim = r.attribution.stance is Stance.CLAIM_ONLY
        seen.setdefault(r.outlet, SourceKind.CLAIMANT if claim else SourceKind.MONITOR)
    return sorted(seen.items(), key=lambda nk: _KIND_ORDER[nk[1]])


__all__ = [
    "COPY_SIMILARITY",
    "RANK",
    "VOUCH_CONFIDENCE",
    "Report",
    "Rung",
    "Status",
    "admits",
    "attributions",
    "ladder",
    "outlet_of",
    "reached",
    "report_of",
    "status_of",
]
