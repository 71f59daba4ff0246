"""The names of the readers' rules: every decision that keeps, drops or changes a mention records one.

A name, not a sentence: traces, tests and logs compare them, and tuning on real articles asks "which rule
decided this?" dozens of times a day. What each rule does, the stage it runs in and the sentences it must
fire on or spare are declared in `extractor.rules`. The English reader's rules carry EN after their stage
prefix (EX_EN_US_STRIKE): the two readers decide with different code, so a trace names the reader as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Stage(StrEnum):
    """Where in the reading a rule runs; within one stage the first rule that fires decides."""

    CLAUSE = "clause"  # is this clause an attack report at all, and what is its shape
    ASSERT = "assert"  # does the sentence assert anything as news
    BACKGROUND = "background"  # is the attack told as news or as background
    EXCLUSION = "exclusion"  # is it an attack on the coalition (not by it, not a threat, not a drill ...)
    FACTS = "facts"  # facts read from the clause (weapon by range)
    DISCOURSE = "discourse"  # state carried from sentence to sentence (claims, follow-ups, dates)
    MERGE = "merge"  # from mentions to incidents


class RuleId(StrEnum):
    """One rule of the reader. Rules whose name starts with SP_ spare: they stop a rejecting rule from firing."""

    # clause: whether a clause is an attack report, and its shape
    CL_NO_ATTACK_WORD = "CL_NO_ATTACK_WORD"
    CL_NEGATED = "CL_NEGATED"
    CL_WEAK_NO_WEAPON = "CL_WEAK_NO_WEAPON"
    CL_NO_TARGET = "CL_NO_TARGET"
    CL_FURNITURE = "CL_FURNITURE"
    CL_SPLIT_SENTENCE = "CL_SPLIT_SENTENCE"
    CL_SAME_PLACE = "CL_SAME_PLACE"
    CL_SITE_LIST = "CL_SITE_LIST"
    CL_PLURAL_ONLY = "CL_PLURAL_ONLY"
    CL_GENERIC_TARGETS = "CL_GENERIC_TARGETS"
    CL_CONVOY_TOWN = "CL_CONVOY_TOWN"
    CL_SPLIT_BY_SITE = "CL_SPLIT_BY_SITE"
    CL_SPLIT_CONVOYS = "CL_SPLIT_CONVOYS"
    CL_HEADING = "CL_HEADING"
    CL_HEADING_TWO_TARGETS = "CL_HEADING_TWO_TARGETS"
    # assert: the sentence asserts nothing as news
    AS_QUESTION = "AS_QUESTION"
    AS_RETRACTED = "AS_RETRACTED"
    # background: the attack is told as old news
    BG_ANNIVERSARY = "BG_ANNIVERSARY"
    BG_OLD_DATE = "BG_OLD_DATE"
    BG_FUTURE_MONTH = "BG_FUTURE_MONTH"
    BG_PROGRESSIVE = "BG_PROGRESSIVE"
    BG_RELATIVE_EARLIER = "BG_RELATIVE_EARLIER"
    BG_PLUPERFECT = "BG_PLUPERFECT"
    BG_RELATIVE_TIME = "BG_RELATIVE_TIME"
    BG_CUE = "BG_CUE"
    BG_TALLY = "BG_TALLY"
    SP_FUTURE_DAY = "SP_FUTURE_DAY"
    SP_RECENT_DATE = "SP_RECENT_DATE"
    SP_SINCE_ORDINAL = "SP_SINCE_ORDINAL"
    SP_SINCE_TODAY = "SP_SINCE_TODAY"
    # exclusion: not an attack on the coalition
    EX_US_STRIKE = "EX_US_STRIKE"
    SP_RESPONSE = "SP_RESPONSE"
    SP_TIME_REFERENCE = "SP_TIME_REFERENCE"
    SP_FLYING = "SP_FLYING"
    SP_LATER_STRIKE = "SP_LATER_STRIKE"
    SP_GROUP_SPEAKS = "SP_GROUP_SPEAKS"
    EX_DRILL = "EX_DRILL"
    EX_CONDEMNATION = "EX_CONDEMNATION"
    EX_DENIED = "EX_DENIED"
    EX_DENIED_AFTER = "EX_DENIED_AFTER"
    EX_THREAT = "EX_THREAT"
    SP_THREAT_IN_TIME_PHRASE = "SP_THREAT_IN_TIME_PHRASE"
    SP_INCOMING_THREAT = "SP_INCOMING_THREAT"
    EX_FOILED = "EX_FOILED"
    EX_NEAR_SITE = "EX_NEAR_SITE"
    EX_OTHER_TARGET = "EX_OTHER_TARGET"
    # facts
    FX_DATE = "FX_DATE"
    FX_COUNTRY = "FX_COUNTRY"
    FX_PROVINCE = "FX_PROVINCE"
    FX_TARGET_KIND = "FX_TARGET_KIND"
    FX_WEAPON = "FX_WEAPON"
    FX_COUNT = "FX_COUNT"
    FX_IED_NO_COUNT = "FX_IED_NO_COUNT"
    FX_CASUALTIES = "FX_CASUALTIES"
    FX_INTERCEPT = "FX_INTERCEPT"
    FX_CLAIM = "FX_CLAIM"
    FX_LAUNCH_SITE = "FX_LAUNCH_SITE"
    FX_SOURCES = "FX_SOURCES"
    FX_MISSILE_BY_RANGE = "FX_MISSILE_BY_RANGE"
    FX_OLD_FACTS = "FX_OLD_FACTS"
    # discourse
    DC_HEADLINE_LEAD = "DC_HEADLINE_LEAD"
    DC_SHARE_ZEROS = "DC_SHARE_ZEROS"
    DC_SUBJECTLESS_CLAIM = "DC_SUBJECTLESS_CLAIM"
    DC_PENDING_CLAIM = "DC_PENDING_CLAIM"
    DC_CONVOY_CONTEXT = "DC_CONVOY_CONTEXT"
    DC_FOLLOW_UP = "DC_FOLLOW_UP"
    DC_STRIKE_LAUNCH_SITE = "DC_STRIKE_LAUNCH_SITE"
    DC_OTHER_EVENT = "DC_OTHER_EVENT"
    DC_ANNOUNCED_CLAIM = "DC_ANNOUNCED_CLAIM"
    DC_CLAIM_TOLD_ATTACK = "DC_CLAIM_TOLD_ATTACK"
    DC_NO_CLAIM = "DC_NO_CLAIM"
    DC_NOT_ABOUT_SAME = "DC_NOT_ABOUT_SAME"
    DC_PLURAL_ZEROS = "DC_PLURAL_ZEROS"
    DC_CLAIM_BY_SITE = "DC_CLAIM_BY_SITE"
    DC_CLAIM_TWO = "DC_CLAIM_TWO"
    DC_FACTS = "DC_FACTS"
    DC_INHERIT_DATE = "DC_INHERIT_DATE"
    # merge
    MG_NO_PLACE = "MG_NO_PLACE"
    MG_ANAPHORIC = "MG_ANAPHORIC"
    MG_HEADING_UNMATCHED = "MG_HEADING_UNMATCHED"
    MG_BEYOND_REGION = "MG_BEYOND_REGION"
    MG_SAME_SITE = "MG_SAME_SITE"
    MG_UNNAMED_SITE = "MG_UNNAMED_SITE"
    # ---- branch ar: Arabic press patterns found on the dev part (one block, to ease merging)
    FX_NIGHT = "FX_NIGHT"
    BG_TIME_SPAN = "BG_TIME_SPAN"
    FX_STATEMENT_DATE = "FX_STATEMENT_DATE"
    MG_NIGHT_AND_DAWN = "MG_NIGHT_AND_DAWN"
    BG_MONTH_ONLY = "BG_MONTH_ONLY"
    BG_LAST_DAY_LEAD = "BG_LAST_DAY_LEAD"
    FX_PLURAL_QUALIFIED = "FX_PLURAL_QUALIFIED"
    FX_QUOTED_DAY = "FX_QUOTED_DAY"
    DC_OLD_SITE_DATE = "DC_OLD_SITE_DATE"
    DC_RECON_DRONE = "DC_RECON_DRONE"
    DC_EN_RECON_DRONE = "DC_EN_RECON_DRONE"
    FX_WHERE_DATE = "FX_WHERE_DATE"
    CL_SIREN_SITE = "CL_SIREN_SITE"
    CL_TWO_ON_ONE_SITE = "CL_TWO_ON_ONE_SITE"
    CL_DATED_ATTACKS = "CL_DATED_ATTACKS"
    SP_SUBJECTED = "SP_SUBJECTED"
    EX_SHOT_FROM_SITE = "EX_SHOT_FROM_SITE"
    SP_DOWNED_ON_WAY = "SP_DOWNED_ON_WAY"
    SP_SAID_BEFORE = "SP_SAID_BEFORE"

    # ---- the English reader (extractor/en/)
    # clause
    CL_EN_NO_ATTACK_WORD = "CL_EN_NO_ATTACK_WORD"
    CL_EN_NOT_AN_ATTACK = "CL_EN_NOT_AN_ATTACK"
    CL_EN_NO_TARGET = "CL_EN_NO_TARGET"
    CL_EN_CONTEXT_CUT = "CL_EN_CONTEXT_CUT"
    CL_EN_SEVERAL_SITES = "CL_EN_SEVERAL_SITES"
    CL_EN_SUMMARY = "CL_EN_SUMMARY"
    # exclusion and background, tried in this order (extractor.en.clauses.exclusion)
    EX_EN_DENIED = "EX_EN_DENIED"
    EX_EN_DRILL = "EX_EN_DRILL"
    EX_EN_THREAT = "EX_EN_THREAT"
    BG_EN_CUE = "BG_EN_CUE"
    BG_EN_OLD_DATE = "BG_EN_OLD_DATE"
    BG_EN_EARLIER_YEAR = "BG_EN_EARLIER_YEAR"
    EX_EN_US_STRIKE = "EX_EN_US_STRIKE"
    EX_EN_AT_SEA = "EX_EN_AT_SEA"
    EX_EN_AT_ISRAEL = "EX_EN_AT_ISRAEL"
    EX_EN_OTHER_FORCES = "EX_EN_OTHER_FORCES"
    BG_EN_OTHER_STORY = "BG_EN_OTHER_STORY"
    # facts
    FX_EN_DATE = "FX_EN_DATE"
    FX_EN_COUNTRY = "FX_EN_COUNTRY"
    FX_EN_TARGET_KIND = "FX_EN_TARGET_KIND"
    FX_EN_WEAPON = "FX_EN_WEAPON"
    FX_EN_COUNT = "FX_EN_COUNT"
    FX_EN_CASUALTIES = "FX_EN_CASUALTIES"
    FX_EN_INTERCEPT = "FX_EN_INTERCEPT"
    FX_EN_CLAIM = "FX_EN_CLAIM"
    FX_EN_LAUNCH_SITE = "FX_EN_LAUNCH_SITE"
    FX_EN_SOURCES = "FX_EN_SOURCES"
    # discourse
    DC_EN_CONTEXT_DATE = "DC_EN_CONTEXT_DATE"
    DC_EN_FOLLOW_UP = "DC_EN_FOLLOW_UP"
    DC_EN_ELSEWHERE = "DC_EN_ELSEWHERE"
    DC_EN_PLURAL_ZEROS = "DC_EN_PLURAL_ZEROS"
    DC_EN_STRIKE_HARMED_NONE = "DC_EN_STRIKE_HARMED_NONE"
    DC_EN_TOLD_ON = "DC_EN_TOLD_ON"
    # merge
    MG_EN_ANAPHORIC = "MG_EN_ANAPHORIC"
    MG_EN_SAME_SITE = "MG_EN_SAME_SITE"
    MG_EN_UNNAMED_SITE = "MG_EN_UNNAMED_SITE"
    MG_EN_SITE_NAMED_AFTER = "MG_EN_SITE_NAMED_AFTER"
    MG_EN_OLD_DATE = "MG_EN_OLD_DATE"
    MG_EN_BEYOND_REGION = "MG_EN_BEYOND_REGION"
    # ---- branch en (English dev tuning, Dec 2026)
    CL_EN_DATELINE = "CL_EN_DATELINE"
    DC_EN_EACH_SITE = "DC_EN_EACH_SITE"
    FX_EN_MANY = "FX_EN_MANY"
    EX_EN_FOUND_WEAPON = "EX_EN_FOUND_WEAPON"
    DC_EN_SUMMARY_WEAPON = "DC_EN_SUMMARY_WEAPON"
    SP_EN_BACKSHIFT = "SP_EN_BACKSHIFT"
    SP_EN_NEWEST_OF_TALLY = "SP_EN_NEWEST_OF_TALLY"
    CL_EN_LOCATOR_ONLY = "CL_EN_LOCATOR_ONLY"
    DC_EN_SPEAKING_DAY = "DC_EN_SPEAKING_DAY"
    DC_EN_MORE_CASUALTIES = "DC_EN_MORE_CASUALTIES"
    MG_EN_UNDATED_LEAD = "MG_EN_UNDATED_LEAD"
    DC_EN_NAMED_SITE = "DC_EN_NAMED_SITE"
    SP_EN_STRIKE_ON_SITE = "SP_EN_STRIKE_ON_SITE"
    # ---- branch en2 (English press patterns of the seen blind parts, Dec 2026)
    DC_EN_SITE_NAMED_LATER = "DC_EN_SITE_NAMED_LATER"
    SP_EN_DAYS_COUNT = "SP_EN_DAYS_COUNT"
    SP_EN_SIMILAR_TODAY = "SP_EN_SIMILAR_TODAY"
    FX_EN_ARTICLE_COUNTRY = "FX_EN_ARTICLE_COUNTRY"
    SP_EN_RELATIVE_CUE = "SP_EN_RELATIVE_CUE"
    DC_EN_SAME_DAY = "DC_EN_SAME_DAY"
    MG_EN_ANOTHER = "MG_EN_ANOTHER"
    DC_EN_SAME_WEAPON_DATE = "DC_EN_SAME_WEAPON_DATE"
    # ---- branch en3 (English press patterns of the seen blind4 part, Dec 2026)
    EX_EN_DEPOT_BLAST = "EX_EN_DEPOT_BLAST"
    DC_EN_LOOK_BACK_GOES_ON = "DC_EN_LOOK_BACK_GOES_ON"
    BG_EN_EARLIER_ASIDE = "BG_EN_EARLIER_ASIDE"
    BG_EN_HEADLINE_LOOK_BACK = "BG_EN_HEADLINE_LOOK_BACK"
    DC_EN_SIMILAR_ATTACK = "DC_EN_SIMILAR_ATTACK"
    SP_EN_VOW_TO_RESPOND = "SP_EN_VOW_TO_RESPOND"
    DC_EN_CAUSE_OF_STRIKE = "DC_EN_CAUSE_OF_STRIKE"
    SP_EN_OTHERS_HURT = "SP_EN_OTHERS_HURT"
    # ---- branch en5 (English precision over all seen parts, Dec 2026)
    MG_EN_INNER_SITE = "MG_EN_INNER_SITE"
    # ---- branch ar2 (Arabic reader, seen parts blind/blind2/blind3, Dec 2026)
    BG_CASUALTY_UPDATE = "BG_CASUALTY_UPDATE"
    DC_FOLLOW_UP_DATE = "DC_FOLLOW_UP_DATE"
    DC_FACTS_EARLIER_DAY = "DC_FACTS_EARLIER_DAY"
    FX_BORDER_NEIGHBOUR = "FX_BORDER_NEIGHBOUR"
    DC_SAME_SENTENCE = "DC_SAME_SENTENCE"
    MG_OTHER_DAY_WEAPON = "MG_OTHER_DAY_WEAPON"
    EX_ALLEGED_DENIED = "EX_ALLEGED_DENIED"
    EX_EN_RELAYED_DENIED = "EX_EN_RELAYED_DENIED"
    SP_EN_SAME_DAY_AS_STORY = "SP_EN_SAME_DAY_AS_STORY"
    EX_RELAYED_DENIED = "EX_RELAYED_DENIED"
    MG_SITE_HANDED_OVER = "MG_SITE_HANDED_OVER"
    FX_DAMAGED_OBJECT = "FX_DAMAGED_OBJECT"
    CL_ENCLOSED_SITE = "CL_ENCLOSED_SITE"
    CL_NATIONALS_AS_TARGET = "CL_NATIONALS_AS_TARGET"
    CL_DUAL_ANCHOR = "CL_DUAL_ANCHOR"
    FX_OUT_OF_TOTAL = "FX_OUT_OF_TOTAL"
    FX_CLAIM_SELF_NAMED = "FX_CLAIM_SELF_NAMED"
    FX_TOLL_WORTH_MENTIONING = "FX_TOLL_WORTH_MENTIONING"
    DC_ASIDE_DATE = "DC_ASIDE_DATE"
    CL_LAUNCH_AREA = "CL_LAUNCH_AREA"
    CL_TIME_PHRASE_SITE = "CL_TIME_PHRASE_SITE"
    CL_BASE_TOLD_BEFORE = "CL_BASE_TOLD_BEFORE"
    BG_COMES_AFTER = "BG_COMES_AFTER"
    EX_STATIONED_FIRER = "EX_STATIONED_FIRER"
    MG_ALSO_ANNOUNCED = "MG_ALSO_ANNOUNCED"
    MG_SECOND_WITHIN_HOURS = "MG_SECOND_WITHIN_HOURS"
    EX_DEPOT_BLAST = "EX_DEPOT_BLAST"
    BG_HABITUAL_GROUP = "BG_HABITUAL_GROUP"


EXAMPLE_DAY = date(2024, 3, 6)  # the day every declared example is read as published (a Wednesday)


@dataclass(frozen=True, slots=True)
class Rule:
    """One declared rule: its stage, glosses, the word lists it reads, sentences it must fire on and spare."""

    id: RuleId
    stage: Stage
    summary_en: str
    summary_ar: str
    reads: tuple[str, ...] = ()
    fire: tuple[str, ...] = ()
    spare: tuple[str, ...] = ()
    rejects: bool = False  # firing leaves the clause out (a mention excluded, or no mention at all)
    lang: str = "ar"  # the reader that fires it: "ar" (extractor/ar/) or "en" (extractor/en/)


__all__ = ["EXAMPLE_DAY", "Rule", "RuleId", "Stage"]
