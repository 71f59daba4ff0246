"""Issue 17: a subscription's filters (bases, provinces, weapons, casualties only, keywords), quiet hours,
silent updates, and the forum topic it delivers to.

Revision ID: 0006_filters_quiet_topics
Revises: 0005_channel_last_post
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_filters_quiet_topics"
down_revision = "0005_channel_last_post"
branch_labels = None
depends_on = None

LISTS = ("bases", "provinces", "weapons", "keywords_in", "keywords_out")


def upgrade() -> None:
    with op.batch_alter_table("subscription") as batch:
        for name in LISTS:
            batch.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("casualties_only", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("quiet_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("quiet_to", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("silent_updates", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("thread_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscription") as batch:
        for name in ("thread_id", "silent_updates", "quiet_to", "quiet_from", "casualties_only", *reversed(LISTS)):
            batch.drop_column(name)
