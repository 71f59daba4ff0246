"""Initial schema: feeds, items, articles, incidents, reports, chats, subscriptions, outbox, meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("config_url", sa.String(length=2000), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("in_config", sa.Boolean(), nullable=False),
        sa.Column("full_text", sa.Boolean(), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=200), nullable=True),
        sa.Column("next_check_at", sa.DateTime(), nullable=True),
        sa.Column("last_fetch_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("consecutive_errors", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("disabled_reason", sa.String(length=1000), nullable=True),
        sa.Column("disabled_notified", sa.Boolean(), nullable=False),
        sa.Column("first_fetch_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_name"), ["name"], unique=True)
        batch_op.create_index(batch_op.f("ix_feed_next_check_at"), ["next_check_at"], unique=False)

    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.String(length=40), nullable=True),
        sa.Column("place_en", sa.String(length=200), nullable=True),
        sa.Column("place_ar", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=40), nullable=True),
        sa.Column("province_en", sa.String(length=100), nullable=True),
        sa.Column("province_ar", sa.String(length=100), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("ref_date", sa.Date(), nullable=False),
        sa.Column("weapon", sa.String(length=20), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("wounded", sa.Integer(), nullable=True),
        sa.Column("intercepted", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("launch_site", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_first_seen_at"), ["first_seen_at"], unique=False)
        batch_op.create_index("ix_incident_ref_date_country", ["ref_date", "country"], unique=False)

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("url_key", sa.String(length=2000), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("published", sa.DateTime(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=True),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["feed.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_key"),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_fetched_at"), ["fetched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_identity"), ["identity"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("needs_edit", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "version", "chat_id", name="uq_outbox_incident_version_chat"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index("ix_outbox_edit_state", ["needs_edit", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index("ix_outbox_state_next", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("include_convoy", sa.Boolean(), nullable=False),
        sa.Column("include_diplomatic", sa.Boolean(), nullable=False),
        sa.Column("send_updates", sa.Boolean(), nullable=False),
        sa.Column("deactivated_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chat.chat_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id"),
    )
    op.create_table(
        "feed_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("link_key", sa.String(length=2000), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["feed.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", "identity", name="uq_feed_item_identity"),
    )
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_item_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_item_last_seen_at"), ["last_seen_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_item_link_key"), ["link_key"], unique=False)

    op.create_table(
        "incident_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("extracted", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "article_id", name="uq_report_incident_article"),
    )
    with op.batch_alter_table("incident_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_report_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_report_incident_id"), ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_report_incident_id"))
        batch_op.drop_index(batch_op.f("ix_incident_report_article_id"))

    op.drop_table("incident_report")
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_item_link_key"))
        batch_op.drop_index(batch_op.f("ix_feed_item_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_feed_item_feed_id"))

    op.drop_table("feed_item")
    op.drop_table("subscription")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next")
        batch_op.drop_index(batch_op.f("ix_outbox_incident_id"))
        batch_op.drop_index("ix_outbox_edit_state")
        batch_op.drop_index(batch_op.f("ix_outbox_chat_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_identity"))
        batch_op.drop_index(batch_op.f("ix_article_fetched_at"))
        batch_op.drop_index(batch_op.f("ix_article_feed_id"))

    op.drop_table("article")
    op.drop_table("meta")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_ref_date_country")
        batch_op.drop_index(batch_op.f("ix_incident_first_seen_at"))
        batch_op.drop_index(batch_op.f("ix_incident_base_id"))

    op.drop_table("incident")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_feed_name"))

    op.drop_table("feed")
    op.drop_table("chat")
