"""The branch a patient goes to (an id from `branches:` in replies/clinic.yaml), asked once and
only when an answer depends on it; NULL until then and for a clinic without branches. Only the
id is kept, never what the patient wrote to name it.

Revision ID: 010
Revises: 009
"""

import sqlalchemy as sa
from alembic import op

revision = "010"
down_revision = "009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add patients.branch."""
    op.add_column("patients", sa.Column("branch", sa.Text))
