"""/export (the chat's incidents as CSV and GeoJSON documents) and /stats (the weekly chart as a photo).

Files are built in a worker thread from bot.ops (the same encoders as `rasad export` and the HTTP
exports, the same chart as `rasad stats`) and sent as replies; a chat gets what its settings let through.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

from sqlmodel import Session
from telegram import Chat, InputFile, Message, ReplyParameters, Update
from telegram.ext import CommandHandler

from bot.alerts.render import utf16_len
from bot.incidents.ingest import NEWS_TZ
from bot.incidents.subscriptions import Filters
from bot.ops.charts import ChartData, load_chart_data, render_png
from bot.ops.export import CsvEncoder, ExportQuery, GeoJsonEncoder, export_in
from bot.telegram import queries, texts
from bot.telegram.deps import RasadContext, RasadHandler
from bot.telegram.export_texts import (
    CHART_NOTE,
    ExportProblem,
    ExportRange,
    export_caption,
    export_empty_text,
    export_too_big_text,
    export_usage_text,
    parse_export,
)
from bot.telegram.handlers import Here, arrive, reply, stats_windows

log = logging.getLogger(__name__)

Context = RasadContext
CAPTION_LIMIT: Final = 1024
"""Telegram's caption limit (UTF-16 units after entity parsing; checked on the raw HTML to be safe)."""
DOCUMENT_LIMIT: Final = 45 * 1024 * 1024
"""Stay under the 50 MB a bot may upload."""


def _reply_params(update: Update) -> ReplyParameters | None:
    chat, msg = update.effective_chat, update.effective_message
    if chat is None or msg is None or chat.type == Chat.PRIVATE:
        return None
    return ReplyParameters(msg.message_id, allow_sending_without_reply=True)


def _note_reply(update: Update, context: Context) -> None:
    chat = update.effective_chat
    assert chat is not None
    for hook in context.deps.reply_hooks:
        hook(chat.id, chat.type)


async def send_document(update: Update, context: Context, data: bytes, filename: str, caption: str) -> Message:
    """A file as a reply (in groups quoting the command), counted in the sender's pacing."""
    chat = update.effective_chat
    assert chat is not None
    sent = await context.bot.send_document(
        chat.id, InputFile(data, filename=filename), caption=caption, reply_parameters=_reply_params(update),
        disable_content_type_detection=True,
    )
    _note_reply(update, context)
    return sent


async def send_photo(update: Update, context: Context, png: bytes, caption: str | None) -> Message:
    """An image as a reply with an HTML caption, counted in the sender's pacing."""
    chat = update.effective_chat
    assert chat is not None
    sent = await context.bot.send_photo(
        chat.id, InputFile(png, filename="rasad-stats.png"), caption=caption, reply_parameters=_reply_params(update),
    )
    _note_reply(update, context)
    return sent


def chat_filters(here: Here) -> Filters:
    """What the chat receives (its countries, targets, places, weapons, casualties), subscribed now or not."""
    c = here.chat
    return Filters(active=True, countries=c.countries, include_convoy=c.include_convoy,
                   include_diplomatic=c.include_diplomatic, bases=c.bases, provinces=c.provinces, weapons=c.weapons,
                   casualties_only=c.casualties_only)


async def on_export_command(update: Update, context: Context) -> None:
    """/export [N | FROM [TO]]: this chat's incidents as a CSV and a GeoJSON document (last 90 days by default)."""
    here = await arrive(update, context)
    deps = context.deps
    today = deps.clock().astimezone(NEWS_TZ).date()
    period = parse_export(context.args or [], today)
    if isinstance(period, ExportProblem):
        await reply(update, context, export_usage_text(here.lang, period))
        return
    query = ExportQuery(since=period.since, until=period.until, chat=chat_filters(here))

    def build(s: Session) -> tuple[bytes, bytes, int, GeoJsonEncoder]:
        csv_encoder, geo = CsvEncoder(), GeoJsonEncoder()
        csv_data = export_in(s, query, csv_encoder)
        geo_data = export_in(s, query, geo)
        return csv_data, geo_data, geo.features + geo.without_coordinates, geo

    csv_data, geo_data, count, geo = await deps.db(build)
    if count == 0:
        await reply(update, context, export_empty_text(here.lang, period))
        return
    if max(len(csv_data), len(geo_data)) > DOCUMENT_LIMIT:
        await reply(update, context, export_too_big_text(here.lang))
        return
    stem = f"rasad-{period.since.isoformat()}-{period.until.isoformat()}"
    await send_document(update, context, csv_data, f"{stem}.csv", export_caption(here.lang, "csv", period, count, 0))
    await send_document(
        update, context, geo_data, f"{stem}.geojson",
        export_caption(here.lang, "geojson", period, geo.features, geo.without_coordinates),
    )
    log.info("chat %s: /export %s..%s, %d incident(s)", here.chat.chat_id, period.since, period.until, count)


async def on_stats_command(update: Update, context: Context) -> None:
    """/stats: the weekly chart (26 weeks by country, and by weapon); caption: the 7- and 30-day counts, then a
    line in both languages saying what the English-labelled chart shows."""
    here = await arrive(update, context)
    deps = context.deps
    now = deps.clock()
    week_from, month_from = stats_windows(now)
    today = now.astimezone(NEWS_TZ).date()

    def build(s: Session) -> tuple[queries.Counts, queries.Counts, ChartData]:
        return (queries.counts_since(s, week_from.date()), queries.counts_since(s, month_from.date()),
                load_chart_data(s, today))

    week, month, data = await deps.db(build)
    png = await asyncio.to_thread(render_png, data, today=today)
    caption = texts.stats_text(week, month, here.lang) + "\n\n" + CHART_NOTE
    if utf16_len(caption) <= CAPTION_LIMIT:
        await send_photo(update, context, png, caption)
        return
    await send_photo(update, context, png, None)
    await reply(update, context, caption)


def export_handlers() -> list[RasadHandler]:
    """/export and /stats, for handler group 0."""
    return [CommandHandler("export", on_export_command), CommandHandler("stats", on_stats_command)]


__all__ = ["ExportRange", "export_handlers", "on_export_command", "on_stats_command"]
