"""`rasad eval GOLD.jsonl [GOLD.jsonl ...] TEXTS_DIR [--split NAME] [--json] [-v] [--replay] [--sources FILE]`:
score the extractor (and with --replay the whole pipeline) on articles an analyst labelled; several gold files
(the Arabic and English parts) are scored as one corpus, so a replay merges reports across languages as the
service does. Exit 0 when scored, 2 on bad input (gold file, texts folder, manifest, a split no article has)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.evaluation.explain import article_trace
from bot.evaluation.extraction import load_texts, score_extraction
from bot.evaluation.gold import Gold, GoldError, load_gold
from bot.evaluation.manifest import find_manifest, read_manifest, with_sources
from bot.evaluation.report import Result, result_json, result_text
from bot.evaluation.score import Expected, groups_of, score_alerts
from bot.exits import EXIT_OK, EXIT_USAGE


def run_eval(args: argparse.Namespace) -> int:
    """Check the inputs, score, print."""
    paths = [Path(g) for g in (args.gold if isinstance(args.gold, list) else [args.gold])]
    try:
        gold = _load_all(paths)
    except GoldError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_USAGE
    manifest = Path(args.sources) if getattr(args, "sources", None) else find_manifest(paths[0])
    if manifest is not None:
        try:
            gold.articles = with_sources(gold.articles, read_manifest(manifest))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{manifest}: cannot read: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.split:
        chosen = [a for a in gold.articles if a.split == args.split]
        if not chosen:
            names = sorted({a.split for a in gold.articles if a.split})
            where = " ".join(map(str, paths))
            print(f"{where}: no article has split {args.split!r} (splits: {', '.join(names) or 'none'})",
                  file=sys.stderr)
            return EXIT_USAGE
        gold.articles = chosen
    texts_dir = Path(args.texts)
    if not texts_dir.is_dir():
        print(f"{texts_dir}: not a folder of <id>.txt files", file=sys.stderr)
        return EXIT_USAGE
    articles, missing = load_texts(gold.articles, texts_dir)
    if not articles:
        print(f"{texts_dir}: none of the {len(gold.articles)} gold article(s) has a text here", file=sys.stderr)
        return EXIT_USAGE
    res = Result(score_extraction(articles), missing, gold.warnings, split=args.split)
    if args.replay:
        from bot.evaluation.replay import by_level, replay_alerts

        scored = [g for g, _ in articles]
        incidents: list[Expected] = [i.expected() for g in scored for i in g.incidents]
        optional = [i.expected() for g in scored for i in g.optional]
        groups = groups_of(incidents, [pair for g in scored for pair in g.either_way])
        alerts = replay_alerts(articles)
        res.replay = score_alerts(alerts, groups, optional)
        res.levels = {level: score_alerts(got, groups, optional) for level, got in by_level(alerts).items()}
    if args.json:
        json.dump(result_json(res), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        by_id = {g.id: (g, text) for g, text in articles}

        def trace(article_id: str) -> str | None:
            g, text = by_id[article_id]
            return article_trace(text, g.published)

        print(result_text(res, verbose=args.verbose, explain=trace))
    return EXIT_OK


def _load_all(paths: list[Path]) -> Gold:
    """Every gold file as one corpus; an id used in two files is a problem, as within one."""
    merged = Gold([])
    where: dict[str, Path] = {}
    problems: list[str] = []
    for path in paths:
        part = load_gold(path)
        for a in part.articles:
            if a.id in where:
                problems.append(f"{path} line {a.line}: id: {a.id!r} already used in {where[a.id]}")
                continue
            where[a.id] = path
            merged.articles.append(a)
        merged.warnings.extend(part.warnings)
    if problems:
        raise GoldError(" ".join(map(str, paths)), problems)
    return merged
