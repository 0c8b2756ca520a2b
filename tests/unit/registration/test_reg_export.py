"""The back-office CSV export command, on SQLite and PostgreSQL."""

import csv
import os
import stat

from reg_helpers import run_module

from tanya.db import session_scope
from tanya.registration import crypto, export, store

NIK = "3201011708900001"
PHONE = "+6281234567890"


def register(url):
    with session_scope(url) as session:
        budi = {
            "full_name": "Budi Santoso",
            "nik": NIK,
            "birth_date": "1990-08-17",
            "phone": PHONE,
            "occupation": "driver ojol",
            "city": "Bandung",
        }
        siti = {**budi, "full_name": "Siti Aminah", "nik": "3201015708900002", "city": "Depok"}
        references = [store.submit(session, segment="bpu", answers=answers).reference for answers in (budi, siti)]
        project = {"project_owner": "PT Maju Jaya", "pu_number": "PU-778899", "project_name": "Gudang",
                   "project_city": "Bandung", "phone": PHONE}
        references.append(store.submit(session, segment="jakon", answers=project).reference)
    return references


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_command_writes_the_decrypted_rows_of_one_segment_and_city(db_url, tmp_path):
    budi, _, _ = register(db_url)
    out = tmp_path / "bandung.csv"
    result = run_module(
        "tanya.registration.export", "--out", out, "--segment", "bpu", "--city", "bandung", "--database-url", db_url
    )
    assert result.returncode == 0, result.stderr
    assert f"Exported 1 pre-registration(s) to {out}" in result.stdout
    (row,) = read_csv(out)
    assert row["reference"] == budi and row["segment"] == "bpu" and row["status"] == "submitted"
    assert row["nik"] == NIK and row["phone"] == PHONE and row["full_name"] == "Budi Santoso"
    assert row["birth_date"] == "1990-08-17" and row["city"] == "Bandung"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # decrypted personal data: owner only


def test_export_command_without_filters_writes_every_row(db_url, tmp_path):
    references = register(db_url)
    out = tmp_path / "all.csv"
    result = run_module("tanya.registration.export", "--out", out, "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    assert "Exported 3 pre-registration(s)" in result.stdout
    exported = read_csv(out)
    assert [row["reference"] for row in exported] == references
    assert exported[2]["project_owner"] == "PT Maju Jaya" and exported[2]["nik"] == ""
    assert exported[0]["project_owner"] == ""  # every form's columns, blank where a form lacks them


def test_export_without_a_key_fails_cleanly(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != crypto.ENV_VAR}
    out = tmp_path / "x.csv"
    result = run_module(
        "tanya.registration.export", "--out", out, "--database-url", f"sqlite:///{tmp_path / 'x.db'}", env=env
    )
    assert result.returncode == 1
    assert "TANYA_SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_export_of_a_database_without_registrations_creates_nothing_in_it(tmp_path):
    database = tmp_path / "empty.db"
    out = tmp_path / "empty.csv"
    result = run_module("tanya.registration.export", "--out", out, "--database-url", f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert "Exported 0 pre-registration(s)" in result.stdout
    assert read_csv(out) == []
    from sqlalchemy import create_engine, inspect

    assert inspect(create_engine(f"sqlite:///{database}")).get_table_names() == []


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path):
    out = tmp_path / "cells.csv"
    export.write_csv(
        [
            {
                "full_name": '=HYPERLINK("http://x")',
                "occupation": "@SUM(A1)",
                "note": "+cmd|' /C calc'!A0",
                "phone": PHONE,
                "workers": "-5",
                "email": "-",
                "empty": None,
            }
        ],
        out,
    )
    (row,) = read_csv(out)
    assert row["full_name"].startswith("'=") and row["occupation"].startswith("'@") and row["note"].startswith("'+")
    assert row["phone"] == PHONE and row["workers"] == "-5" and row["email"] == "-" and row["empty"] == ""
