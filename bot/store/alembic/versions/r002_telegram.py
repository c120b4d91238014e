"""Telegram: updates already handled, the outbox of messages to deliver, staff message ids.

Revision ID: 002
Revises: 001
"""

import sqlalchemy as sa
from alembic import op

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def upgrade() -> None:
    """Create the Telegram tables."""
    op.create_table(
        "processed_updates",
        sa.Column("update_id", ID, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Text, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", ID, primary_key=True),
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reply_markup", sa.Text),
        sa.Column("parse_mode", sa.Text),
        sa.Column("reply_to_message_id", INT),
        sa.Column("message_thread_id", INT),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("case_id", INT),
        sa.Column("patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE")),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
        sa.Column("attempts", INT, nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("sent_at", sa.Text),
        sa.Column("telegram_message_id", INT),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')"),
    )
    op.create_index("outbox_pending", "outbox", ["status", "id"])
    op.create_table(
        "case_messages",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("message_id", INT, nullable=False),
        sa.Column(
            "case_id", INT, sa.ForeignKey("handoff_cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.PrimaryKeyConstraint("chat_id", "message_id"),
    )
