"""Personal numbers are masked in one way everywhere: tracker events, logs, summaries."""

import asyncio
import json
import logging
import re
import unicodedata
import uuid
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from tanya.privacy.logging import MaskingFilter
from tanya.privacy.masking import mask_identifier, mask_text, mask_value
from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore
from tanya.registration.validators import clean_nik, clean_phone
from tanya.settings import PROJECT_ROOT

NIK = "3201234567890123"
# The table the widget's copy of the rule is tested against too (web/widget/tests/safety.test.js).
CASES = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "masking_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("written, masked", [(case["written"], case["masked"]) for case in CASES["masked"]])
def test_masks_every_written_form_of_a_personal_number(written, masked):
    assert mask_text(written) == masked


@pytest.mark.parametrize("case", CASES["formats"], ids=[case["why"] for case in CASES["formats"]])
def test_masks_every_format_a_nik_or_a_phone_is_written_in(case):
    assert mask_text(case["written"]) == case["masked"]
    assert mask_text(case["masked"]) == case["masked"]  # masking twice changes nothing


@pytest.mark.parametrize("case", CASES["formats"], ids=[case["why"] for case in CASES["formats"]])
def test_the_form_reads_a_nik_or_a_phone_from_the_same_formats(case):
    assert clean_nik(case["written"]).value == case.get("nik")
    assert clean_phone(case["written"]).value == case.get("phone")


def test_the_shared_formats_are_the_54_of_the_issue_and_the_form_takes_most_of_them():
    formats = CASES["formats"]
    assert len(formats) == 54 and len({case["written"] for case in formats}) == 54
    assert sum("nik" in case for case in formats) >= 25 and sum("phone" in case for case in formats) >= 12


def _visible_digits(text: str) -> str:
    """The digits a reader sees, told independently of tanya.privacy.numbers (NFKC, then 0-9)."""
    return "".join(re.findall(r"[0-9]", unicodedata.normalize("NFKC", text)))


NIK_GROUPS = ("3374", "0162", "0993", "0007")
PHONE_GROUPS = ("0821", "7395", "2648")


def test_whatever_the_form_accepts_as_a_nik_or_a_phone_is_masked_whatever_stands_between_the_digits():
    """Every character of the Basic Multilingual Plane between the groups, alone or doubled and spaced: when
    the form takes the text as a NIK or a phone number, at most its last 4 digits stay visible."""
    accepted = 0
    for code in range(0x10000):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cs", "Co", "Cn"):
            continue
        for separator in (ch, f" {ch}{ch} "):
            nik = separator.join(NIK_GROUPS)
            if clean_nik(nik).ok:
                accepted += 1
                assert _visible_digits(mask_text(nik)) == "0007", repr(nik)
        phone = ch.join(PHONE_GROUPS)
        if clean_phone(phone).ok:
            assert _visible_digits(mask_text(phone)) == "2648", repr(phone)
    assert accepted > 300  # every space, dash, invisible character... (not a test that cannot fail)


@pytest.mark.parametrize("message", CASES["unchanged"])
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
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "user said %s", ("hp 0812-3456-7890",), None)
        import sys

        record.exc_info = sys.exc_info()
    assert MaskingFilter().filter(record)
    assert record.getMessage() == "user said hp ****-****-7890"
    assert NIK not in record.exc_text and "************0123" in record.exc_text


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tracker_store_never_writes_a_nik(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if backend == "sqlite" else "postgresql://postgres@127.0.0.1:5432/test"
    domain = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tracker_store_keeps_every_format_masked_as_the_shared_cases_say(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if backend == "sqlite" else "postgresql://postgres@127.0.0.1:5432/test"
    domain = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
    sender = f"formats-{uuid.uuid4().hex[:8]}"
    events = [ActionExecuted("action_listen")]
    for case in CASES["formats"]:
        written = case["written"]
        events += [UserUttered(written, {"name": "inform"}, [{"entity": "x", "value": written, "start": 0, "end": 1}]),
                   BotUttered(f"kamu menulis {written}")]
    store = UrlSQLTrackerStore(domain=domain, host=url)
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots)))
    with create_engine(url).connect() as connection:
        rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).fetchall()
    stored = [json.loads(row[0]) for row in rows[1:]]
    users, bots = stored[0::2], stored[1::2]
    assert [event["text"] for event in users] == [case["masked"] for case in CASES["formats"]]
    assert [event["parse_data"]["entities"][0]["value"] for event in users] == [case["masked"] for case in CASES["formats"]]
    assert [event["text"] for event in bots] == [f"kamu menulis {case['masked']}" for case in CASES["formats"]]


def test_rasa_structlog_records_go_masked_through_logging_and_debug_is_dropped(caplog):
    import structlog

    from tanya.privacy.logging import install_structlog

    try:
        install_structlog(logging.INFO)
        log = structlog.get_logger("rasa.core.processor")
        with caplog.at_level(logging.DEBUG):
            log.debug("processor.message.parse", parse_data_text=f"nik saya {NIK}")
            log.info("processor.message.parse", parse_data_text=f"nik saya {NIK}",
                     slot_values={"reg_phone": "0812\u200b3456\u200b7890", "nested": ["3201 - 2345 - 6789 - 0123"]})
        text = "\n".join(record.getMessage() for record in caplog.records)
        assert text.count("processor.message.parse") == 1  # the debug record is dropped at INFO
        assert NIK not in text and "************0123" in text
        # nested values are rendered as repr ("\\u200b"): masked before that, not after
        assert "3456" not in text and "7890" in text and "2345" not in text
    finally:
        structlog.reset_defaults()


WARNING_SCRIPT = """
import logging, sys
logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
from tanya.privacy import logging as masked_logging
masked_logging.install()
from rasa.shared.utils.io import raise_warning
raise_warning("Failed to parse arguments in line '/inform{\\"x\\": " + sys.argv[1] + "}'.")
import warnings
warnings.warn("plain warning about " + sys.argv[1])
"""


def test_python_warnings_reach_stderr_masked_through_logging():
    """Rasa echoes a typed '/intent{...}' line in a Python warning, which goes to stderr past logging."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", WARNING_SCRIPT, "3201 - 2345 - 6789 - 0123"], capture_output=True,
                          text=True, timeout=120, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if "py.warnings" in line]
    assert len(lines) == 2 and "Failed to parse arguments" in lines[0], done.stderr[-2000:]
    assert "**** - **** - **** - 0123" in lines[0] and "**** - **** - **** - 0123" in lines[1]
    assert "2345" not in done.stderr and "6789" not in done.stderr
