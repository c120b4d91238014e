"""The managers' web page: one-time sign-in links, sessions, and every revision of a data file.

Links and sessions are kept only as SHA-256 hashes: a copy of the database signs no one in.

Revision ID: 008
Revises: 007
"""

import sqlalchemy as sa
from alembic import op

revision = "008"
down_revision = "007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def upgrade() -> None:
    """Create the web page's tables."""
    op.create_table(
        "web_sign_in_links",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("manager_id", INT, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Text, nullable=False),
        sa.Column("used_at", sa.Text),
    )
    op.create_table(
        "web_sessions",
        sa.Column("session_hash", sa.Text, primary_key=True),
        sa.Column("manager_id", INT, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("last_seen_at", sa.Text, nullable=False),
    )
    op.create_table(
        "data_revisions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("manager_id", INT, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.Column("previous_content", sa.Text, nullable=False),
        sa.Column("new_content", sa.Text, nullable=False),
        sa.Column("reverts", INT, sa.ForeignKey("data_revisions.id")),
    )
    op.create_index("data_revisions_by_file", "data_revisions", ["file", "id"])
