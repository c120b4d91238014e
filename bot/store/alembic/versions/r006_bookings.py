"""Appointment requests and the appointments the front desk confirms.

A request being filled in lives in the conversation state, saved with each turn. Request and
appointment numbers are never reused after an erasure (SQLite AUTOINCREMENT, a PostgreSQL
sequence), so an old card in the staff chat can never point at another patient's request.

Revision ID: 006
Revises: 005
"""

import sqlalchemy as sa
from alembic import op

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INT = sa.BigInteger()


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=False, server_default=sa.text("''"))


def upgrade() -> None:
    """Create booking_requests and appointments."""
    op.add_column("conversation_state", sa.Column("booking", sa.Text))
    op.create_table(
        "booking_requests",
        sa.Column("id", ID, primary_key=True),
        sa.Column("patient_id", INT, sa.ForeignKey("patients.id", ondelete="SET NULL")),
        sa.Column("kind", sa.Text, nullable=False, server_default=sa.text("'new'")),
        _text("service"),
        _text("wishes"),
        _text("wishes_understood"),
        _text("new_or_returning"),
        _text("name"),
        _text("phone"),
        sa.Column("urgency", sa.Text, nullable=False, server_default=sa.text("'routine'")),
        sa.Column("appointment_id", INT),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
        sa.Column("proposed_at", sa.Text),
        sa.Column("proposed_doctor", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("closed_at", sa.Text),
        sa.Column("staff_message_id", INT),
        sa.Column("staff_thread_id", INT),
        sa.CheckConstraint("kind IN ('new', 'reschedule', 'cancel')"),
        sa.CheckConstraint("urgency IN ('routine', 'urgent')"),
        sa.CheckConstraint("status IN ('open', 'proposed', 'confirmed', 'cancelled')"),
        sqlite_autoincrement=True,
    )
    op.create_index("booking_requests_open", "booking_requests", ["status", "id"])
    op.create_index("booking_requests_of_patient", "booking_requests", ["patient_id", "id"])
    op.create_table(
        "appointments",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "patient_id", INT, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("request_id", INT, sa.ForeignKey("booking_requests.id", ondelete="SET NULL")),
        sa.Column("starts_at", sa.Text, nullable=False),
        sa.Column("doctor", sa.Text),
        _text("service"),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'confirmed'")),
        sa.Column("confirmed_by", INT),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("cancelled_at", sa.Text),
        sa.CheckConstraint("status IN ('confirmed', 'cancelled')"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "appointments_of_patient", "appointments", ["patient_id", "status", "starts_at"]
    )
