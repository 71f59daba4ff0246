"""The English reader's rules (extractor/en/): each with its stage, what it does in English and Arabic, the word
lists of data/lexicon_en.json it reads ("lexicon_en:NAME"), and sentences (our own wording, in the styles of
wire copy, DoD releases and regional outlets' English services) it must fire on and must spare.
`extractor.rules` joins them to the Arabic reader's; how a rule is declared and tested is said there.
"""

from __future__ import annotations

from extractor.rule_ids import Rule, RuleId, Stage

_C, _B, _E, _F, _D, _M = (Stage.CLAUSE, Stage.BACKGROUND, Stage.EXCLUSION, Stage.FACTS, Stage.DISCOURSE,
                          Stage.MERGE)
_PLAIN = "A drone struck Harir air base in northern Iraq on Tuesday."


def _en(rid: RuleId, stage: Stage, en: str, ar: str, reads: tuple[str, ...] = (), *, fire: tuple[str, ...],
        spare: tuple[str, ...], rejects: bool = False) -> Rule:
    return Rule(rid, stage, en, ar, reads, fire, spare, rejects, lang="en")


DECLARED: list[Rule] = [
    # ---- clause
    _en(RuleId.CL_EN_NO_ATTACK_WORD, _C, "no attack word in the sentence's own clause: not a report of its own",
        "لا كلمة هجوم في الجملة: ليست بلاغا", ("lexicon_en:trigger",),
        fire=("The defense minister visited Ain al-Asad air base on Tuesday to meet the troops.",
              "A U.S. delegation toured Harir air base on Monday, officials said."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.CL_EN_NOT_AN_ATTACK, _C, "'attack' or 'hit' not of an event ('attack helicopters', 'heart attack', "
        "'felt like being hit by a truck')",
        "«هجوم» لا يدل على حدث (مروحيات هجومية، نوبة قلبية)", (),
        fire=("Attack helicopters landed at Ain al-Asad air base on Tuesday for a scheduled rotation.",
              "A contractor at Harir air base died of a heart attack on Monday, the coalition said."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.CL_EN_NO_TARGET, _C, "an attack word but no US or coalition target",
        "كلمة هجوم بلا هدف أمريكي أو للتحالف", ("lexicon_en:coalition_target", "lexicon_en:convoy"),
        fire=("A roadside bomb exploded on a highway north of Baghdad on Tuesday, police said.",
              "Rockets struck a village near Kirkuk on Monday night, wounding two farmers."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.CL_EN_CONTEXT_CUT, _C, "the sentence's own report ends where its context begins ('in retaliation "
        "for', 'amid', 'following the')", "ينتهي البلاغ حيث يبدأ السياق («ردا على»، «وسط»، «عقب»)", (),
        fire=("A drone struck Harir air base on Tuesday in retaliation for U.S. strikes in Syria.",
              "Two rockets hit al-Tanf garrison on Monday amid rising tension in the region."),
        spare=(_PLAIN,)),
    _en(RuleId.CL_EN_SEVERAL_SITES, _C, "several sites hit in one clause: one attack on each, with the weapon "
        "told before it", "عدة مواقع في جملة واحدة: هجوم على كل منها بالسلاح المذكور قبله", (),
        fire=("Drones targeted Ain al-Asad air base and Harir air base on Tuesday.",
              "Rockets hit al-Tanf garrison and a drone struck Tower 22 on Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.CL_EN_SUMMARY, _C, "no site named and attacks in the plural: a summary the facts after it hold for",
        "لا موقع والهجمات بالجمع: ملخص تصدق عليه الوقائع التالية", (),
        fire=("U.S. forces in Iraq came under two attacks on Tuesday, officials said.",
              "Coalition troops in Syria faced three attacks on Monday, a U.S. official said."),
        spare=(_PLAIN,)),
    # ---- branch en (English dev tuning, Dec 2026)
    _en(RuleId.CL_EN_DATELINE, _C, "a dateline opening the sentence ('BAGHDAD (Reuters) -', 'ERBIL, Kurdistan Region "
        "-') says where the report was filed from: its city is not the attack's place",
        "سطر المكان في رأس الجملة يذكر مكان كتابة الخبر: مدينته ليست مكان الهجوم", (),
        fire=("ERBIL (Rudaw) - Two drones struck al-Tanf garrison in Syria on Tuesday, a U.S. official said.",
              "BAGHDAD, Iraq - Rockets hit Harir air base on Monday night, Kurdish officials said."),
        spare=(_PLAIN,)),
    _en(RuleId.CL_EN_LOCATOR_ONLY, _C, "a site named only to locate another named place ('the Al-Rukban camp, located "
        "near Tower 22', 'the struck site lies near ...') is not the target",
        "موقع مذكور لتحديد مكان آخر مسمى فقط ليس الهدف", (),
        fire=("Drones struck the Rukban camp, located close to Tower 22, on Tuesday.",
              "Rockets hit the Kasak bridge, located not far from Ain al-Asad air base, on Monday.",
              "The targeted plant was located close to Harir air base, where coalition troops are based."),
        spare=(_PLAIN, "Drones struck a base housing U.S. troops, located near Erbil airport, on Tuesday."),
        rejects=True),
    _en(RuleId.DC_EN_SPEAKING_DAY, _D, "'On Monday, X tweeted that ... the attack last week': the day opening the "
        "sentence is the day X spoke; the attack is last week's",
        "«يوم الاثنين قال فلان إن الهجوم ... الأسبوع الماضي»: الاثنين يوم الكلام والهجوم من الأسبوع الماضي",
        fire=("On Monday, a Fox News reporter tweeted that a drone attack on a base housing U.S. troops in Syria came "
              "last week.",
              "On Tuesday, U.S. officials said rockets hit a base housing American forces in Iraq last week."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_MORE_CASUALTIES, _D, "a follow-up's 'three other people were injured' adds to the casualties "
        "told before it", "«وأصيب ثلاثة آخرون» في جملة لاحقة يضاف إلى الإصابات المذكورة قبلها",
        fire=(_PLAIN + " Two soldiers were wounded. Three other people were injured near the gate.",
              "Rockets hit Erbil air base on Monday, wounding four people. Two more contractors were hurt."),
        spare=(_PLAIN + " Two soldiers were wounded.",)),
    _en(RuleId.MG_EN_UNDATED_LEAD, _M, "an undated report opening the body is the day's news: a report of the same "
        "site dated three days or more before publication is an earlier attack, not its date",
        "البلاغ غير المؤرخ في صدر الخبر خبر اليوم: بلاغ عن الموقع نفسه مؤرخ قبل النشر بثلاثة أيام أو أكثر "
        "هجوم سابق لا تاريخه",
        fire=("A drone targeted al-Tanf garrison, a U.S. official said. A drone also struck al-Tanf garrison on "
              "March 1.",
              "Rockets hit Ain al-Asad air base, Iraqi officials said. Rockets also struck Ain al-Asad air base on "
              "Saturday, March 2."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_NAMED_SITE, _D, "a follow-up that names one site ('two soldiers were wounded at Ain al-Asad') "
        "adds its facts to that site's attack, not to the last one told",
        "جملة لاحقة تسمي موقعا واحدا تضيف وقائعها إلى هجوم ذلك الموقع لا إلى آخر هجوم مروي",
        fire=("Rockets targeted Ain al-Asad air base and Harir air base on Tuesday. Two soldiers were wounded at "
              "Ain al-Asad air base.",
              "Drones hit al-Tanf garrison and Tower 22 on Monday. One soldier was hurt at al-Tanf garrison."),
        spare=(_PLAIN + " Two service members suffered minor injuries.",)),
    _en(RuleId.DC_EN_SITE_NAMED_LATER, _D, "an attack told first without its site ('a drone attack on a US outpost in "
        "Jordan') takes the one site a follow-up names by a strong name ('the three soldiers killed at Tower 22')",
        "هجوم روي أولا بلا موقعه يأخذ الموقع الوحيد الذي تسميه جملة لاحقة باسم قوي",
        fire=("A drone struck a U.S. outpost in Jordan on Sunday. Three soldiers were killed at Tower 22.",
              "Rockets hit a base housing U.S. troops in Iraq on Monday. Two contractors were hurt at Ain al-Asad "
              "air base."),
        spare=(_PLAIN + " Two service members suffered minor injuries.",)),
    _en(RuleId.DC_EN_SAME_DAY, _D, "'earlier in the day', 'hours earlier': the attack is dated by the last recent day "
        "an attack sentence named, a US strike's too (so it is no undated look back in a US-strike story)",
        "«في وقت سابق من اليوم»: يؤرخ الهجوم باليوم الذي ذكرته آخر جملة هجوم",
        fire=("U.S. jets struck militia sites in Iraq on Monday. Earlier in the day, a drone hit Harir air base, "
              "wounding two soldiers.",
              "Rockets were fired at a U.S. base in Syria on Tuesday. Hours earlier, a drone targeted al-Tanf "
              "garrison."),
        spare=(_PLAIN,)),
    _en(RuleId.MG_EN_ANOTHER, _M, "'another drone struck the base in Rumeilan' (after Rubar), 'also on Wednesday, "
        "drones attacked Harir': a report that says it is another attack does not merge with a nearby site's attack "
        "or with the same site's attack of another day; and a convoy hit in another province is another attack, "
        "said so or not ('earlier in the day, a bomb hit a coalition convoy in Muthanna')",
        "بلاغ يقول إنه هجوم آخر لا يدمج بهجوم موقع مجاور ولا بهجوم الموقع نفسه في يوم آخر ولا بهجوم على رتل "
        "في اليوم نفسه في محافظة أخرى", ("lexicon_en:provinces",),
        fire=("A drone struck Rubar airport on Sunday. Shortly after, another drone hit the U.S. base in "
              "Rmeilan.",
              "Drones attacked Harir air base on Thursday evening. Also on Wednesday, two drones targeted Harir air "
              "base.",
              "A roadside bomb hit a coalition convoy in Babil on Tuesday. Earlier in the day, a bomb struck a "
              "coalition convoy in Basra."),
        spare=(_PLAIN, "A roadside bomb hit a coalition convoy in Babil on Tuesday. The coalition convoy was hit "
               "near Hillah.")),
    _en(RuleId.DC_EN_SAME_WEAPON_DATE, _D, "an undated report takes the day of the last attack told with its weapon "
        "(or with none), not of another weapon's attack told in between",
        "البلاغ غير المؤرخ يأخذ يوم آخر هجوم روي بسلاحه (أو بلا سلاح) لا يوم هجوم بسلاح آخر روي بينهما",
        fire=("Drones struck the al-Omar oil field base on Monday. Rockets hit Mission Support Site Euphrates on "
              "Saturday. A drone also hit the al-Omar oil field base.",
              "A drone was launched at Harir air base on Sunday. On Tuesday, rockets were fired at Ain al-Asad air "
              "base. The drone attack on U.S. forces caused no damage."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_LOOK_BACK_GOES_ON, _D, "after a dated look back ('Last Thursday, attacks targeted U.S. "
        "troops'), an undated report dated only from it ('the following weekend', 'days later'), or an indefinite "
        "one right after it ('Rockets struck a base in Anbar') on a site not yet reported, goes on telling that look "
        "back",
        "بعد استعادة مؤرخة، البلاغ غير المؤرخ المؤرخ بالنسبة إليها («في نهاية الأسبوع التالي») أو النكرة التالية لها "
        "مباشرة عن موقع لم يرو بعد يكمل تلك الاستعادة",
        fire=("A drone hit Erbil air base on Tuesday. In January, rockets struck Camp Taji, killing a soldier. Two "
              "days later, rockets hit Camp Taji again.",
              "A drone hit Erbil air base on Tuesday. Last week, a series of attacks targeted U.S. forces. Rockets "
              "struck Ain al-Asad air base in Anbar."),
        spare=(_PLAIN + " Last week, a series of attacks targeted U.S. forces. Rockets also struck Harir air base.",),
        rejects=True),
    _en(RuleId.DC_EN_SIMILAR_ATTACK, _D, "'a similar blast hit the Nasiriyah road earlier today': a report naming no "
        "target of its own, told as one more attack of the kind just reported, on the same day, is another attack "
        "of that kind (a convoy, a base) where it says",
        "«انفجار مماثل وقع على طريق الناصرية اليوم»: بلاغ بلا هدف خاص يروى هجوما آخر من النوع المروي للتو في اليوم "
        "نفسه هو هجوم آخر من ذلك النوع حيث يذكر",
        fire=("A roadside bomb hit a coalition convoy near Diwaniyah on Tuesday. A similar blast struck a truck on "
              "the Nasiriyah road in Dhi Qar on Tuesday.",
              "A bomb targeted a U.S.-led coalition supply convoy in Babil on Monday. Another such attack hit the "
              "highway in Anbar on Monday."),
        spare=(_PLAIN, "A roadside bomb hit a coalition convoy near Diwaniyah on Tuesday. A similar blast struck a "
               "truck on the Nasiriyah road in March."),
    ),
    _en(RuleId.DC_EN_CAUSE_OF_STRIKE, _D, "'U.S. jets hit militia depots in retaliation for a drone attack on U.S. "
        "forces in Erbil on Monday', 'the strikes followed a drone attack on Harir air base earlier in the day': a US "
        "strike told with the attack on the coalition it answers (on a day said, or that same day); that attack is "
        "read as a report of its own",
        "ضربة أمريكية تروى مع الهجوم على التحالف الذي ترد عليه (في يوم مذكور أو في اليوم نفسه): يقرأ ذلك الهجوم بلاغا",
        fire=("U.S. jets hit militia depots on Tuesday in retaliation for a drone attack on U.S. forces at Harir air "
              "base on Monday.",
              "The airstrikes came as a response to rockets that targeted coalition troops at al-Tanf garrison "
              "earlier on Monday.",
              "U.S. jets struck militia depots on Monday. The strikes followed a drone attack on Harir air base "
              "earlier in the day."),
        spare=(_PLAIN, "U.S. jets hit militia depots on Tuesday in retaliation for months of attacks.")),
    _en(RuleId.SP_EN_STRIKE_ON_SITE, _E, "'a drone strike on Tower 22': a strike on a coalition site named in the "
        "gazetteer is an attack on it, not a strike by the US",
        "«ضربة بطائرة مسيرة على البرج 22»: ضربة على موقع للتحالف هجوم عليه لا ضربة أمريكية",
        fire=("A drone strike on Tower 22 in Jordan killed three U.S. soldiers on Sunday.",
              "The drone strike on Harir air base on Monday caused no injuries, officials said."),
        spare=("U.S. drone strikes hit militia sites near al-Tanf garrison on Tuesday.",)),
    _en(RuleId.FX_EN_MANY, _F, "'multiple drones', 'several rockets': how many is not said, and a later 'one drone "
        "was shot down' is not the count", "«عدة مسيرات»: العدد غير مذكور، و«أسقطت مسيرة» لاحقا ليست العدد", (),
        fire=("Multiple one-way drones were launched at Harir air base on Tuesday. One was shot down.",
              "Several rockets landed inside al-Tanf garrison on Monday, a U.S. official said."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_EACH_SITE, _D, "after a clause listing several sites, 'no casualties' holds for each, and 'both "
        "drones' is one each", "بعد جملة تعدد مواقع، «لا إصابات» تصدق على كل موقع، و«المسيرتان» واحدة لكل موقع", (),
        fire=("Drones were launched at al-Tanf garrison and Tower 22 on Tuesday. Both drones were shot down.",
              "Rockets targeted Harir air base and Erbil air base on Monday. There were no casualties."),
        spare=(_PLAIN + " There were no casualties.",)),
    _en(RuleId.EX_EN_FOUND_WEAPON, _E, "a weapon found, seized or defused, or stopped before it was fired: no attack "
        "took place", "سلاح عثر عليه أو ضبط أو فكك، أو أوقف قبل إطلاقه: لم يقع هجوم", ("lexicon_en:found_weapon",),
        fire=("Iraqi police found rockets aimed at Ain al-Asad air base on Tuesday before they were launched.",
              "Security forces seized a drone meant to attack U.S. forces at Harir air base on Monday."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.DC_EN_SUMMARY_WEAPON, _D, "sites named right after an attack summary that names no site take its "
        "weapon and its claim when they name none ('attacked three bases with drones. The first targeted ...')",
        "المواقع المذكورة بعد ملخص لا يسمي موقعا تأخذ سلاحه وتبنيه إن لم تذكرهما",
        fire=("U.S. forces in Syria were attacked twice with drones on Tuesday. The attacks targeted al-Tanf "
              "garrison and Tower 22.",
              "The group said it attacked U.S. forces in Iraq with rockets on Monday. It targeted Ain al-Asad "
              "air base."),
        spare=(_PLAIN,)),
    # ---- exclusion and background, in the order they are tried
    _en(RuleId.EX_EN_DENIED, _E, "a denial: the attack did not happen", "نفي: لم يقع الهجوم",
        ("lexicon_en:negation",),
        fire=("The Pentagon denied that a drone struck Harir air base on Tuesday.",
              "Iraqi officials denied reports that rockets hit Ain al-Asad air base on Monday."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.EX_EN_RELAYED_DENIED, _E, "a report only relayed ('reports surfaced claiming', 'the agency had "
        "claimed') in an article that denies a report: the denied report, not fact",
        "بلاغ منقول فقط («ظهرت تقارير تزعم») في خبر ينفي تقريرا: هو التقرير المنفي لا واقعة", (),
        fire=("The coalition dismissed the reports as false. Reports surfaced claiming that rockets hit the Green "
              "Village base on Sunday.",
              "A spokesman denied the report on Monday. The state agency had claimed that a drone struck the base at "
              "Tanf on Monday."),
        spare=(_PLAIN, "Reports surfaced claiming that rockets hit the Green Village base on Sunday."), rejects=True),
    _en(RuleId.EX_EN_DRILL, _E, "a drill, an exercise or an accident", "تمرين أو تدريب أو حادث",
        ("lexicon_en:drill",),
        fire=("Troops fired rockets at a range near Ain al-Asad air base on Tuesday during a live-fire exercise.",
              "Explosions shook Harir air base on Monday during a training exercise, the coalition said."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.SP_EN_VOW_TO_RESPOND, _E, "'vowed to respond after a drone attack killed three soldiers': a vow to "
        "answer an attack the clause tells is no threat of one",
        "«تعهد بالرد بعد هجوم بطائرة مسيرة قتل ثلاثة جنود»: التعهد بالرد على هجوم ترويه الجملة ليس تهديدا بهجوم",
        fire=("The president vowed on Sunday to respond after a drone attack killed three U.S. soldiers at Tower 22.",
              "The Pentagon promised to retaliate after rockets struck Ain al-Asad air base on Monday, wounding two "
              "American troops."),
        spare=("A militia leader vowed to attack U.S. forces at Ain al-Asad air base again.",)),
    _en(RuleId.EX_EN_THREAT, _E, "a threat or a warning of attacks to come", "تهديد أو تحذير من هجمات قادمة",
        ("lexicon_en:threat",),
        fire=("A militia leader threatened on Tuesday to attack U.S. forces at Ain al-Asad air base.",
              "The militia warned it would attack U.S. forces at al-Tanf garrison again."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.SP_EN_BACKSHIFT, _B, "'X said rockets had hit the base': the pluperfect of reported speech is not a "
        "look back when nothing else in the clause looks back",
        "صيغة الماضي التام في الكلام المنقول ليست نظرة إلى الماضي",
        fire=("A militia statement late Tuesday said its drones had hit Harir air base.",
              "Local media reported on Monday that the Conoco base had been targeted with rockets."),
        spare=("Ain al-Asad air base had previously been struck by Iranian missiles, officials said.",)),
    _en(RuleId.SP_EN_DAYS_COUNT, _B, "'U.S. forces were attacked four times on Tuesday', '... within hours': a few "
        "attacks counted on one named recent day, or in a span that ends now, are that day's news, not a tally "
        "looking back",
        "بضع هجمات معدودة في يوم قريب مسمى، أو في مدة تنتهي الآن، خبر ذلك اليوم لا حصيلة",
        fire=("U.S. troops in Syria and Iraq were attacked three times on Tuesday with drones and rockets.",
              "Ain al-Asad air base was attacked two times on Monday, an Iraqi security official said.",
              "American troops in Syria were attacked three times within hours with rockets and drones."),
        spare=("U.S. troops in Iraq and Syria have been attacked 150 times since October.",)),
    _en(RuleId.SP_EN_SIMILAR_TODAY, _B, "'a similar attack' dated today or yesterday ('Earlier today, a similar "
        "attack hit a convoy') is more of the day's news, not a look back",
        "«هجوم مماثل» مؤرخ باليوم أو بالأمس خبر آخر من أخبار اليوم لا نظرة إلى الماضي",
        fire=("A roadside bomb hit a coalition convoy in Babil on Sunday. Earlier today, a similar attack struck a "
              "coalition supply convoy in Muthanna.",
              "Rockets hit Ain al-Asad air base today. A similar rocket attack targeted Balad air base today, "
              "officials said."),
        spare=("U.S. troops in Iraq and Syria have been attacked 150 times since October.",
               "A similar attack struck a coalition supply convoy in Muthanna last month.")),
    _en(RuleId.SP_EN_RELATIVE_CUE, _B, "a look-back word in a relative clause ('where troops have long been "
        "stationed', 'fighters who previously ...') after the attack is told describes a place or people, not the "
        "attack", "كلمة استعادة في جملة صلة بعد رواية الهجوم تصف مكانا أو أشخاصا لا الهجوم",
        fire=("A drone struck al-Tanf garrison on Friday, where U.S. troops have long trained fighters who "
              "previously fought the government.",
              "Rockets hit Ain al-Asad air base on Tuesday, where American soldiers were previously wounded by "
              "missiles."),
        spare=("American troops who previously served at Tower 22 were attacked more than 150 times since October.",
               "Militias fired rockets at bases where U.S. forces are located in the last year.")),
    _en(RuleId.BG_EN_CUE, _B, "a look back ('since October', 'previously', 'more than 150 times')",
        "نظرة إلى الماضي («منذ أكتوبر»، «سابقا»)", ("lexicon_en:background",),
        fire=("Since October, American troops stationed across Iraq and Syria were attacked more than 150 times.",
              "Ain al-Asad air base has previously been struck by Iranian ballistic missiles.",
              "The militias waged weeks of drone and rocket attacks on U.S. troops at Ain al-Asad air base."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.BG_EN_OLD_DATE, _B, "dated more than a week before publication, or in an earlier month",
        "مؤرخ بأكثر من أسبوع قبل النشر أو في شهر سابق",
        fire=("Rockets struck Ain al-Asad air base on Jan. 20, wounding several service members.",
              "A drone hit Tower 22 in Jordan in January, killing three U.S. soldiers."),
        spare=("Rockets struck Ain al-Asad air base on March 5, a U.S. official said.",), rejects=True),
    _en(RuleId.BG_EN_EARLIER_YEAR, _B, "a year before publication's named outside a date ('the 2020 attack')",
        "سنة سابقة مذكورة خارج تاريخ («هجوم 2020»)",
        fire=("The 2020 missile attack on Ain al-Asad air base left dozens of troops with brain injuries.",
              "The 2021 drone attack on Erbil airport damaged a coalition hangar."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.EX_EN_US_STRIKE, _E, "the US, the coalition or Israel is the attacker",
        "المهاجم أمريكا أو التحالف أو إسرائيل",
        ("lexicon_en:us_strike",),
        fire=("U.S. forces struck a weapons depot near al-Tanf garrison used by militias, the Pentagon said.",
              "American warplanes struck militia sites near Ain al-Asad air base on Tuesday."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.EX_EN_AT_SEA, _E, "a ship or the Red Sea: not a base", "سفينة أو البحر الأحمر: ليست قاعدة",
        fire=("A drone targeted U.S. forces aboard a warship in the Red Sea on Tuesday.",
              "Missiles were fired at U.S. forces on a destroyer in the Gulf of Aden on Monday."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.EX_EN_AT_ISRAEL, _E, "fired at Israel: not a coalition target", "أطلقت نحو إسرائيل: ليس هدفا للتحالف",
        fire=("The Islamic Resistance in Iraq said it launched drones at Israel and at U.S. forces in Syria on "
              "Tuesday.",
              "The group said it fired missiles toward Israel and at American troops on Monday."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.EX_EN_DEPOT_BLAST, _E, "an arms store that blew up ('an ammunition depot exploded beside the base', "
        "'blasts at a weapons warehouse'), with no attack told or with its own stock set off into the base: an "
        "explosion with no attacker, not an attack on the base beside it",
        "انفجار مخزن سلاح بلا هجوم مروي: انفجار بلا مهاجم، لا هجوم على القاعدة المجاورة", (),
        fire=("An ammunition depot exploded on Tuesday just outside Balad air base, home to U.S. contractors.",
              "Explosions were heard at a weapons warehouse inside a base housing American troops near Baghdad.",
              "The fire sent rockets kept in the arms depot flying, and two landed inside Balad air base."),
        spare=(_PLAIN, "A drone struck an ammunition depot at Ain al-Asad air base on Tuesday, officials said."),
        rejects=True),
    _en(RuleId.SP_EN_OTHERS_HURT, _E, "'an Iraqi soldier was hurt when a bomb hit a coalition supply convoy': another "
        "force named only as a casualty of an attack on a coalition convoy is not its target",
        "قوة أخرى مذكورة مصابة فقط في هجوم على رتل للتحالف ليست هدفه",
        fire=("An Iraqi soldier was wounded after a roadside bomb hit a contractor convoy for the coalition on "
              "Friday.",
              "A bomb struck a coalition supply convoy in Babil on Monday, injuring two Iraqi police officers."),
        spare=("A bomb struck an Iraqi army convoy near a coalition supply route on Monday, wounding two Iraqi "
               "soldiers.",)),
    _en(RuleId.EX_EN_OTHER_FORCES, _E, "the target is another force (Iraqi army, Kurdish fighters), not the "
        "coalition", "الهدف قوة أخرى (الجيش العراقي، المقاتلون الكرد) لا التحالف", ("lexicon_en:other_forces",),
        fire=("Rockets struck a Peshmerga base near Erbil on Tuesday, Kurdish officials said.",
              "A drone hit an Iraqi army base near Kirkuk on Monday.",
              "A blast hit a Popular Mobilization Forces arms depot near Balad air base on Tuesday night."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.BG_EN_OTHER_STORY, _B, "an undated attack in an article that opens with a US strike, a threat or a "
        "look back: background", "هجوم غير مؤرخ في خبر يبدأ بضربة أمريكية أو تهديد أو استعادة: خلفية", (),
        fire=("U.S. warplanes struck militia sites near al-Tanf garrison on Tuesday. The militias have fired "
              "rockets at Ain al-Asad air base.",
              "Since October, U.S. troops have been attacked more than 150 times. Drones have struck Harir air "
              "base."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.SP_EN_SAME_DAY_AS_STORY, _B, "an undated attack told 'earlier in the day' or 'hours earlier' in an "
        "article that opens with a US strike is that day's news, not background",
        "هجوم غير مؤرخ يروى «في وقت سابق من اليوم» في خبر يبدأ بضربة أمريكية: خبر اليوم نفسه لا خلفية", (),
        fire=("The US military carried out airstrikes targeting facilities used by a militia in Iraq, officials "
              "said. Earlier in the day, the militia targeted coalition forces at Erbil air base, hurting two troops.",
              "The US military carried out airstrikes targeting facilities of a militia in Syria, officials said. "
              "Hours earlier, the militia fired rockets at al-Tanf garrison, wounding a contractor."),
        spare=(_PLAIN, "U.S. warplanes struck militia sites near al-Qaim on Tuesday. The militias have fired "
               "rockets at Ain al-Asad air base.")),
    _en(RuleId.BG_EN_HEADLINE_LOOK_BACK, _B, "a headline's undated, unplaced attack whose body tells only a dated "
        "look back is that look back", "هجوم العنوان غير المؤرخ وغير المحدد الموقع، حين لا يروي المتن إلا استعادة "
        "مؤرخة، هو تلك الاستعادة", (),
        fire=("Iranian missile strike on U.S. base in Iraq revisited\nOn Jan. 8, 2020, Iran fired missiles at "
              "Ain al-Asad air base, wounding dozens of troops.",
              "Survivors describe deadly rocket attack on American troops\nIn March 2020, rockets hit Camp Taji, "
              "killing two U.S. soldiers and a British medic."),
        spare=("Rocket attack on U.S. base in Iraq\nRockets hit Ain al-Asad air base on Tuesday, officials said. "
               "In January, rockets struck Camp Taji.",), rejects=True),
    _en(RuleId.BG_EN_EARLIER_ASIDE, _B, "an attack dated three days or more before publication and two or more before "
        "the story's first reported attack, told after it on another site as an addition ('also', 'again') or after "
        "the story has turned to look back: an aside on an older attack",
        "هجوم مؤرخ قبل النشر بثلاثة أيام أو أكثر وقبل أول هجوم مروي بيومين أو أكثر، يروى بعده على موقع آخر: "
        "إشارة إلى هجوم أقدم", (),
        fire=("Rockets hit Baghdad airport at dawn on Wednesday. On March 2, Camp Taji was also targeted.",
              "A drone struck Harir air base on Tuesday. It was the latest of many attacks on U.S. forces in recent "
              "weeks. On Saturday, five rockets hit Balad air base."),
        spare=(_PLAIN, "A drone struck Harir air base on Saturday. On Tuesday, rockets hit Balad air base.",
               "A drone struck Harir air base on Tuesday. On Saturday, five rockets hit Balad air base."),
        rejects=True),
    _en(RuleId.SP_EN_NEWEST_OF_TALLY, _B, "in a story that opens with a tally, 'the last three attacks targeted ...' "
        "tells the tally's newest attacks: news, not background",
        "في خبر يبدأ بحصيلة، «آخر ثلاث هجمات استهدفت...» هي أحدث الحصيلة: خبر لا خلفية",
        fire=("Since October, U.S. troops have been attacked more than 60 times. The last two attacks targeted "
              "Harir air base and al-Tanf garrison with drones.",
              "U.S. forces in Iraq have come under attack 30 times since October. The latest attack hit Ain al-Asad "
              "air base with rockets."),
        spare=(_PLAIN,)),
    # ---- facts
    _en(RuleId.FX_EN_DATE, _F, "the day the clause names for its event", "اليوم الذي تذكره الجملة للحدث",
        fire=(_PLAIN, "Rockets hit al-Tanf garrison late Sunday, a U.S. official said."),
        spare=("A drone struck Harir air base, a U.S. official said.",)),
    _en(RuleId.FX_EN_COUNTRY, _F, "no site named: the country comes from the region named",
        "لا موقع: البلد من المنطقة المذكورة", ("lexicon_en:regions",),
        fire=("A drone struck U.S. forces in northeastern Syria on Tuesday.",
              "Rockets targeted American troops in western Iraq on Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_ARTICLE_COUNTRY, _F, "a convoy attack its clause does not place is in the country the article "
        "is about", "هجوم على رتل لا تحدد جملته مكانه هو في البلد الذي يتحدث عنه الخبر", ("lexicon_en:regions",),
        fire=("On Tuesday, roadside bombs targeted two supply convoys of the U.S.-led coalition. The first blast "
              "took place in the Iraqi province of Diwaniyah.",
              "An explosive device hit a logistics convoy of the coalition on Monday. Security in Iraq has "
              "worsened this year."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_TARGET_KIND, _F, "a convoy or a diplomatic site, not a base", "رتل أو موقع دبلوماسي لا قاعدة",
        fire=("A roadside bomb struck a coalition logistics convoy in southern Iraq on Tuesday.",
              "Rockets landed inside the U.S. Embassy in Baghdad late Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_WEAPON, _F, "the weapon named in the clause", "السلاح المذكور في الجملة",
        ("lexicon_en:weapons",),
        fire=(_PLAIN, "Mortar rounds hit al-Tanf garrison on Monday."),
        spare=("Harir air base came under attack on Tuesday.",)),
    _en(RuleId.FX_EN_COUNT, _F, "how many were fired ('a barrage of at least five rockets', 'two drones')",
        "عدد المقذوفات («وابل من خمسة صواريخ على الأقل»، «مسيرتان»)",
        fire=("A barrage of at least five rockets struck Ain al-Asad air base on Tuesday.",
              "Two drones targeted al-Tanf garrison on Monday."),
        spare=("Rockets struck Ain al-Asad air base on Tuesday.",)),
    _en(RuleId.FX_EN_CASUALTIES, _F, "the killed and wounded (0 when the text says none)",
        "القتلى والجرحى (صفر إن نفى النص)", ("lexicon_en:no_casualties", "lexicon_en:no_deaths"),
        fire=("Three service members were wounded when rockets hit Ain al-Asad air base on Tuesday.",
              "A drone struck Harir air base on Monday, causing no injuries."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_INTERCEPT, _F, "shot down or intercepted", "أسقطت أو اعترضت", ("lexicon_en:intercept",),
        fire=("Air defenses shot down a drone approaching Harir air base on Tuesday.",
              "Two rockets fired at Ain al-Asad air base were intercepted on Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_CLAIM, _F, "a group's own claim (blame by officials is not one)",
        "تبني الفصيل نفسه (اتهام المسؤولين ليس تبنيا)",
        ("lexicon_en:claim", "lexicon_en:claim_negative", "lexicon_en:claimants"),
        fire=("The Islamic Resistance in Iraq claimed a drone attack on Harir air base on Tuesday.",
              "Kataib Hezbollah said it carried out the attack on al-Tanf garrison with missiles on Monday."),
        spare=("U.S. officials blamed Kataib Hezbollah for a drone attack on Harir air base on Tuesday.",)),
    _en(RuleId.FX_EN_LAUNCH_SITE, _F, "where the attack was launched from", "مكان الإطلاق",
        fire=("Rockets fired from Iraq's Zummar struck a U.S. base in Syria on Tuesday.",
              "Drones launched from inside Iran struck Harir air base on Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.FX_EN_SOURCES, _F, "who the report cites", "مصادر الخبر", ("lexicon_en:sources",),
        fire=("A drone struck Harir air base on Tuesday, the Pentagon said.",
              "Rockets hit al-Tanf garrison on Monday, CENTCOM said in a statement."),
        spare=(_PLAIN,)),
    # ---- discourse
    _en(RuleId.DC_EN_CONTEXT_DATE, _D, "an undated report takes the day of the attack told before it",
        "البلاغ غير المؤرخ يأخذ يوم الهجوم الذي قبله",
        fire=("A drone struck Harir air base on Tuesday. Rockets also hit Ain al-Asad air base.",
              "Rockets hit al-Tanf garrison on Monday. A drone targeted Tower 22."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_FOLLOW_UP, _D, "a sentence with no report of its own adds its facts (toll, claim, count) to the "
        "attack before it", "جملة بلا بلاغ خاص تضيف وقائعها (الحصيلة، التبني، العدد) إلى الهجوم السابق", (),
        fire=(_PLAIN + " Two service members suffered minor injuries.",
              "Rockets hit al-Tanf garrison on Monday. The Islamic Resistance in Iraq claimed responsibility."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_TOLD_ON, _D, "a sentence telling the same attack's weapons on (no target, no place of its own) "
        "keeps its story open: a toll a few sentences later is still that attack's",
        "جملة تواصل رواية أسلحة الهجوم نفسه (بلا هدف ولا مكان) تبقي قصته مفتوحة: الحصيلة بعدها بجمل قليلة له",
        fire=(_PLAIN + " Guards said several more drones landed inside the compound.",
              "Rockets hit al-Tanf garrison on Monday. Residents filmed the rockets being shot down over the desert."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_ELSEWHERE, _D, "'Separately', 'Elsewhere': what follows belongs to another story",
        "«بشكل منفصل»، «في مكان آخر»: ما يلي قصة أخرى", (),
        fire=(_PLAIN + " Separately, two soldiers were wounded in a training accident in Kuwait.",
              "Rockets hit al-Tanf garrison on Monday. Elsewhere, a civilian was killed in Mosul."),
        spare=(_PLAIN + " Two service members suffered minor injuries.",)),
    _en(RuleId.DC_EN_PLURAL_ZEROS, _D, "'no injuries in the attacks' holds for every attack told",
        "«لا إصابات في الهجمات» يصدق على كل هجوم مروي",
        fire=(_PLAIN + " Rockets also hit Ain al-Asad air base. There were no injuries in the attacks.",
              "U.S. forces in Syria came under two attacks on Monday. No injuries were reported."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_STRIKE_HARMED_NONE, _D, "'the strike hurt nobody at the base' after an "
        "attack on a site: a toll naming our side unharmed is that attack's, though it calls it a strike",
        "«لم تسفر الضربة عن إصابات أو أضرار في القاعدة» بعد هجوم على موقع: حصيلة تقول إن جانبنا لم يصب هي حصيلة "
        "ذلك الهجوم وإن سمته ضربة", (),
        fire=(_PLAIN + " The strike hurt nobody at the base, the coalition said.",
              "Two rockets hit Shaddadi base late Friday. The strike caused no injuries to U.S. troops."),
        spare=(_PLAIN + " The strike killed two militants.",
               _PLAIN + " A U.S. strike later hit a militia depot; there were no injuries, officials said.")),
    # ---- merge
    _en(RuleId.MG_EN_ANAPHORIC, _M, "'the attack' with no site or weapon of its own refers back: it opens no "
        "incident", "«الهجوم» بلا موقع ولا سلاح يعود على سابق: لا يفتح حادثا", (),
        fire=(_PLAIN + " The attack on U.S. forces caused no damage.",
              "Rockets hit al-Tanf garrison on Monday. The attack on American troops was the third this week."),
        spare=(_PLAIN,)),
    _en(RuleId.MG_EN_SAME_SITE, _M, "reports of one site (or sites outlets conflate) a day apart at most are one "
        "attack", "روايات موقع واحد (أو مواقع مترابطة) بفارق يوم على الأكثر هجوم واحد", (),
        fire=(_PLAIN + " A U.S. official said the drone that hit Harir air base was shot down too late.",
              "Rockets hit al-Tanf garrison on Monday. Local media said three rockets landed in al-Tanf garrison."),
        spare=(_PLAIN,)),
    _en(RuleId.MG_EN_UNNAMED_SITE, _M, "a report naming no site is the attack named in that country that day",
        "البلاغ الذي لا يسمي موقعا هو الهجوم المسمى في البلد نفسه واليوم نفسه", (),
        fire=("U.S. forces in Iraq were attacked with a drone on Tuesday. The drone struck Harir air base.",
              "Rockets hit al-Tanf garrison on Monday. A U.S. official said American troops in Syria were "
              "attacked with rockets on Monday."),
        spare=(_PLAIN,)),
    _en(RuleId.DC_EN_RECON_DRONE, _D, "a drone shot down that the article says was conducting surveillance or "
        "reconnaissance of a base: it watched, it did not strike (unless it hurt someone)",
        "مسيرة أسقطت يقول الخبر إنها كانت تستطلع قاعدة: راقبت ولم تهاجم (ما لم تصب أحدا)",
        fire=("U.S. forces shot down a drone near al-Tanf garrison on Tuesday. Officials said it was trying to "
              "conduct surveillance of the base.",
              "Coalition air defences downed a drone over the al-Omar oil field base on Monday, a reconnaissance "
              "flight according to the coalition."),
        spare=("U.S. forces shot down an explosive drone near al-Tanf garrison on Tuesday.",
               "A drone struck al-Tanf garrison on Tuesday, wounding two soldiers. A surveillance drone had flown "
               "over the base a week before."), rejects=True),
    _en(RuleId.MG_EN_SITE_NAMED_AFTER, _M, "an unnamed attack takes the one site a statement after it places the "
        "troops at, or says the incident took place at", "الهجوم غير المسمى يأخذ الموقع الذي تضع فيه جملة لاحقة "
        "القوات أو تقول إن الحادث وقع فيه",
        fire=("A U.S. outpost in southern Syria came under drone attack on Tuesday. About 200 American troops are "
              "stationed at al-Tanf garrison.",
              "A U.S. base in western Iraq was hit by rockets on Monday. American troops are based at Ain al-Asad "
              "air base.",
              "Rockets landed near an Iraqi air base housing American forces on Friday. The army said the blast "
              "happened close to Qayyarah."),
        spare=(_PLAIN,)),
    _en(RuleId.MG_EN_INNER_SITE, _M, "an attack told at an airport and at the base inside it (Victory base on "
        "Baghdad airport) is one attack, on the base; so is one told at the airport when a sentence with no attack "
        "word of its own (sirens, smoke) names the base", "الهجوم المروي في المطار وفي القاعدة داخله هجوم واحد على "
        "القاعدة", (),
        fire=("Two rockets struck Baghdad airport on Monday. Officials said the rockets hit Camp Victory.",
              "A drone hit Baghdad International Airport on Tuesday, where U.S. troops are based. Sirens sounded "
              "inside Camp Victory, which lies on the airport grounds."),
        spare=(_PLAIN,)),
    _en(RuleId.MG_EN_OLD_DATE, _M, "the attack's day lies more than a week before publication: it is dropped",
        "يوم الهجوم قبل النشر بأكثر من أسبوع: يسقط",
        fire=("A drone struck Harir air base last week, officials said.",
              "Rockets hit al-Tanf garrison last week, a U.S. official said."),
        spare=(_PLAIN,), rejects=True),
    _en(RuleId.MG_EN_BEYOND_REGION, _M, "no site named outside Iraq, Syria and Jordan: no incident",
        "لا موقع مسمى خارج العراق وسوريا والأردن: لا حادث",
        fire=("A drone struck U.S. forces in Qatar on Tuesday.",
              "Rockets targeted American troops in Kuwait on Monday."),
        spare=("A drone struck U.S. forces in Syria on Tuesday.",), rejects=True),
]

__all__ = ["DECLARED"]
