"""`python -m tanya.analytics` on real tracker databases written by Rasa's SQLTrackerStore: SQLite in a
temporary folder, and the PostgreSQL server of this machine (127.0.0.1:5432, database `test`) in a
schema of its own, the way production sets POSTGRESQL_SCHEMA for Rasa."""

import csv
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from analytics_events import (
    AS_OF,
    EXPECTED_BY_DAY,
    EXPECTED_FUNNEL,
    EXPECTED_RATES,
    EXPECTED_TOP_UNANSWERED,
    EXPECTED_TOTALS,
    MASKED_NIK_QUESTION,
    SINCE,
    UNTIL,
    conversations,
    write_tracker_database,
)

from tanya.settings import PROJECT_ROOT

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
REQUIRED_KEYS = {"sessions", "containment_rate", "handoff_rate", "fallback_rate", "top_unanswered", "funnel"}


def run_cli(*args, env=None):
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tanya.analytics", *args], cwd=PROJECT_ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def report_json(url, *args, env=None):
    result = run_cli("--database-url", url, "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def assert_hand_counted(report):
    assert REQUIRED_KEYS <= set(report)
    assert {key: report[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert {key: report[key] for key in EXPECTED_RATES} == EXPECTED_RATES
    assert report["by_day"] == EXPECTED_BY_DAY
    assert report["top_unanswered"] == EXPECTED_TOP_UNANSWERED
    assert report["funnel"] == EXPECTED_FUNNEL


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('tracker') / 'tracker.db'}"
    write_tracker_database(url)
    return url


def test_json_report_from_a_sqlite_tracker_store(sqlite_url):
    report = report_json(sqlite_url, "--since", SINCE, "--until", UNTIL, "--as-of", AS_OF)
    assert_hand_counted(report)
    assert report["period"] == {"since": SINCE, "until": UNTIL, "timezone": "Asia/Jakarta", "as_of": AS_OF}


def test_the_issue_s_command_since_the_first_of_december(sqlite_url):
    report = report_json(sqlite_url, "--since", "2026-12-01", "--as-of", AS_OF)
    # 30 November's contained-1 and handoff-1 drop out: 11 - 2 sessions, 27 - 4 user turns.
    assert (report["sessions"], report["handoffs"], report["user_turns"], report["fallback_turns"]) == (9, 2, 23, 4)
    assert report["top_unanswered"][0]["count"] == 3 and MASKED_NIK_QUESTION not in json.dumps(report)


def test_csv_export_and_readable_tables_in_both_languages(sqlite_url, tmp_path):
    target = tmp_path / "out" / "by_day.csv"
    result = run_cli("--database-url", sqlite_url, "--since", SINCE, "--until", UNTIL, "--as-of", AS_OF, "--csv", str(target))
    assert result.returncode == 0, result.stderr
    assert "Ringkasan" in result.stdout and "Tingkat containment" in result.stdout and "54.5 %" in result.stdout
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["day"], r["channel"], r["language"], r["sessions"], r["containment_rate"]) for r in rows] == [
        (row["day"], row["channel"], row["language"], str(row["sessions"]), str(row["containment_rate"])) for row in EXPECTED_BY_DAY
    ]
    english = run_cli("--database-url", sqlite_url, "--as-of", AS_OF, "--labels", "en")
    assert "Top unanswered questions" in english.stdout and MASKED_NIK_QUESTION in english.stdout


def test_the_project_tracker_store_writes_masked_events_and_the_numbers_stay_the_same(tmp_path, monkeypatch):
    # The store the assistant uses (endpoints.yml) masks NIK and phone numbers before writing.
    import asyncio

    from analytics_events import SLOT_NAMES
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker

    from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore

    url = f"sqlite:///{tmp_path / 'masked.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    store = UrlSQLTrackerStore()
    slots = [AnySlot(name, mappings=[]) for name in SLOT_NAMES]
    try:
        for conversation in conversations():
            asyncio.run(store.save(DialogueStateTracker.from_events(conversation.sender_id, conversation.events, slots=slots)))
        with store.engine.connect() as connection:
            stored = " ".join(row[0] for row in connection.execute(sa.text("SELECT data FROM events")))
    finally:
        store.engine.dispose()
    assert "3273015501010001" not in stored and "3273 0155 0101 0001" not in stored
    # No --database-url: the command reads TRACKER_DATABASE_URL like the assistant does.
    result = run_cli("--json", "--since", SINCE, "--until", UNTIL, "--as-of", AS_OF, env={"TRACKER_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert_hand_counted(json.loads(result.stdout))


def test_problems_are_one_clear_line_and_an_exit_code(tmp_path):
    missing = run_cli("--database-url", f"sqlite:///{tmp_path / 'nothing.db'}", "--json")
    assert missing.returncode == 1 and "no tracker database at" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "nothing.db").exists()  # reading never creates a database
    backwards = run_cli("--database-url", "sqlite:///x.db", "--since", "2026-12-02", "--until", "2026-12-01")
    assert backwards.returncode == 2 and "--since must not be after --until" in backwards.stderr
    bad_date = run_cli("--since", "1 Desember")
    assert bad_date.returncode == 2 and "not a date (YYYY-MM-DD)" in bad_date.stderr
    unreachable = run_cli("--database-url", "postgresql://postgres@127.0.0.1:1/none", "--json")
    assert unreachable.returncode == 1 and "Cannot read the tracker database: OperationalError" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def test_a_database_the_assistant_has_not_written_to_yet_reports_zeros(tmp_path):
    path = tmp_path / "fresh.db"
    sa.create_engine(f"sqlite:///{path}").connect().close()  # the file exists, no events table yet
    report = report_json(f"sqlite:///{path}")
    assert (report["sessions"], report["containment_rate"], report["top_unanswered"]) == (0, 0.0, [])


@pytest.fixture
def postgres_schema():
    """A schema of its own in the local PostgreSQL, dropped afterwards. Not skipped: this machine has one."""
    engine = sa.create_engine(POSTGRES_URL, future=True)
    schema = f"tanya_analytics_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is needed for this test and did not answer: {error.orig}")
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_json_report_from_a_postgresql_tracker_store(postgres_schema, monkeypatch):
    monkeypatch.setenv("POSTGRESQL_SCHEMA", postgres_schema)  # read by Rasa's SQLTrackerStore and by the command
    write_tracker_database(POSTGRES_URL)
    engine = sa.create_engine(POSTGRES_URL, future=True)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names(schema=postgres_schema)
            public_events = sa.inspect(connection).has_table("events", schema="public")
    finally:
        engine.dispose()
    assert "events" in tables
    report = report_json(POSTGRES_URL, "--since", SINCE, "--until", UNTIL, "--as-of", AS_OF, env={"POSTGRESQL_SCHEMA": postgres_schema})
    assert_hand_counted(report)
    if not public_events:  # without the schema the command finds no conversations there
        other = report_json(POSTGRES_URL, "--as-of", AS_OF, env={"POSTGRESQL_SCHEMA": ""})
        assert other["sessions"] == 0
