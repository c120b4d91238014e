"""Patients, their messages, what the bot matched and offered, and handoff cases.

Revision ID: 001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "001"
down_revision = None
branch_labels = None
depends_on = None

#: A row id: SQLite's rowid (INTEGER PRIMARY KEY), PostgreSQL's bigint identity.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def upgrade() -> None:
    """Create the core tables."""
    op.create_table(
        "patients",
        sa.Column("id", ID, primary_key=True),
        sa.Column("external_id", sa.Text, nullable=False, unique=True),
        sa.Column("display_name", sa.Text),
        sa.Column("chat_id", INT),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("greeted", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("misunderstood_streak", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("pending_step", sa.Text),
        sa.Column("pending_choices", sa.Text),
        sa.Column("opted_out", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("unreachable", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("unreachable_reason", sa.Text),
    )
    op.create_table(
        "messages",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.CheckConstraint("direction IN ('in', 'out')"),
    )
    op.create_index("messages_by_patient", "messages", ["patient_id", "id"])
    op.create_index("messages_by_time", "messages", ["created_at"])
    op.create_table(
        "intent_matches",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("intent", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_index("intent_matches_by_patient", "intent_matches", ["patient_id", "intent"])
    op.create_table(
        "offers_shown",
        sa.Column(
            "patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("offer_id", sa.Text, nullable=False),
        sa.Column("shown_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("patient_id", "offer_id"),
    )
    op.create_table(
        "handoff_cases",
        sa.Column("id", ID, primary_key=True),
        sa.Column("patient_id", INT, sa.ForeignKey("patients.id", ondelete="SET NULL")),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
        sa.Column("opened_at", sa.Text, nullable=False),
        sa.Column("taken_by", INT),
        sa.Column("taken_by_name", sa.Text),
        sa.Column("taken_at", sa.Text),
        sa.Column("closed_at", sa.Text),
        sa.Column("closed_by", INT),
        sa.Column("staff_message_id", INT),
        sa.Column("staff_thread_id", INT),
        sa.CheckConstraint("status IN ('open', 'closed')"),
    )
    op.create_index("open_cases", "handoff_cases", ["patient_id", "status"])
    op.create_table(
        "audit_log",
        sa.Column("id", ID, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
    )
