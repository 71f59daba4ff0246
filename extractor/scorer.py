"""A learned second opinion on each incident the rules report: "is this a new attack on a coalition target?"

The rules find candidates with high recall; the press writes background attacks, strikes answered, attacks on
other forces and tallies in the same words, and no finite list of rules told them apart on outlets it had not
seen. This scorer is a logistic regression over how the press frames an incident (the rules' cue concepts found in
its evidence and just before it, how the evidence dates itself) and the incident's own facts (how far its date lies
from the publication date, whether a base is named, a count, a claim...), trained by
`tests/corpus/real/train_scorer.py` on labelled real articles. It reads no individual words: with a few hundred
labelled candidates, word weights learned which outlets and seasons said what, and left out of training a whole
later part of the corpus they scored it worse than the framing features alone (December 2026).
Its weights ship as `data/scorer.json`: a plain table of feature -> weight, so the extractor needs no learning
library, stays pure, and every decision can be explained by its largest contributions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from extractor.normalize import fold
from extractor.types import Incident

_CONTEXT_BEFORE = 160  # characters of the text before the evidence: "after", "last month", "in response to"
_SHORT = 700  # characters: below this an article is a bulletin or a post, not a story with background


# The rules' own cue lists, read as evidence rather than as vetoes: one feature name per concept in both
# languages, so what the model learns about "a background cue before the evidence" in Arabic helps English too.
_CUES_AR = {
    "background": ("background", "relative_background"), "us_strike": ("us_agent",),
    "other_forces": ("non_coalition_targets",), "threat": ("threat",), "drill": ("drill",),
    "uncertain": ("uncertain",), "claim_negative": ("claim_negative",), "intercept": ("intercept",),
    "foiled": ("foiled_prelaunch",),
}
_CUES_EN = {
    "background": ("background",), "us_strike": ("us_strike",), "other_forces": ("other_forces",),
    "threat": ("threat",), "drill": ("drill",), "claim_negative": ("claim_negative", "negation"),
    "intercept": ("intercept",),
}


def _cues(text: str, lang: str) -> set[str]:
    """The cue concepts present in `text`."""
    found: set[str] = set()
    if lang == "ar":
        from extractor.lexicon import lexicon

        plain = lexicon().plain
        folded = fold(text)
        for concept, keys in _CUES_AR.items():
            if any(plain[k].search(folded) for k in keys):
                found.add(concept)
    else:
        from extractor.en.lexicon import lexicon as en_lexicon
        from extractor.en.text import lower

        lex = en_lexicon()
        low = lower(text)
        for concept, keys in _CUES_EN.items():
            if any(lex[k].search(low) for k in keys):
                found.add(concept)
    return found


def _date_kinds(text: str, published: date, lang: str) -> set[str]:
    """How the evidence dates itself: by weekday, relative word, explicit day, month... or not at all.
    Fresh news anchors its attack in time ("on Tuesday", "أمس"); background is dated by month or "since"."""
    found: list[object]
    if lang == "ar":
        from extractor.dates import find_dates

        found = list(find_dates(fold(text), published))
    else:
        from extractor.en.dates import find_dates as find_en
        from extractor.en.text import lower

        found = list(find_en(lower(text), published))
    kinds = {str(getattr(d, "kind", "date")) for d in found}
    if any(getattr(d, "since", False) for d in found):
        kinds.add("since")
    return kinds or {"none"}


@dataclass(frozen=True, slots=True)
class Model:
    """The shipped weights: feature name -> weight, the bias, and the cut below which an incident is dropped."""

    weights: dict[str, float]
    bias: float
    threshold: float
    version: str


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The packaged model, or None when the package ships none (then every rule-found incident stays)."""
    path = resources.files("extractor").joinpath("data/scorer.json")
    if not path.is_file():
        return None
    raw = json.loads(path.read_text("utf-8"))
    return Model(
        weights={str(k): float(v) for k, v in raw["weights"].items()},
        bias=float(raw["bias"]),
        threshold=float(raw["threshold"]),
        version=str(raw.get("version", "")),
    )


def _days_bucket(published: date, when: date | None) -> str:
    if when is None:
        return "none"
    d = (published - when).days
    if d < 0:
        return "future"
    if d <= 1:
        return str(d)
    if d <= 3:
        return "2-3"
    if d <= 7:
        return "4-7"
    if d <= 31:
        return "8-31"
    return "older"


def _bucket(n: int | None, edges: Sequence[int]) -> str:
    if n is None:
        return "none"
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def features(inc: Incident, text: str, published: date, lang: str, siblings: int) -> dict[str, float]:
    """The incident's features: the cue concepts and date forms of its evidence and of the text just before it,
    and its facts.
    `siblings` is how many incidents the article yielded; `lang` is "ar" or "en"."""
    feats: dict[str, float] = {"bias_lang=" + lang: 1.0}

    def add(name: str, value: float = 1.0) -> None:
        feats[name] = feats.get(name, 0.0) + value

    ev = inc.evidence
    first = min((e.start for e in ev), default=0)
    seen: set[str] = set()
    before = text[max(0, first - _CONTEXT_BEFORE):first]
    evidence = " ".join(e.text for e in ev[:3])
    for cue in _cues(evidence, lang):
        seen.add(f"cue:{cue}@evidence")
    for cue in _cues(before, lang):
        seen.add(f"cue:{cue}@before")
    for kind in _date_kinds(evidence, published, lang):
        seen.add(f"dated:{kind}@evidence")
    for name in seen:
        add(name)
    add("days=" + _days_bucket(published, inc.date))
    add("weapon=" + str(inc.weapon))
    add("target=" + str(inc.target_kind))
    add("base=" + ("named" if inc.base else "none"))
    # No feature says where the attack was or how many it hurt: neither tells a new attack from an old one, and a
    # model that learned "many wounded is usually a look back" (the press retells its worst attacks for years) would
    # hold back the very alerts that matter most.
    add("count=" + _bucket(inc.count, (1, 3, 10)))
    add("intercepted=" + str(inc.intercepted))
    add("claimed=" + str(bool(inc.claimed_by)))
    add("launch=" + str(bool(inc.launch_site)))
    add("cited=" + _bucket(len(inc.sources), (0, 1)))
    if len(text) < _SHORT:
        # a bulletin or a channel post: one sentence is the whole story, so how many sentences support the
        # incident and where it stands say nothing (the corpus of full articles would read them as "a mention")
        add("article=short")
    else:
        add("evidence=" + _bucket(len(ev), (1, 2)))
        add("siblings=" + _bucket(siblings, (1, 2, 4)))
        add("position=" + _bucket(int(10 * first / max(len(text), 1)), (0, 2, 5)))
    return feats


def probability(feats: dict[str, float], m: Model) -> float:
    """The model's probability that the incident is a new attack on a coalition target."""
    z = m.bias + sum(m.weights.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def contributions(feats: dict[str, float], m: Model, top: int = 6) -> list[tuple[str, float]]:
    """The features that moved the decision most, largest first: the scorer's explanation."""
    parts = [(k, m.weights.get(k, 0.0) * v) for k, v in feats.items() if m.weights.get(k)]
    return sorted(parts, key=lambda kv: -abs(kv[1]))[:top]


def rescore(
    incidents: list[Incident], text: str, published: date, lang: str, m: Model | None = None
) -> list[tuple[Incident, float, bool]]:
    """Each incident with the model's probability and whether it stays (probability at or above the cut).
    Without a model every incident stays with its rule confidence."""
    m = m if m is not None else model()
    if m is None:
        return [(inc, inc.confidence, True) for inc in incidents]
    out: list[tuple[Incident, float, bool]] = []
    for inc in incidents:
        if inc.is_claim or len(text) < _SHORT:
            # a group's own claim post is read by its own genre rules, and a bulletin or a channel post is not
            # the full article the scorer learned from: the rules' reading stands
            out.append((inc, inc.confidence, True))
            continue
        p = probability(features(inc, text, published, lang, len(incidents)), m)
        out.append((inc, p, p >= m.threshold))
    return out


__all__ = ["Model", "contributions", "features", "model", "probability", "rescore"]
