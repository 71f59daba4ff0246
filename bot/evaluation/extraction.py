"""The extractor over each labelled article: texts read from TEXTS_DIR/<id>.txt, missing ones set aside."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.evaluation.gold import GoldArticle
from bot.evaluation.score import ArticleScore, predicted, score_article
from extractor import extract_strict


@dataclass(frozen=True)
class Missing:
    """An article of the gold file whose text could not be read, and why."""

    id: str
    reason: str


def load_texts(articles: list[GoldArticle], texts_dir: Path) -> tuple[list[tuple[GoldArticle, str]], list[Missing]]:
    """Each article with its text, and each one skipped (no file, unreadable, not UTF-8)."""
    found: list[tuple[GoldArticle, str]] = []
    missing: list[Missing] = []
    for art in articles:
        path = texts_dir / f"{art.id}.txt"
        try:
            found.append((art, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            missing.append(Missing(art.id, f"no file {path}"))
        except (OSError, UnicodeDecodeError) as exc:
            missing.append(Missing(art.id, f"cannot read {path}: {exc}"))
    return found, missing


def score_extraction(articles: list[tuple[GoldArticle, str]]) -> list[ArticleScore]:
    """Run the extractor on every text (the whole file, no separate title) and score it against its labels.

    Strict: a reader crash is a bug to see, not an empty article to score."""
    out: list[ArticleScore] = []
    for gold, text in articles:
        pred = [predicted(inc, ref=gold.id) for inc in extract_strict(text, gold.published)]
        out.append(
            score_article(
                gold.id,
                gold.lang,
                pred,
                [g.expected() for g in gold.incidents],
                [g.expected() for g in gold.optional],
            )
        )
    return out
