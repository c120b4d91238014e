"""The date and exact time a patient named for a booking ("tuesday at 3pm"), clinic-local ISO,
so the front desk can propose it with one tap.

Revision ID: 007
Revises: 006
"""

import sqlalchemy as sa
from alembic import op

revision = "007"
down_revision = "006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add booking_requests.wished_at."""
    op.add_column(
        "booking_requests",
        sa.Column("wished_at", sa.Text, nullable=False, server_default=sa.text("''")),
    )
