"""Outbox: the delivery state in one explicit column (state = the phase) and two integer counters.

Before, a row's phase was spread over `state`, a `needs_edit` flag, an "in flight" prefix in `last_error`
and JSON counters under `payload["delivery"]`. Existing rows are converted: pending + "in flight…" becomes
in_flight, sent + needs_edit becomes edit_due, the counters move to `uncertain` and `edit_attempts`.

Revision ID: 0002_outbox_phase
Revises: 0001
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_outbox_phase"
down_revision = "0001"
branch_labels = None
depends_on = None

_IN_FLIGHT_MARK = "in flight"
_DELIVERY_KEY = "delivery"

_outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer()),
    sa.column("state", sa.String()),
    sa.column("needs_edit", sa.Boolean()),
    sa.column("last_error", sa.String()),
    sa.column("payload", sa.JSON()),
    sa.column("uncertain", sa.Integer()),
    sa.column("edit_attempts", sa.Integer()),
)


def _payload(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        raw = json.loads(raw)
    return dict(raw) if isinstance(raw, dict) else {}


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uncertain", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("edit_attempts", sa.Integer(), server_default="0", nullable=False))
    conn = op.get_bind()
    t = _outbox
    conn.execute(
        t.update()
        .where(t.c.state == "pending", t.c.last_error.like(f"{_IN_FLIGHT_MARK}%"))
        .values(state="in_flight", last_error=None)
    )
    conn.execute(t.update().where(t.c.state == "sent", t.c.needs_edit.is_(True)).values(state="edit_due"))
    for row_id, raw in conn.execute(sa.select(t.c.id, t.c.payload)).all():
        payload = _payload(raw)
        counters = payload.pop(_DELIVERY_KEY, None)
        if not isinstance(counters, dict):
            continue
        conn.execute(
            t.update()
            .where(t.c.id == row_id)
            .values(
                payload=payload,
                uncertain=int(counters.get("uncertain", 0) or 0),
                edit_attempts=int(counters.get("edit_attempts", 0) or 0),
            )
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_edit_state")
        batch_op.drop_column("needs_edit")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_edit", sa.Boolean(), server_default=sa.false(), nullable=False))
    conn = op.get_bind()
    t = _outbox
    rows = conn.execute(
        sa.select(t.c.id, t.c.payload, t.c.uncertain, t.c.edit_attempts).where(
            sa.or_(t.c.uncertain > 0, t.c.edit_attempts > 0)
        )
    ).all()
    for row_id, raw, uncertain, edit_attempts in rows:
        payload = _payload(raw)
        counters = {"uncertain": int(uncertain), "edit_attempts": int(edit_attempts)}
        payload[_DELIVERY_KEY] = {k: v for k, v in counters.items() if v}
        conn.execute(t.update().where(t.c.id == row_id).values(payload=payload))
    conn.execute(t.update().where(t.c.state == "edit_due").values(state="sent", needs_edit=True))
    conn.execute(
        t.update()
        .where(t.c.state == "in_flight")
        .values(state="pending", last_error=f"{_IN_FLIGHT_MARK} (restored by a downgrade)")
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_edit_state", ["needs_edit", "state"], unique=False)
        batch_op.drop_column("edit_attempts")
        batch_op.drop_column("uncertain")
