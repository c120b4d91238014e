"""A durable inbox (every update stored before Telegram is told it arrived), an outbox whose
rows are claimed with a lease, capped and expiring, and indexes for every lookup.

Revision ID: 004
Revises: 003
"""

import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def upgrade() -> None:
    """Create the inbox; give the outbox leases, expiry and methods; add indexes."""
    op.create_table(
        "inbox",
        sa.Column("update_id", ID, primary_key=True, autoincrement=False),
        sa.Column("chat_key", INT, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
        sa.Column("attempts", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text),
        sa.Column("received_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.CheckConstraint("status IN ('pending', 'done', 'failed')"),
    )
    op.create_index("inbox_heads", "inbox", ["status", "chat_key", "update_id"])
    op.create_index("inbox_by_time", "inbox", ["received_at"])

    op.add_column(
        "outbox",
        sa.Column("method", sa.Text, nullable=False, server_default=sa.text("'send_message'")),
    )
    op.add_column("outbox", sa.Column("extra", sa.Text))
    op.add_column("outbox", sa.Column("not_before", sa.Text))
    op.add_column("outbox", sa.Column("lease_until", sa.Text))
    op.add_column("outbox", sa.Column("expires_at", sa.Text))
    op.add_column("outbox", sa.Column("reminder_id", INT))
    op.drop_index("outbox_pending", table_name="outbox")
    op.create_index("outbox_heads", "outbox", ["status", "chat_id", "id"])
    op.create_index("outbox_by_time", "outbox", ["created_at"])
    op.create_index("outbox_by_case", "outbox", ["case_id"])
    op.create_index("outbox_by_patient", "outbox", ["patient_id"])

    op.add_column("reminders", sa.Column("outbox_id", INT))
    op.create_index("reminders_by_patient", "reminders", ["patient_id", "status"])
    op.create_index("staff_tasks_by_patient", "staff_tasks", ["patient_id"])

    op.create_index("intent_matches_by_time", "intent_matches", ["created_at"])
    op.create_index("audit_by_time", "audit_log", ["at"])
    op.create_index("audit_by_actor", "audit_log", ["actor"])
    op.create_index("case_messages_by_case", "case_messages", ["case_id"])
    op.create_index("cases_by_status", "handoff_cases", ["status", "staff_message_id"])
    op.create_index("cases_by_thread", "handoff_cases", ["staff_thread_id", "status"])
    op.create_index("offers_by_patient", "offers_shown", ["patient_id"])
