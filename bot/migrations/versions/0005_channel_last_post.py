"""Issue 15: the last post id read from a Telegram channel, so only newer posts are read (across restarts).

Revision ID: 0005_channel_last_post
Revises: 0004_subscriber_ux
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_channel_last_post"
down_revision = "0004_subscriber_ux"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feed") as batch:
        batch.add_column(sa.Column("last_post_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed") as batch:
        batch.drop_column("last_post_id")
