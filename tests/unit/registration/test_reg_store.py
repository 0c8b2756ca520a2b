"""The pre-registration store on SQLite and PostgreSQL: idempotency, references, status, export, privacy."""

import hashlib
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import MetaData, Table, inspect, select

from tanya.db import get_engine, session_scope
from tanya.limits import guards
from tanya.limits.rules import Rule
from tanya.registration import crypto, store

TODAY = date(2026, 11, 24)
NIK = "3201011708900001"  # born 17-08-1990, male
NIK_WOMAN = "3201015708900002"  # born 17-08-1990, female
PERISAI_NIK = "3273014503850003"
PHONE = "+6281234567890"
PHONE_DIGITS = "81234567890"
REFERENCE = re.compile(r"(BPU|PU|JAKON|PMI|PERISAI)-2026-[2-9A-HJ-NP-Z]{6}")


def bpu_answers(nik=NIK, city="Bandung", **extra):
    return {
        "full_name": "Budi Santoso",
        "nik": nik,
        "birth_date": "1990-08-17",
        "gender": "male",
        "phone": PHONE,
        "occupation": "driver ojol",
        "city": city,
        **extra,
    }


def company_answers(**extra):
    return {"company_name": "PT Maju Jaya", "nib": "1234567890123", "npwp": "012345678901234", "phone": PHONE, **extra}


def jakon_answers(**extra):
    return {"project_owner": "PT Bangun", "pu_number": "PU-12345", "project_name": "Gudang Cikarang",
            "project_city": "Bekasi", "phone": PHONE, **extra}


def submit(url, segment="bpu", answers=None):
    with session_scope(url) as session:
        return store.submit(session, segment=segment, answers=bpu_answers() if answers is None else answers, today=TODAY)


RULES = guards.StatusRules(
    per_sender=Rule(5, timedelta(hours=1), lock=timedelta(hours=1)),
    overall=Rule(30, timedelta(minutes=1), lock=timedelta(minutes=2)),
)


def status(url, reference, digits, sender="someone", rules=RULES, **options):
    with session_scope(url) as session:
        return store.check_status(session, reference=reference, phone_digits=digits, sender=sender, rules=rules, **options)


def rows(url, **filters):
    with session_scope(url) as session:
        return store.export_rows(session, **filters)


# -- submit -----------------------------------------------------------------------------------------


def test_submit_gives_a_friendly_unique_reference(db_url):
    references = {submit(db_url, answers=bpu_answers(nik=f"32010117089{n:05d}")).reference for n in range(1, 21)}
    assert len(references) == 20 and all(REFERENCE.fullmatch(r) for r in references)


@pytest.mark.parametrize(
    "segment, answers, prefix",
    [
        ("bpu", bpu_answers(), "BPU-"),
        ("pmi", bpu_answers(pmi_stage="before_departure"), "PMI-"),
        ("perisai", {"full_name": "Rina", "nik": PERISAI_NIK, "phone": PHONE}, "PERISAI-"),
        ("pu", company_answers(), "PU-"),
        ("jakon", jakon_answers(), "JAKON-"),
    ],
)
def test_reference_prefix_follows_the_segment_policy(db_url, segment, answers, prefix):
    assert submit(db_url, segment, answers).reference.startswith(prefix)


def test_same_registrant_and_segment_returns_the_existing_reference(db_url):
    first = submit(db_url)
    again = submit(db_url, answers=bpu_answers(city="Depok", full_name="Budi S."))
    assert first.created and not again.created and again.reference == first.reference
    assert len(rows(db_url)) == 1


def test_same_nik_in_another_segment_or_another_nik_is_a_new_registration(db_url):
    first = submit(db_url)
    other_segment = submit(db_url, "pmi", bpu_answers(pmi_stage="before_departure"))
    other_person = submit(db_url, answers=bpu_answers(nik=NIK_WOMAN, gender="female"))
    assert len({first.reference, other_segment.reference, other_person.reference}) == 3


def test_companies_and_projects_are_recognised_by_their_identity_answers(db_url):
    company = submit(db_url, "pu", company_answers())
    assert submit(db_url, "pu", company_answers(nib=" 1234567890123 ", company_name="PT MAJU")).reference == company.reference
    assert submit(db_url, "pu", company_answers(nib="9876543210987")).created
    project = submit(db_url, "jakon", jakon_answers())
    assert submit(db_url, "jakon", jakon_answers(project_name="gudang  cikarang")).reference == project.reference
    assert submit(db_url, "jakon", jakon_answers(project_name="Gudang Karawang")).created


@pytest.mark.parametrize(
    "segment, answers, message",
    [
        ("bpu", {**bpu_answers(), "nik": None}, "needs nik"),
        ("bpu", {**bpu_answers(), "nik": "12345"}, "16 digits"),
        ("bpu", {**bpu_answers(), "phone": None}, "phone"),
        ("pu", {**company_answers(), "nib": ""}, "needs nib"),
        ("jakon", {**jakon_answers(), "project_name": None}, "needs pu_number, project_name"),
        ("unknown", bpu_answers(), "unknown segment"),
    ],
)
def test_submit_refuses_incomplete_input(db_url, segment, answers, message):
    with pytest.raises(ValueError, match=message):
        submit(db_url, segment, answers)
    assert rows(db_url) == []


def test_a_taken_reference_is_drawn_again(db_url, monkeypatch):
    taken = submit(db_url).reference
    draws = iter([taken, taken, "BPU-2026-ZZZZZZ"])
    monkeypatch.setattr(store, "_new_reference", lambda prefix, year: next(draws))
    result = submit(db_url, answers=bpu_answers(nik=NIK_WOMAN))
    assert result == store.SubmitResult("BPU-2026-ZZZZZZ", created=True)


def test_a_concurrent_twin_returns_its_reference_without_aborting_the_transaction(db_url, monkeypatch):
    """Another worker stored the same NIK between our look-up and our insert."""
    first = submit(db_url)
    real_lookup = store._existing_reference
    calls = []

    def lookup_that_misses_once(session, segment, identity):
        calls.append(segment)
        return None if len(calls) == 1 else real_lookup(session, segment, identity)

    monkeypatch.setattr(store, "_existing_reference", lookup_that_misses_once)
    with session_scope(db_url) as session:
        again = store.submit(session, segment="bpu", answers=bpu_answers(), today=TODAY)
        other = store.submit(session, segment="bpu", answers=bpu_answers(nik=NIK_WOMAN), today=TODAY)
    assert again == store.SubmitResult(first.reference, created=False)
    assert other.created and len(rows(db_url)) == 2


def test_submit_belongs_to_the_callers_transaction(db_url):
    engine = get_engine(db_url)
    with pytest.raises(RuntimeError):
        with session_scope(db_url) as session:
            store.submit(session, segment="bpu", answers=bpu_answers(), today=TODAY)
            raise RuntimeError("something after the submission failed")
    with engine.connect() as connection:
        assert connection.execute(select(store.PreRegistration.__table__)).first() is None


# -- status check -------------------------------------------------------------------------------------


def test_status_with_the_phones_last_four_digits(db_url):
    reference = submit(db_url).reference
    assert status(db_url, reference, "7890") == store.StatusCheck("found", "submitted")
    assert status(db_url, f"  {reference.lower()} ", "7890").outcome == "found"
    assert status(db_url, reference.replace("-", " "), "7890").outcome == "found"


def test_status_never_says_whether_the_reference_exists_and_a_nik_opens_nothing(db_url):
    reference = submit(db_url).reference
    unknown = "BPU-2026-ZZZZZZ" if reference != "BPU-2026-ZZZZZZ" else "BPU-2026-YYYYYY"
    assert status(db_url, reference, "7891") == status(db_url, unknown, "7890") == store.StatusCheck("not_found")
    assert status(db_url, reference, NIK[-4:]).outcome == "not_found"
    assert status(db_url, reference, "1708").outcome == "not_found"  # the birth date inside the NIK


def test_five_failures_lock_the_sender_for_the_window_but_never_the_reference_s_owner(db_url):
    reference = submit(db_url).reference
    now = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    for _ in range(5):
        assert status(db_url, reference, "0000", sender="rest:guesser", now=now).outcome == "not_found"
    # the guesser is refused now, even with the right digits ...
    assert status(db_url, reference, "7890", sender="rest:guesser", now=now).outcome == "locked"
    # ... while the owner, on their own channel, still gets the status
    assert status(db_url, reference, "7890", sender="wa:owner", now=now) == store.StatusCheck("found", "submitted")
    # the guesser's lock ends with the window
    assert status(db_url, reference, "7890", sender="rest:guesser", now=now + timedelta(minutes=61)).outcome == "found"
    # a sender guessing across references is locked too
    others = [submit(db_url, answers=bpu_answers(nik=f"32010117089{n:05d}")).reference for n in range(10, 16)]
    for other in others[:5]:
        status(db_url, other, "0000", sender="roamer", now=now)
    assert status(db_url, others[5], "7890", sender="roamer", now=now).outcome == "locked"
    assert status(db_url, others[5], "7890", sender="honest", now=now).outcome == "found"


def test_the_global_ceiling_pauses_every_check_for_a_short_while(db_url):
    reference = submit(db_url).reference
    now = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    rules = guards.StatusRules(per_sender=RULES.per_sender, overall=Rule(4, timedelta(minutes=1), lock=timedelta(minutes=2)))
    for sender in range(4):  # a client making up a new sender for every guess
        assert status(db_url, reference, "0000", sender=f"rest:{sender}", rules=rules, now=now).outcome == "not_found"
    assert status(db_url, reference, "7890", sender="wa:owner", rules=rules, now=now).outcome == "busy"
    later = now + timedelta(minutes=2, seconds=1)
    assert status(db_url, reference, "7890", sender="wa:owner", rules=rules, now=later).outcome == "found"


def test_the_limit_tables_hold_no_sender_or_reference(db_url):
    reference = submit(db_url).reference
    status(db_url, reference, "0000", sender="rest:alice-sender")
    engine = get_engine(db_url)
    dumped = []
    with engine.connect() as connection:
        for name in ("limit_event", "limit_lock"):
            dumped += [str(row) for row in connection.execute(select(Table(name, MetaData(), autoload_with=engine)))]
    assert dumped and not any("alice" in row or reference in row for row in dumped)


# -- export ---------------------------------------------------------------------------------------------


def test_export_rows_are_decrypted_and_filtered(db_url):
    budi = submit(db_url).reference
    siti = submit(db_url, answers=bpu_answers(nik=NIK_WOMAN, city="Depok", full_name="Siti Aminah")).reference
    project = submit(db_url, "jakon", jakon_answers(project_city="bandung"))
    everything = rows(db_url)
    assert [row["reference"] for row in everything] == [budi, siti, project.reference]
    first = everything[0]
    assert first["nik"] == NIK and first["phone"] == PHONE and first["full_name"] == "Budi Santoso"
    assert first["birth_date"] == "1990-08-17" and first["segment"] == "bpu" and first["city"] == "Bandung"
    assert everything[2]["nik"] == "" and everything[2]["project_name"] == "Gudang Cikarang"
    assert [row["reference"] for row in rows(db_url, segment="bpu", city=" BANDUNG ")] == [budi]
    assert [row["reference"] for row in rows(db_url, city="bandung")] == [budi, project.reference]
    assert rows(db_url, segment="pmi") == []


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
    reference = submit(db_url).reference
    status(db_url, reference, "0000", sender="sender-0812-9999-8888")
    dumped = every_value_as_text(db_url)
    assert "Bandung" in dumped  # the dump does see the clear columns
    secrets_in_clear = [NIK, NIK[:12], PHONE_DIGITS, "1990-08-17", "Budi Santoso", reference, "0812-9999-8888"]
    for secret in secrets_in_clear[:-2]:
        assert secret not in dumped, secret
    assert "0812-9999-8888" not in dumped  # the attempt table keeps only keyed hashes
    assert hashlib.sha256(NIK.encode()).hexdigest() not in dumped  # only keyed hashes
    if db_url.startswith("sqlite"):
        raw = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("reg.db"))
        for secret in secrets_in_clear[:5]:
            assert secret.encode() not in raw, secret


def test_the_nik_column_holds_ciphertext_readable_with_the_key_only(db_url, monkeypatch):
    submit(db_url)
    with session_scope(db_url) as session:
        row = session.query(store.PreRegistration).one()
        assert crypto.decrypt(row.nik_encrypted) == NIK and crypto.decrypt(row.phone_encrypted) == PHONE
        assert row.identity_hash == crypto.lookup_hash(NIK)
    monkeypatch.setenv(crypto.ENV_VAR, crypto.generate_key())
    with pytest.raises(InvalidToken):  # another key reads nothing
        rows(db_url)


def test_tables_are_prefixed_and_keep_no_personal_data_in_clear(db_url):
    engine = get_engine(db_url)
    assert all(name.startswith("reg_") for name in store.Base.metadata.tables)
    columns = {column["name"] for column in inspect(engine).get_columns("reg_preregistration")}
    assert {"identity_hash", "nik_encrypted", "phone_encrypted", "status_hash", "city", "payload_encrypted"} <= columns
    assert not columns & {"nik", "phone", "birth_date", "full_name"}
