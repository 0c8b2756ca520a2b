"""SQLAlchemy tables of the knowledge base (table names start with kb_, never meeting Rasa's tables).

One table per content section. Each row keeps the entry's key, its position in the content files,
the segment it belongs to where it has one (so SQL can ask "documents of BPU"), and the validated
entry itself as JSON: the repository turns it back into the same pydantic model
(tanya.knowledge.schema), so what content staff wrote and what the actions read have one shape.
kb_meta holds the content's version, which tells every process when to reload.
"""

from __future__ import annotations

from typing import Dict

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table
from sqlalchemy.orm import declarative_base

Base = declarative_base()
metadata = Base.metadata

# Content sections stored one row per entry (the singleton `service` is stored as one row too).
SECTIONS = (
    "segments",
    "channel_groups",
    "pmi_stages",
    "documents",
    "eligibility_rules",
    "notes",
    "requirement_groups",
    "branches",
    "contacts",
    "service",
    "occupations",
    "countries",
    "outside_topics",
    "cues",
)


def _section_table(section: str) -> Table:
    return Table(
        f"kb_{section}",
        metadata,
        Column("key", String(80), primary_key=True),
        Column("position", Integer, nullable=False),
        Column("segment_key", String(40), index=True),
        Column("data", JSON, nullable=False),
    )


TABLES: Dict[str, Table] = {section: _section_table(section) for section in SECTIONS}

meta = Table(
    "kb_meta",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)
