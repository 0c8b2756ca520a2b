"""The tables as they were when migrations began: knowledge, registrations, app channels, handoffs.

Before migrations each module created its own tables on first use (SQLAlchemy create_all), so a
database from then may hold some of these tables already, without an alembic_version. This first
revision creates only the tables that are missing, so such a database joins the migrations as it
is; every later revision changes tables unconditionally.

Revision ID: 0001
Revises:
Create Date: 2026-12-14
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import context, op

revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The knowledge sections of this revision (tanya.knowledge.models.SECTIONS then), one table each.
KNOWLEDGE_SECTIONS = (
    "segments", "channel_groups", "pmi_stages", "documents", "eligibility_rules", "notes",
    "requirement_groups", "branches", "contacts", "service", "occupations", "countries",
    "outside_topics", "cues",
)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _knowledge_tables():
    for section in KNOWLEDGE_SECTIONS:
        yield f"kb_{section}", (
            sa.Column("key", sa.String(80), primary_key=True),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("segment_key", sa.String(40)),
            sa.Column("data", sa.JSON(), nullable=False),
        ), [(f"ix_kb_{section}_segment_key", ["segment_key"])]
    yield "kb_meta", (
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("version", sa.String(64), nullable=False),
        _moment("loaded_at"),
    ), []


def _registration_tables():
    yield "reg_preregistration", (
        _id(),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("segment", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _moment("created_at"),
        sa.Column("identity_hash", sa.String(64), nullable=False),
        sa.Column("nik_encrypted", sa.Text()),
        sa.Column("phone_encrypted", sa.Text(), nullable=False),
        sa.Column("status_hash", sa.String(64), nullable=False),
        sa.Column("city", sa.String(100)),
        sa.Column("payload_encrypted", sa.Text(), nullable=False),
        sa.UniqueConstraint("segment", "identity_hash", name="uq_reg_preregistration_segment_identity"),
    ), [("ix_reg_preregistration_segment", ["segment"]),
        ("ix_reg_preregistration_identity_hash", ["identity_hash"]), ("ix_reg_preregistration_city", ["city"])]
    yield "reg_status_attempt", (
        _id(),
        sa.Column("reference_hash", sa.String(64), nullable=False),
        sa.Column("sender_hash", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        _moment("created_at"),
    ), [("ix_reg_status_attempt_reference_hash", ["reference_hash"]),
        ("ix_reg_status_attempt_sender_hash", ["sender_hash"]), ("ix_reg_status_attempt_created_at", ["created_at"])]


def _channel_tables():
    yield "channel_seen_message", (
        _id(),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("message_hash", sa.String(64), nullable=False),
        _moment("seen_at"),
        sa.UniqueConstraint("channel", "message_hash", name="uq_channel_seen_message"),
    ), [("ix_channel_seen_message_seen_at", ["seen_at"])]
    yield "channel_choice", (
        _id(),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("sender_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("choice_key", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _moment("created_at"),
        sa.UniqueConstraint("channel", "sender_hash", "kind", "choice_key", name="uq_channel_choice"),
    ), [("ix_channel_choice_sender_hash", ["sender_hash"]), ("ix_channel_choice_created_at", ["created_at"])]


def _handoff_tables():
    yield "handoff_session", (
        _id(),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(80), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("user_notified", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _moment("resolved_at", nullable=True),
    ), [("ix_handoff_session_source_id", ["source_id"]),
        ("ix_handoff_session_sender", ["channel", "sender_id", "state"]),
        ("ix_handoff_session_conversation", ["conversation_id", "state"])]
    yield "handoff_outbox", (
        _id(),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("text_encrypted", sa.Text(), nullable=False),
        _moment("created_at"),
    ), [("ix_handoff_outbox_sender", ["channel", "sender_id"])]


def _tables():
    """(table name, its columns and constraints, its indexes as (name, columns))."""
    for group in (_knowledge_tables, _registration_tables, _channel_tables, _handoff_tables):
        yield from group()


def _existing() -> set:
    if context.is_offline_mode():  # SQL for review: nothing to look at, everything is written
        return set()
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    existing = _existing()
    for name, columns, indexes in _tables():
        if name in existing:
            continue
        op.create_table(name, *columns)
        for index_name, index_columns in indexes:
            op.create_index(index_name, name, index_columns)


def downgrade() -> None:
    for name, _, _ in reversed(list(_tables())):
        op.drop_table(name)  # its indexes go with it
