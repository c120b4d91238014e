"""Several workers on one database: who holds an outbox row, announcements made once, and the
start-up probe's table made by a migration (two workers creating it at once could collide).

`outbox.leased_by` names the worker (process) that claimed a row, so a worker starting, or one
that notices another has gone, frees only the rows of workers no longer connected. `announced`
keeps the key of a staff-chat notice one worker has posted (a data reload), so the others
don't post it again.

Revision ID: 011
Revises: 010
"""

import sqlalchemy as sa
from alembic import op

revision = "011"
down_revision = "010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add outbox.leased_by, create announced, and the heartbeat table if it is missing."""
    op.add_column("outbox", sa.Column("leased_by", sa.Text))
    op.create_table(
        "announced",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
    )
    op.execute("CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL)")
