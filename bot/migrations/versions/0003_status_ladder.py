"""Status ladder (issue 13): incident.status and status_at; subscription.min_status and include_claims.

Every incident stored before this revision keeps its row; its status is computed from its stored reports
(the articles and what was extracted from them), by the same pure function the service uses.

Revision ID: 0003_status_ladder
Revises: 0001
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_status_ladder"
down_revision = "0002_outbox_phase"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="reported")
        )
        batch_op.add_column(sa.Column("status_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_status", sa.String(length=20), nullable=False, server_default="reported")
        )
        batch_op.add_column(sa.Column("include_claims", sa.Boolean(), nullable=False, server_default=sa.false()))
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Each existing incident's status from its stored reports."""
    from bot.incidents.status import ladder, report_of

    rows = conn.execute(
        sa.text(
            "SELECT r.incident_id, a.url, a.source, a.text, r.created_at, a.published, r.extracted "
            "FROM incident_report r JOIN article a ON a.id = r.article_id ORDER BY r.incident_id, r.id"
        )
    ).all()
    by_incident: dict[int, list[Any]] = {}
    for incident_id, url, source, text, created, published, extracted in rows:
        at = _moment(created or published)
        data = extracted if isinstance(extracted, dict) else _json(extracted)
        report = report_of(url, source, text or "", at, data)
        by_incident.setdefault(int(incident_id), []).append(report)
    update = sa.text("UPDATE incident SET status = :status, status_at = :at WHERE id = :id")
    for incident_id, reports in by_incident.items():
        rungs = ladder(reports)
        if rungs:
            last = rungs[-1]
            conn.execute(
                update, {"status": last.status.value, "at": last.at.replace(tzinfo=None), "id": incident_id}
            )


def _moment(value: object) -> datetime:
    """A stored naive-UTC time (SQLite hands raw SQL back as text) as an aware one."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(1970, 1, 1)
    return value.replace(tzinfo=UTC)


def _json(value: object) -> dict[str, Any]:
    import json

    try:
        out = json.loads(str(value)) if value else {}
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("include_claims")
        batch_op.drop_column("min_status")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("status_at")
        batch_op.drop_column("status")
