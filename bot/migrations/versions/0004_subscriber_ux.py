"""Issue 17: a chat's menu language, set apart from its alert language, and its time zone.

Revision ID: 0004_subscriber_ux
Revises: 0003_status_ladder
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_subscriber_ux"
down_revision = "0003_status_ladder"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chat") as batch:
        batch.add_column(sa.Column("menu_language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chat") as batch:
        batch.drop_column("timezone")
        batch.drop_column("menu_language")
