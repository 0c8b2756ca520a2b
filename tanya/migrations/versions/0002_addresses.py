"""The address book of the messaging apps: conversation ids are keyed hashes, the address is sealed.

Revision ID: 0002_addresses
Revises: 0001
Create Date: 2026-12-07
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_addresses"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "channel_address",
        sa.Column("conversation_id", sa.String(length=80), primary_key=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address_encrypted", sa.Text(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_channel_address_used_at", "channel_address", ["used_at"])


def downgrade() -> None:
    op.drop_index("ix_channel_address_used_at", table_name="channel_address")
    op.drop_table("channel_address")
