"""Personal numbers are masked in one way everywhere: tracker events, logs, summaries."""

import asyncio
import logging
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from tanya import db
from tanya.privacy.logging import MaskingFilter
from tanya.privacy.masking import mask_identifier, mask_text, mask_value
from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore

NIK = "3201234567890123"


@pytest.mark.parametrize(
    "written, masked",
    [
        (f"NIK saya {NIK}", "NIK saya ************0123"),
        ("nik 3201 2345 6789 0123 ya", "nik **** **** **** 0123 ya"),
        ("3201.2345.6789.0123", "****.****.****.0123"),
        ("NIK3273015508900003", "NIK************0003"),
        ("3273/0155/0890/0003", "****/****/****/0003"),
        ("(0812) 3456 7890", "(****) **** 7890"),
        ("0812/3456/7890", "****/****/7890"),
        ("hp_081234567890", "hp_********7890"),
        ("０８１２３４５６７８９０", "********７８９０"),
        ("３２７３０１５５０８９００００３", "************０００３"),
        ("hp saya 0812-3456-7890", "hp saya ****-****-7890"),
        ("my phone is +62 812 3456 7890", "my phone is +** *** **** 7890"),
        ("628123456789", "********6789"),
        ("salah ketik 32730155089000031", "salah ketik *************0031"),  # 17 digits
        ("nomor 0812345678", "nomor ******5678"),  # 10 digits
        ("nik:3273015508900003,hp:081234567890", "nik:************0003,hp:********7890"),
    ],
)
def test_masks_every_written_form_of_a_personal_number(written, masked):
    assert mask_text(written) == masked


@pytest.mark.parametrize(
    "message",
    ["umur saya 59 tahun", "BPU-2026-7KQ4M9", "tahun 2026", "25 orang", "17-08-1990", "Rp 3.200.000", "123456789"],
)
def test_leaves_ordinary_numbers_alone(message):
    assert mask_text(message) == message


def test_masks_nested_structures_but_keeps_generated_ids():
    message_id = "1234567890123456abcdef1234567890"
    data = {"text": NIK, "entities": [{"value": NIK}], "n": 5, "t": (NIK,), "message_id": message_id}
    masked = mask_value(data)
    assert NIK not in str(masked)
    assert masked["n"] == 5 and masked["message_id"] == message_id and isinstance(masked["t"], tuple)


def test_summary_identifier_shows_only_the_last_four():
    assert mask_identifier(NIK) == "************0123"


def test_log_filter_masks_the_message_and_the_traceback():
    try:
        raise ValueError(f"bad nik {NIK}")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "user said %s", (f"hp 0812-3456-7890",), None)
        import sys

        record.exc_info = sys.exc_info()
    assert MaskingFilter().filter(record)
    assert record.getMessage() == "user said hp ****-****-7890"
    assert NIK not in record.exc_text and "************0123" in record.exc_text


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
