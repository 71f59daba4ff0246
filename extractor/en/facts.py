"""Facts read from one English clause: counts of weapons, killed and wounded, claims, launch sites.

Pure functions over lower-cased text (the launch site reads the original case to keep the name's spelling).
"""

from __future__ import annotations

import re

from extractor.en.lexicon import lexicon
from extractor.place_names import arabic_place_name

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a dozen": 12, "dozen": 12, "two dozen": 24, "a pair of": 2, "pair of": 2, "a couple of": 2, "both": 2,
    "single": 1, "a single": 1,
}
_NUM = r"(?:\d{1,3}|" + "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True)) + ")"
_QUAL = r"(?:(?:at least|more than|over|about|around|some|nearly|almost|roughly|up to|as many as|a total of)\s+)"
_WEAPON_NOUN = (r"(?P<noun>rockets?|katyushas?|projectiles?|missiles?|mortars?|mortar rounds?|mortar shells?|shells"
                r"|drones?|uavs?|unmanned aerial vehicles?|roadside bombs?|ieds?|explosive devices?|bombs?)")
_COUNT_RE = re.compile(
    rf"(?<![\w-])(?:a (?:barrage|volley|salvo|series|wave) of\s+)?{_QUAL}?(?P<n>{_NUM}|an?|another)"
    rf"(?:\s+(?!and\b|or\b|of\b|attacks\b)[\w'-]+){{0,3}}?\s+{_WEAPON_NOUN}(?![\w])"
    r"(?!\s+(?:and|or)\s+[\w-]+\s+attacks|\s+(?:barrages?|salvos?|salutes?|volleys?|launchers?|fire|program|programs|strikes|units?)\b)"
    r"(?P<attacks>\s+attacks?)?"
)
# one weapon told with the definite article ("the drone was carrying explosives", "the armed drone"): one, vaguely,
# when the clause counts nothing else; never the weapon as an attack ("the drone attack", "the rocket strikes")
_THE_RE = re.compile(
    r"(?<![\w-])the\s+(?:(?!us\b|u\.s\.|american|israeli|turkish)[\w-]+\s+)?"
    r"(?P<noun>rocket|katyusha|missile|drone|uav|mortar shell|mortar round|roadside bomb)(?![\w-])"
    r"(?!\s+(?:attacks?|strikes?|barrages?|salvos?|launchers?|fire|program|programs|units?|war|threat|campaign)\b)"
)
_NOUN_FAMILY = {
    "rocket": "rocket", "katyusha": "rocket", "projectile": "rocket", "missile": "missile", "mortar": "mortar",
    "shell": "mortar", "drone": "drone", "uav": "drone", "unmanned": "drone", "roadside": "ied", "ied": "ied",
    "explosive": "ied", "bomb": "ied",
}
_PEOPLE = (r"(?:people|persons?|civilians?|troops|soldiers?|service ?members?|servicemembers?|personnel|americans?"
           r"|u\.s\.|us|contractors?|employees?|members?|others?|british|briton|iraqis?|workers?|guards?|staff"
           r"|marines?|sailors?|airmen|forces|individuals|coalition|them)")
_BE = (r"(?:(?:were|was|are|is|have|has|had)\s+(?:also\s+|reportedly\s+|since\s+|now\s+)?(?:been\s+)?"
       r"|(?:(?:are|is|were|was)\s+)?(?:believed|reported|said|thought|confirmed) to have been\s+"
       r"|reported\s+|being\s+)")
_ONE = (r"(?:contractor|soldier|service ?member|servicemember|civilian|american|sailor|marine|airman|employee|worker"
        r"|guard|person|member|officer|national)")
_WORD = r"(?:\s+(?!(?:were|was|are|is|killed|wounded|injured|dead|and)\b)[\w.'-]+)"
# "two fighters of the partner force were hurt": the people, then whose they are
_SUBJECT = (rf"(?P<subj>{_QUAL}?{_NUM}{_WORD}{{0,4}}?(?:\s+of\s+the{_WORD}{{1,4}}?)?"
            rf"(?:\s+and\s+(?:an?|{_NUM}){_WORD}{{0,3}}?)?)")
# "a girl and a woman were injured": two people, each told with "a"
_PAIR = (r"(?<![\w-])an?\s+(?:[\w-]+\s+)?(?:girl|boy|woman|man|child|policeman|" + _ONE[3:-1] + r")\s+and\s+an?\s+"
         r"(?:[\w-]+\s+)?(?:girl|boy|woman|man|child|policeman|" + _ONE[3:-1] + r")\s+(?:were|have been|had been)\s+"
         r"(?:\w+\s+)?")
_KILLED_RE = [
    re.compile(_PAIR + r"(?P<two>killed)(?![\w])"),
    re.compile(rf"(?<![\w-]){_SUBJECT}\s+{_BE}?\s*(?:killed|dead)(?![\w])"),
    re.compile(rf"(?<![\w-])an?\s+(?:[\w.'-]+\s+){{0,4}}?{_ONE}(?:\s+[\w.',-]+){{0,8}}?\s+(?:was|has been|had been)\s+"
               r"(?:\w+\s+)?(?P<one>killed)(?![\w])"),
    re.compile(rf"(?<![\w-])(?:killed|killing)\s+(?:of\s+)?{_QUAL}?(?P<n>{_NUM}|an?)(?:\s+[\w.'-]+){{0,3}}?\s+{_PEOPLE}"),
    re.compile(rf"(?<![\w-])killing\s+{_QUAL}?(?P<n>{_NUM})(?=\s*(?:[,;.]|and\b|$))"),
    re.compile(rf"(?<![\w-])killing\s+(?:[\w.'-]+\s+)?(?P<one>{_ONE})(?![\w])"),  # headline: "killing contractor"
    # a death not by the blast itself: "a contractor ... suffered a heart attack and died"
    re.compile(rf"(?<![\w-])an?\s+(?:[\w.'-]+\s+){{0,4}}?{_ONE}(?:\s+[\w.',-]+){{0,8}}?\s+(?:later\s+)?(?P<one>died)(?![\w])"),
    # the toll as a noun: "caused the death of a guard", "the deaths of three soldiers"
    re.compile(rf"(?<![\w-])deaths?\s+of\s+{_QUAL}?(?P<n>{_NUM}|an?)(?:\s+[\w.'-]+){{0,3}}?\s+(?:{_PEOPLE}|{_ONE})(?![\w])"),
]
_WOUNDED_RE = [
    re.compile(_PAIR + r"(?P<two>wounded|injured|hurt)(?![\w])"),
    re.compile(rf"(?<![\w-]){_SUBJECT}\s+(?:{_BE}|other)?\s*(?:wounded|injured|hurt)(?![\w])"),
    re.compile(rf"(?<![\w-])an?\s+(?:[\w.'-]+\s+){{0,4}}?{_ONE}(?:\s+[\w.',-]+){{0,8}}?\s+(?:was|has been|had been)\s+"
               r"(?:\w+\s+)?(?P<one>wounded|injured|hurt)(?![\w])"),
    re.compile(rf"(?<![\w-])(?:wounding|injuring|wounded|injured)\s+{_QUAL}?(?P<n>{_NUM}|an?)(?:\s+other)?"
               rf"(?:\s+[\w.'-]+){{0,3}}?\s+{_PEOPLE}"),
    re.compile(rf"(?<![\w-])(?:wounding|injuring)\s+{_QUAL}?(?P<n>{_NUM})(?=\s*(?:[,;.]|and\b|others?\b|$))"),
    re.compile(rf"(?<![\w-])left\s+{_QUAL}?(?P<n>{_NUM})(?:\s+[\w.'-]+){{0,3}}?\s+with\s+(?:\w+\s+){{0,3}}injur"),
    re.compile(rf"(?<![\w-]){_SUBJECT}\s+(?:suffered|sustained|were treated for|with)\s+(?:[\w-]+\s+){{0,3}}"
               r"(?:injur|wounds|concussion)"),
    re.compile(rf"(?<![\w-])(?P<n>{_NUM})\s+(?:other\s+)?(?:wounded|injured)(?![\w])"),
]
_LAUNCH_RE = re.compile(
    r"(?i:(?:fired|launched|came)\s+from\s+(?:inside\s+|the\s+)?(?:(?:iraqi|syrian)\s+(?:town|village|area|city)\s+of\s+"
    r"|iraq's\s+|syria's\s+|(?:north|south)?(?:western|eastern|ern)\s+|the\s+(?:town|village|area)\s+of\s+)?)"
    r"(?P<site>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)"
)


_NONE_BEFORE = re.compile(r"(?<![\w-])(?:no|not)\s+$")  # "no one was hurt", "not one soldier was killed"
_MORE = re.compile(r"\b(?:more|other|additional|further)\b")
_CASUALTY_WORD = re.compile(r"kill|dead|died|death|wound|injur|hurt|harm|casualt|fatalit|losses|material damage"
                            r"|failed to")
# a toll someone denies ("denied claims that the attack caused the deaths of two soldiers"): none were killed
_DENIED_DEATHS = re.compile(r"\bden(?:y|ies|ied|ying) (?:the )?(?:claims?|reports?) that\b"
                            r".{0,100}?\b(?:deaths? of|killed)\b")
_WOUND_WORD = re.compile(r"wound|injur|hurt|concussion")
_NOT_A_TOLL = re.compile(r"\b(?:rockets?|missiles?|drones?|times|(?<!heart )attacks?)\b")  # 'a heart attack' is a toll
_LADEN_DRONE = re.compile(r"[\s-]*(?:laden|packed|rigged|loaded|carrying)?[\s-]*(?:drones?|uavs?)\b")
_WEAPON_WORD = re.compile(r"rocket|katyusha|projectile|missile|mortar|shell|drone|uav|unmanned|bomb|ied|explosive")
_CLAIM_WORD = re.compile(r"claim|credit|responsib|said|announc|mounted|launched|carried out|fired")


def number(word: str) -> int | None:
    """'15' → 15, 'three' → 3, 'a dozen' → 12, 'a' → 1."""
    w = word.strip()
    if w.isdigit():
        return int(w)
    if w in ("a", "an", "another"):
        return 1
    return NUMBER_WORDS.get(w)


# a clock time is no head count ("at 10 pm", "around 11:30 p.m."); a negated subject ("... left no one hurt") is none
_CLOCK_AFTER = re.compile(r"\s*(?::\d\d\s*)?(?:[ap]\.?m\b\.?|o'clock\b|hours?\b|hrs\b|local time\b|gmt\b)")
_NEGATED_SUBJECT = re.compile(r"(?<![\w-])(?:no|not|none|nobody|without)(?![\w-])")


def _subject_total(subj: str) -> int | None:
    """'two americans and one british service member' → 3; 'about a dozen people' → 12."""
    total = 0
    found = False
    for m in re.finditer(rf"(?<![\w-])({_NUM}|an?)(?![\w-])", subj):
        n = number(m.group(1))
        if n is None or _CLOCK_AFTER.match(subj, m.end()):
            continue
        if m.group(1) in ("a", "an") and found:
            n = 1
        total += n
        found = True
    return total if found else None


def weapon_counts(low: str) -> list[tuple[int, str, int, bool]]:
    """(position, weapon family, number, vague) for every counted weapon ('a drone' is vague: 1)."""
    out: list[tuple[int, str, int, bool]] = []
    if not _WEAPON_WORD.search(low):
        return out
    for m in _COUNT_RE.finditer(low):
        n = number(m.group("n"))
        if n is None or n == 0 or n > 200:
            continue
        noun = m.group("noun")
        fam = next((v for k, v in _NOUN_FAMILY.items() if noun.startswith(k)), "")
        if not fam:
            continue
        vague = m.group("n") in ("a", "an", "another")
        if vague and fam == "ied":
            if not _LADEN_DRONE.match(low, m.end()):
                continue  # "a roadside bomb": the house counts projectiles and drones; one bomb in the singular, none
            fam = "drone"  # "a bomb-laden drone" is one drone
        if m.group("attacks") and not (m.group("n") in ("a", "an") and fam == "drone"):
            continue  # "two drone attacks", "a rocket attack", "another drone attack": attacks ("a drone attack": one)
        if vague and noun.endswith("s") and not noun.endswith("ss"):
            continue  # "a ... rockets": not a count
        if not vague and _MORE.search(m.group(0)) and out and out[-1][1] == fam and not out[-1][3]:
            pos, _, before, _ = out[-1]
            out[-1] = (pos, fam, before + n, False)  # "three rockets ... and two other rockets": five
            continue
        out.append((m.start(), fam, n, vague))
    if not out:
        for m in _THE_RE.finditer(low):
            noun = m.group("noun")
            fam = next((v for k, v in _NOUN_FAMILY.items() if noun.startswith(k)), "")
            if fam:
                out.append((m.start(), fam, 1, True))
                break
    return out


def casualties(low: str) -> tuple[int | None, int | None]:
    """(killed, wounded) a clause states; 0 where it says there were none; None where it says nothing."""
    lex = lexicon()
    killed: int | None = None
    wounded: int | None = None
    low = low.replace("causalit", "casualt")  # a common misspelling in translated copy
    if not _CASUALTY_WORD.search(low):
        return None, None
    for rx in _KILLED_RE if ("kill" in low or "dead" in low or "died" in low or "death" in low) else ():
        for m in rx.finditer(low):
            g = m.groupdict()
            n = 2 if g.get("two") else 1 if g.get("one") else _subject_total(g["subj"]) if g.get("subj") \
                else number(g["n"])
            if _NONE_BEFORE.search(low, max(0, m.start() - 8), m.start()) or (
                g.get("subj") and _NEGATED_SUBJECT.search(g["subj"])
            ):
                continue  # "no one was killed", "the blast at 10 pm left no one dead": none
            if n is not None and 0 < n < 1000 and not _NOT_A_TOLL.search(m.group(0)):
                killed = max(killed or 0, n)
    for rx in _WOUNDED_RE if _WOUND_WORD.search(low) else ():
        for m in rx.finditer(low):
            g = m.groupdict()
            n = 2 if g.get("two") else 1 if g.get("one") else _subject_total(g["subj"]) if g.get("subj") \
                else number(g["n"])
            if _NONE_BEFORE.search(low, max(0, m.start() - 8), m.start()) or (
                g.get("subj") and _NEGATED_SUBJECT.search(g["subj"])
            ):
                continue  # "no one was hurt", "the blast at 10 pm left no one hurt": none
            if n is not None and 0 < n < 1000 and not _NOT_A_TOLL.search(m.group(0)):
                wounded = max(wounded or 0, n)
    denial = lex["no_casualties"].search(low)
    if denial:
        if killed is None and not (wounded and _WOUND_WORD.search(denial.group(0))):
            killed = 0  # but "two guards were hurt; no U.S. troops were hurt" leaves the dead untold
        if wounded is None:
            wounded = 0
    elif _DENIED_DEATHS.search(low):
        killed = 0
    elif killed is None and lex["no_deaths"].search(low):
        killed = 0  # "no one was killed", "without causing any death": the wounded stay untold
    return killed, wounded


def claimant(low: str) -> str | None:
    """The group an explicit claim in this sentence names (blame and denials are not claims)."""
    lex = lexicon()
    if not _CLAIM_WORD.search(low):
        return None
    if not lex["claim"].search(low) and not re.search(
        r"\b(?:mounted|launched|carried out|fired)\b.{0,40}"
        r"\b(?:the attack|the operation|the strike|missiles?|a missile)",
        low,
    ):
        return None
    if lex["claim_negative"].search(low):
        return None
    best: tuple[int, str] | None = None
    for name, rx in lex.named["claimants"].items():
        m = rx.search(low)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def sources(low: str) -> list[str]:
    """Outlets and officials a sentence cites, by their canonical names."""
    return lexicon().names("sources", low)


def launch_site(original: str) -> str | None:
    """The place rockets or drones were fired from, when it is a place with a known Arabic name (so that the
    Arabic alert can name it too): "fired from Iraq's Zummar" → "Zummar", "from inside Iran" → "Iran"."""
    m = _LAUNCH_RE.search(original)
    if not m:
        return None
    words = m.group("site").split()
    for site in (" ".join(words), words[0]):
        if arabic_place_name(site) is not None:
            return site
    return None


__all__ = ["casualties", "claimant", "launch_site", "number", "sources", "weapon_counts"]
