"""Pre-registration storage on SQLite and PostgreSQL: encryption, idempotency, status, export."""

import csv
import os
import re
import stat
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import create_engine, inspect, text

from tanya.db import session_scope
from tanya.forms.submission import submit_from_form
from tanya.registration import crypto, store

KEY = crypto.generate_key()
NIK = "3201011708900001"
PHONE = "+6281234567890"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, KEY)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reg.db'}"
    engine = create_engine(POSTGRES_URL)
    store.Base.metadata.drop_all(engine)  # repeatable: a clean reg_ table per test
    engine.dispose()
    return POSTGRES_URL


def bpu_fields(nik=NIK):
    return {
        "full_name": "Budi Santoso",
        "nik": nik,
        "birth_date": "1990-08-17",
        "gender": "male",
        "phone": PHONE,
        "email": "-",
        "occupation": "driver ojol",
        "city": "Bandung",
    }


def test_crypto_round_trip_and_keyed_hash(monkeypatch):
    token = crypto.encrypt(NIK)
    assert NIK not in token and crypto.decrypt(token) == NIK
    assert crypto.lookup_hash(NIK) == crypto.lookup_hash(f" {NIK} ")
    monkeypatch.setenv(crypto.ENV_VAR, crypto.generate_key())
    other = crypto.lookup_hash(NIK)
    monkeypatch.setenv(crypto.ENV_VAR, KEY)
    assert crypto.lookup_hash(NIK) != other  # a different key gives a different hash


def test_missing_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(crypto.ENV_VAR)
    with pytest.raises(crypto.MissingKeyError, match="TANYA_SECRET_KEY is not set"):
        crypto.encrypt("x")


def test_dev_key_cli_creates_once_with_private_mode(tmp_path):
    path = tmp_path / "keys" / "dev.env"
    command = [sys.executable, "-m", "tanya.registration.crypto", "--write-dev-key", str(path)]
    first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    content = path.read_text()
    second = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "Created" in first.stdout and "Kept existing" in second.stdout
    assert path.read_text() == content and content.startswith("TANYA_SECRET_KEY=")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_submit_is_idempotent_with_a_friendly_reference(url):
    with session_scope(url) as session:
        first = submit_from_form(session, "bpu", bpu_fields())
    with session_scope(url) as session:
        again = submit_from_form(session, "bpu", bpu_fields())
        other_segment = submit_from_form(session, "pmi", {**bpu_fields(), "pmi_stage": "before_departure"})
    assert first.created and not again.created and again.reference == first.reference
    assert re.fullmatch(rf"BPU-{date.today().year}-[2-9A-HJ-NP-Z]{{6}}", first.reference)
    assert other_segment.created and other_segment.reference.startswith("PMI-")


def test_status_needs_the_right_secret_and_never_says_which_was_wrong(url):
    with session_scope(url) as session:
        reference = submit_from_form(session, "bpu", bpu_fields()).reference
        company = submit_from_form(
            session,
            "pu",
            {"company_name": "PT Maju", "nib": "1234567890123", "npwp": "012345678901234", "phone": PHONE},
        ).reference
    with session_scope(url) as session:
        assert store.check_status(session, reference.lower(), "1990-08-17") == "submitted"
        assert store.check_status(session, reference, "1990-08-18") is None
        assert store.check_status(session, "BPU-2026-AAAAAA", "1990-08-17") is None
        assert store.check_status(session, company, PHONE) == "submitted"  # companies: the phone number


def test_nik_and_phone_are_nowhere_in_clear(url, tmp_path):
    with session_scope(url) as session:
        submit_from_form(session, "bpu", bpu_fields())
    engine = create_engine(url)
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            if not table.startswith("reg_"):
                continue
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - names from the schema
                dumped = " ".join(str(value) for value in row)
                assert NIK not in dumped and PHONE not in dumped and "81234567890" not in dumped
    if url.startswith("sqlite"):
        raw = (tmp_path / "reg.db").read_bytes()
        assert NIK.encode() not in raw and b"81234567890" not in raw


def test_export_csv_decrypts_for_the_branch(url, tmp_path):
    with session_scope(url) as session:
        submit_from_form(session, "bpu", bpu_fields())
        submit_from_form(session, "bpu", {**bpu_fields("3201015708900002"), "city": "Depok", "gender": "female"})
    out = tmp_path / "bandung.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tanya.registration.export",
            "--out",
            str(out),
            "--segment",
            "bpu",
            "--city",
            "bandung",
            "--database-url",
            url,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert result.returncode == 0, result.stderr
    assert "Exported 1 pre-registration(s)" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (
        len(rows) == 1
        and rows[0]["nik"] == NIK
        and rows[0]["phone"] == PHONE
        and rows[0]["full_name"] == "Budi Santoso"
    )


def test_export_without_key_fails_cleanly(tmp_path, monkeypatch):
    env = {k: v for k, v in os.environ.items() if k != crypto.ENV_VAR}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tanya.registration.export",
            "--out",
            str(tmp_path / "x.csv"),
            "--database-url",
            f"sqlite:///{tmp_path / 'x.db'}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "PYTHONPATH": ROOT},
    )
    assert (
        result.returncode == 1 and "TANYA_SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr
    )
