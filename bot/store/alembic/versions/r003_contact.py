"""Contact only with consent and a concrete reason: consents, reminders, staff follow-up tasks.

Revision ID: 003
Revises: 002
"""

import sqlalchemy as sa
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def _patient() -> sa.Column[int]:
    return sa.Column(
        "patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    """Create consents, reminders and staff tasks."""
    op.create_table(
        "consents",
        sa.Column("id", ID, primary_key=True),
        _patient(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("wording", sa.Text, nullable=False),
        sa.Column("granted_at", sa.Text, nullable=False),
        sa.Column("withdrawn_at", sa.Text),
        sa.Column("withdrawn_reason", sa.Text),
    )
    op.create_index("consents_by_patient", "consents", ["patient_id", "kind"])
    op.create_table(
        "reminders",
        sa.Column("id", ID, primary_key=True),
        _patient(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("event_at", sa.Text, nullable=False),
        sa.Column("doctor", sa.Text),
        sa.Column("due_at", sa.Text, nullable=False),
        sa.Column("useful_until", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
        sa.Column("status_reason", sa.Text),
        sa.Column("created_by", INT),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("sent_at", sa.Text),
        sa.CheckConstraint("status IN ('pending', 'sent', 'skipped', 'cancelled')"),
    )
    op.create_index("reminders_due", "reminders", ["status", "due_at"])
    op.create_table(
        "staff_tasks",
        sa.Column("id", ID, primary_key=True),
        _patient(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("due_on", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
        sa.Column("created_by", INT),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("posted_at", sa.Text),
        sa.CheckConstraint("status IN ('pending', 'posted')"),
    )
    op.create_index("staff_tasks_due", "staff_tasks", ["status", "due_on"])
