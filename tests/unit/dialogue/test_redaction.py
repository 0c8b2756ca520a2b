"""Personal numbers never reach the tracker store in clear."""

import asyncio
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from tanya import db
from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore
from tanya.redaction import redact, redact_text

NIK = "3201234567890123"


@pytest.mark.parametrize(
    "message, hidden, visible",
    [
        (f"NIK saya {NIK}", NIK, "0123"),
        ("nik 3201 2345 6789 0123 ya", "3201 2345 6789", "0123"),
        ("3201.2345.6789.0123", "3201.2345.6789", "0123"),
        ("hp saya 0812-3456-7890", "3456", "890"),
        ("my phone is +62 812 3456 7890", "3456", "890"),
        ("628123456789", "8123456", "789"),
    ],
)
def test_redacts_nik_and_phone_keeping_last_digits(message, hidden, visible):
    redacted = redact_text(message)
    assert hidden not in redacted
    assert redacted.endswith(visible) or f"{visible} " in redacted or visible in redacted


@pytest.mark.parametrize("message", ["umur saya 59 tahun", "BPU-2026-7KQ4M9", "tahun 2026", "25 orang", "17-08-1990"])
def test_leaves_ordinary_numbers_alone(message):
    assert redact_text(message) == message


def test_redacts_nested_structures():
    data = {"text": NIK, "entities": [{"value": NIK}], "n": 5, "t": (NIK,)}
    redacted = redact(data)
    assert NIK not in str(redacted) and redacted["n"] == 5


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tracker_store_never_writes_a_nik(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if backend == "sqlite" else "postgresql://postgres@127.0.0.1:5432/test"
    domain = Domain.from_path(str(db.PROJECT_ROOT / "domain.yml"))
    sender = f"redact-{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered(
                f"nik saya {NIK}", {"name": "inform"}, [{"entity": "nik", "value": NIK, "start": 9, "end": 25}]
            ),
            SlotSet("occupation", NIK),
            BotUttered(f"NIK {NIK}?"),
        ],
        slots=domain.slots,
    )
    store = UrlSQLTrackerStore(domain=domain, host=url)
    asyncio.run(store.save(tracker))
    with create_engine(url).connect() as connection:
        rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}).fetchall()
    assert len(rows) == 4
    assert not any(NIK in row[0] for row in rows)
    if backend == "sqlite":
        assert NIK.encode() not in (tmp_path / "tracker.db").read_bytes()
    restored = asyncio.run(store.retrieve(sender))
    assert restored.latest_message.text.endswith("0123")
