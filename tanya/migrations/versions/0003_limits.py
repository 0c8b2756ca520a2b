"""Limits on handoffs and failed status checks (tanya.limits): counted events and locks by keyed hash.

Failed status checks are now counted per sender in limit_event (tanya.limits.guards), so the old
per-reference counter reg_status_attempt goes: its rows only ever limited, they hold nothing to keep.

Revision ID: 0003_limits
Revises: 0002_addresses
Create Date: 2026-12-07
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_limits"
down_revision: Union[str, None] = "0002_addresses"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "limit_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_limit_event_key_at", "limit_event", ["key", "at"])
    op.create_table(
        "limit_lock",
        sa.Column("key", sa.String(length=100), primary_key=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_limit_lock_until", "limit_lock", ["until"])
    for name in ("reference_hash", "sender_hash", "created_at"):
        op.drop_index(f"ix_reg_status_attempt_{name}", table_name="reg_status_attempt")
    op.drop_table("reg_status_attempt")


def downgrade() -> None:
    op.create_table(
        "reg_status_attempt",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference_hash", sa.String(length=64), nullable=False),
        sa.Column("sender_hash", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    for name in ("reference_hash", "sender_hash", "created_at"):
        op.create_index(f"ix_reg_status_attempt_{name}", "reg_status_attempt", [name])
    op.drop_index("ix_limit_lock_until", table_name="limit_lock")
    op.drop_table("limit_lock")
    op.drop_index("ix_limit_event_key_at", table_name="limit_event")
    op.drop_table("limit_event")
