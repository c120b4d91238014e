"""What the conversation is about, per patient: loaded at the start of a turn, saved with it.

Revision ID: 005
Revises: 004
"""

import sqlalchemy as sa
from alembic import op

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create conversation_state."""
    op.create_table(
        "conversation_state",
        sa.Column(
            "patient_id",
            ID,
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("topic", sa.Text),
        sa.Column("topic_at", sa.Text),
        sa.Column("asked", sa.Text),
        sa.Column("details", sa.Text, nullable=False, server_default=sa.text("'{}'")),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
