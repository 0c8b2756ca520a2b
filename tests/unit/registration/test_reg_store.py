"""The pre-registration store on SQLite and PostgreSQL: idempotency, references, status, export, privacy."""

import hashlib
import re
from datetime import date

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import MetaData, Table, inspect, select

from tanya.db import get_engine, session_scope
from tanya.registration import crypto, store

TODAY = date(2026, 11, 24)
NIK = "3201011708900001"  # born 17-08-1990, male
NIK_WOMAN = "3201015708900002"  # born 17-08-1990, female
PERISAI_NIK = "3273014503850003"  # born 05-03-1985, female
PHONE = "+6281234567890"
PHONE_DIGITS = "81234567890"
BORN = date(1990, 8, 17)
REFERENCE = re.compile(r"(BPU|PU|JAKON|PMI|PERISAI)-2026-[2-9A-HJ-NP-Z]{6}")


def bpu_fields(nik=NIK, city="Bandung", **extra):
    return {
        "full_name": "Budi Santoso",
        "nik": nik,
        "date_of_birth": BORN,
        "gender": "male",
        "phone": PHONE,
        "email": None,
        "occupation": "ojol_driver",
        "city": city,
        **extra,
    }


def company_fields(**extra):
    return {"company_name": "PT Maju Jaya", "nib": "1234567890123", "npwp": "012345678901234", "phone": PHONE, **extra}


def submit(url, segment="bpu", fields=None, **options):
    with session_scope(url) as session:
        return store.submit(session, segment, bpu_fields() if fields is None else fields, today=TODAY, **options)


def status(url, reference, secret):
    with session_scope(url) as session:
        return store.check_status(session, reference, secret)


def rows(url, **filters):
    with session_scope(url) as session:
        return store.export_rows(session, **filters)


# -- submit -----------------------------------------------------------------------------------------


def test_submit_gives_a_friendly_unique_reference(db_url):
    references = {submit(db_url, fields=bpu_fields(nik=f"32010117089{n:05d}")).reference for n in range(1, 21)}
    assert len(references) == 20
    for reference in references:
        assert REFERENCE.fullmatch(reference) and reference.startswith("BPU-2026-")
        assert not set(reference.split("-")[2]) & set("0O1I")  # unambiguous when read aloud


@pytest.mark.parametrize("segment, prefix", [("bpu", "BPU"), ("pmi", "PMI"), ("perisai", "PERISAI")])
def test_reference_prefix_follows_the_segment(db_url, segment, prefix):
    result = submit(db_url, segment)
    assert result.created and result.reference.startswith(f"{prefix}-2026-")


def test_same_nik_and_segment_returns_the_existing_reference(db_url):
    first = submit(db_url)
    again = submit(db_url, fields=bpu_fields(city="Depok", full_name="Budi S."))
    assert first.created and not again.created
    assert again.reference == first.reference
    assert [row["city"] for row in rows(db_url)] == ["Bandung"]  # the first submission is kept as it was


def test_same_nik_in_another_segment_or_another_nik_is_a_new_registration(db_url):
    first = submit(db_url)
    other_segment = submit(db_url, "pmi", bpu_fields(pmi_stage="before_departure"))
    other_person = submit(db_url, fields=bpu_fields(nik=NIK_WOMAN, gender="female"))
    assert other_segment.created and other_segment.reference.startswith("PMI-")
    assert other_person.created
    assert len({first.reference, other_segment.reference, other_person.reference}) == 3


def test_companies_are_deduplicated_on_their_dedupe_key(db_url):
    first = submit(db_url, "pu", company_fields(), dedupe_key="1234567890123", status_secret=PHONE)
    again = submit(db_url, "pu", company_fields(), dedupe_key=" 1234567890123 ", status_secret=PHONE)
    jakon = submit(
        db_url,
        "jakon",
        {"project_name": "Jembatan Kali Baru", "pu_number": "12345678", "phone": PHONE, "project_city": "Jakarta"},
        dedupe_key="12345678|JEMBATAN KALI BARU",
        status_secret=PHONE,
        city="Jakarta",
    )
    other = submit(db_url, "pu", company_fields(nib="9876543210987"), dedupe_key="9876543210987", status_secret=PHONE)
    assert first.created and not again.created and again.reference == first.reference
    assert first.reference.startswith("PU-2026-") and jakon.reference.startswith("JAKON-2026-")
    assert jakon.created and other.created and other.reference != first.reference
    assert status(db_url, first.reference, PHONE) == "submitted"
    assert [row["city"] for row in rows(db_url, segment="jakon")] == ["Jakarta"]


def test_a_dedupe_key_never_collides_with_a_nik(db_url):
    """A company whose identifier happens to equal someone's NIK is still a different registrant."""
    person = submit(db_url, "pu", bpu_fields())  # a PU form that (unusually) carries a NIK
    company = submit(db_url, "pu", company_fields(), dedupe_key=NIK, status_secret=PHONE)
    assert person.created and company.created


def test_older_keyword_names_still_work(db_url):
    """tanya.forms.submission passes identity/verifier/nik/phone and the ISO birth date as text."""
    fields = {"full_name": "Budi Santoso", "nik": NIK, "birth_date": "1990-08-17", "phone": PHONE, "city": "Bandung"}
    with session_scope(db_url) as session:
        first = store.submit(
            session, "bpu", fields, identity=NIK, verifier="1990-08-17", nik=NIK, phone=PHONE, city="Bandung"
        )
        again = store.submit(session, "bpu", bpu_fields())
        company = store.submit(session, "pu", company_fields(), identity="1234567890123", verifier=PHONE, phone=PHONE)
    assert first.created and not again.created and again.reference == first.reference
    assert company.created
    assert status(db_url, first.reference, BORN) == "submitted"
    assert status(db_url, company.reference, PHONE) == "submitted"


@pytest.mark.parametrize(
    "segment, fields, options, message",
    [
        ("bpu", {"full_name": "Budi", "date_of_birth": BORN}, {}, "needs fields\\['nik'\\] or a dedupe_key"),
        ("bpu", bpu_fields(nik="3201-0117-0890-0001"), {}, "16 digits"),
        ("pu", company_fields(), {"dedupe_key": "1234567890123"}, "status_secret"),
        ("bpjs", bpu_fields(), {}, "unknown segment"),
    ],
)
def test_submit_refuses_incomplete_input(db_url, segment, fields, options, message):
    with pytest.raises(ValueError, match=message):
        submit(db_url, segment, fields, **options)
    assert rows(db_url) == []


def test_a_taken_reference_is_drawn_again(db_url, monkeypatch):
    taken = submit(db_url).reference
    draws = iter([taken, taken, "BPU-2026-ZZZZZZ"])
    monkeypatch.setattr(store, "_new_reference", lambda segment, year: next(draws))
    result = submit(db_url, fields=bpu_fields(nik=NIK_WOMAN))
    assert result == store.SubmitResult("BPU-2026-ZZZZZZ", created=True)
    assert sorted(row["reference"] for row in rows(db_url)) == sorted([taken, "BPU-2026-ZZZZZZ"])


def test_a_concurrent_twin_returns_its_reference_without_aborting_the_transaction(db_url, monkeypatch):
    """Another worker stored the same NIK between our look-up and our insert."""
    first = submit(db_url)
    real_lookup = store._existing_reference
    calls = []

    def lookup_that_misses_once(session, segment, nik_hash):
        calls.append(segment)
        return None if len(calls) == 1 else real_lookup(session, segment, nik_hash)

    monkeypatch.setattr(store, "_existing_reference", lookup_that_misses_once)
    with session_scope(db_url) as session:
        again = store.submit(session, "bpu", bpu_fields(), today=TODAY)
        other = store.submit(session, "bpu", bpu_fields(nik=NIK_WOMAN), today=TODAY)  # the session still works
    assert again == store.SubmitResult(first.reference, created=False)
    assert other.created and len(rows(db_url)) == 2


def test_submit_belongs_to_the_callers_transaction(db_url):
    engine = get_engine(db_url)
    with pytest.raises(RuntimeError):
        with session_scope(db_url) as session:
            store.submit(session, "bpu", bpu_fields(), today=TODAY)
            raise RuntimeError("something after the submission failed")
    with engine.connect() as connection:
        assert connection.execute(select(store.PreRegistration.__table__)).first() is None


# -- status check -------------------------------------------------------------------------------------


def test_status_with_the_right_date_of_birth(db_url):
    reference = submit(db_url).reference
    assert status(db_url, reference, BORN) == "submitted"
    assert status(db_url, reference, "1990-08-17") == "submitted"
    assert status(db_url, f"  {reference.lower()} ", BORN) == "submitted"
    assert status(db_url, reference.replace("-", " "), BORN) == "submitted"
    assert status(db_url, reference.replace("-", ""), BORN) == "submitted"


def test_status_never_says_whether_the_reference_exists(db_url):
    reference = submit(db_url).reference
    unknown = "BPU-2026-ZZZZZZ" if reference != "BPU-2026-ZZZZZZ" else "BPU-2026-YYYYYY"
    wrong_birth_date = status(db_url, reference, date(1990, 8, 18))
    unknown_reference = status(db_url, unknown, BORN)
    assert wrong_birth_date is None and unknown_reference is None  # the same answer for both
    assert status(db_url, "", BORN) is None
    assert status(db_url, "BPU-2026", BORN) is None


def test_perisai_status_uses_the_birth_date_inside_the_nik(db_url):
    fields = {"full_name": "Rina Wati", "nik": PERISAI_NIK, "phone": PHONE, "city": "Bandung"}
    reference = submit(db_url, "perisai", fields).reference
    assert status(db_url, reference, date(1985, 3, 5)) == "submitted"
    assert status(db_url, reference, date(1985, 3, 6)) is None


def test_a_reference_only_unlocks_its_own_registration(db_url):
    budi = submit(db_url).reference
    siti = submit(db_url, fields=bpu_fields(nik="3201015505950002", date_of_birth=date(1995, 5, 15))).reference
    assert status(db_url, siti, BORN) is None  # Budi's date of birth does not open Siti's registration
    assert status(db_url, budi, date(1995, 5, 15)) is None


# -- export ---------------------------------------------------------------------------------------------


def test_export_rows_are_decrypted_and_filtered(db_url):
    budi = submit(db_url).reference
    siti = submit(db_url, fields=bpu_fields(nik=NIK_WOMAN, city="Depok", full_name="Siti Aminah")).reference
    company = submit(db_url, "pu", company_fields(city="bandung"), dedupe_key="1234567890123", status_secret=PHONE)
    everything = rows(db_url)
    assert [row["reference"] for row in everything] == [budi, siti, company.reference]
    first = everything[0]
    assert first["nik"] == NIK and first["phone"] == PHONE and first["full_name"] == "Budi Santoso"
    assert first["date_of_birth"] == "1990-08-17" and first["email"] is None
    assert first["segment"] == "bpu" and first["status"] == "submitted" and first["city"] == "Bandung"
    assert everything[2]["nik"] == "" and everything[2]["company_name"] == "PT Maju Jaya"
    assert [row["reference"] for row in rows(db_url, segment="bpu", city=" BANDUNG ")] == [budi]
    assert [row["reference"] for row in rows(db_url, city="bandung")] == [budi, company.reference]
    assert [row["reference"] for row in rows(db_url, segment="pmi")] == []


# -- privacy --------------------------------------------------------------------------------------------


def every_value_as_text(url):
    """Every column of every row of every table the store owns (reg_*), as text."""
    engine = get_engine(url)
    names = [name for name in inspect(engine).get_table_names() if name.startswith("reg_")]
    assert set(store.Base.metadata.tables) <= set(names)
    texts = []
    with engine.connect() as connection:
        for name in names:
            table = Table(name, MetaData(), autoload_with=connection)
            for row in connection.execute(select(table)):
                texts += [str(value) for value in row]
    return "\n".join(texts)


def test_nik_phone_and_birth_date_are_nowhere_in_clear(db_url, tmp_path):
    submit(db_url)
    submit(db_url, "perisai", {"full_name": "Rina", "nik": PERISAI_NIK, "phone": "0812-9999-8888", "city": "Bogor"})
    dumped = every_value_as_text(db_url)
    assert "Bandung" in dumped  # the dump does see the clear columns
    secrets_in_clear = [NIK, PERISAI_NIK, NIK[:12], PHONE_DIGITS, "81299998888", "1990-08-17", "Budi Santoso"]
    for secret in secrets_in_clear:
        assert secret not in dumped, secret
    assert hashlib.sha256(NIK.encode()).hexdigest() not in dumped  # only keyed hashes
    if db_url.startswith("sqlite"):
        raw = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("reg.db"))
        assert b"Bandung" in raw
        for secret in secrets_in_clear:
            assert secret.encode() not in raw, secret


def test_the_nik_column_holds_ciphertext_readable_with_the_key_only(db_url, monkeypatch):
    submit(db_url)
    with session_scope(db_url) as session:
        row = session.query(store.PreRegistration).one()
        assert crypto.decrypt(row.nik_encrypted) == NIK and crypto.decrypt(row.phone_encrypted) == PHONE
        assert row.nik_hash == crypto.lookup_hash(NIK)
    monkeypatch.setenv(crypto.ENV_VAR, crypto.generate_key())
    with pytest.raises(InvalidToken):  # another key reads nothing
        rows(db_url)


def test_tables_are_prefixed_and_creation_is_idempotent(db_url):
    engine = get_engine(db_url)
    store.create_tables(engine)
    assert all(name.startswith("reg_") for name in store.Base.metadata.tables)
    columns = {column["name"] for column in inspect(engine).get_columns("reg_preregistration")}
    assert {"nik_hash", "nik_encrypted", "phone_encrypted", "birth_date_hash", "city", "payload_encrypted"} <= columns
    assert not columns & {"nik", "phone", "date_of_birth", "full_name"}
