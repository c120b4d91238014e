"""Groups of unmatched questions a manager dealt with on the web page: dismissed, or added as an
example of an intent. Only the question's normalised key is kept (its distinct words, lowercase
and sorted, as the report groups them): no patient, no chat, no time of the message.

Revision ID: 009
Revises: 008
"""

import sqlalchemy as sa
from alembic import op

revision = "009"
down_revision = "008"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def upgrade() -> None:
    """Create unmatched_dismissed."""
    op.create_table(
        "unmatched_dismissed",
        sa.Column("id", ID, primary_key=True),
        sa.Column("question_key", sa.Text, nullable=False, unique=True),
        sa.Column("manager_id", INT, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("resolution", sa.Text, nullable=False),
        sa.Column("intent", sa.Text),
        sa.CheckConstraint("resolution IN ('dismissed', 'added')"),
    )
