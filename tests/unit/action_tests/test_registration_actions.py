"""Pre-registration actions: form turns, submission (idempotent, encrypted), status check."""

from action_helpers import make_tracker
from sqlalchemy import create_engine, inspect, text

from actions.registration_actions import (
    ActionFinishRegistration,
    ActionShowStatus,
    ValidateRegistrationForm,
    ValidateStatusForm,
)
from tanya.registration import crypto

NIK = "3201011708900001"  # born 17-08-1990, male
BPU_ANSWERS = {
    "reg_segment": "bpu",
    "reg_full_name": "Budi Santoso",
    "reg_birth_date": "1990-08-17",
    "reg_gender": "male",
    "reg_email": "-",
    "reg_occupation": "driver ojol",
    "reg_city": "Bandung",
}


def bpu_slots():
    return {**BPU_ANSWERS, "reg_nik": crypto.encrypt(NIK), "reg_phone": crypto.encrypt("+6281234567890")}


def test_activation_introduces_the_form_and_asks_the_first_field(kb_url, run):
    tracker = make_tracker("saya mau daftar BPU", "request_registration", {"segment": "bpu"})
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["registration_intro", "ask_reg_full_name"]
    assert result.slot("reg_segment") == "bpu" and result.slot("requested_slot") == "reg_full_name"
    assert "Bukan Penerima Upah" in result.text


def test_nik_is_stored_encrypted_in_the_slot(kb_url, run):
    tracker = make_tracker(
        "3201 0117 0890 0001",
        "nlu_fallback",
        slots={"reg_segment": "bpu", "reg_full_name": "Budi"},
        requested="reg_nik",
    )
    result = run(ValidateRegistrationForm(), tracker)
    stored = result.slot("reg_nik")
    assert NIK not in stored and crypto.decrypt(stored) == NIK
    assert result.names == ["ask_reg_birth_date"]


def test_invalid_answer_is_refused_with_its_reason_in_english(kb_url, run):
    tracker = make_tracker("12345", "nlu_fallback", slots={"reg_segment": "bpu", "language": "en"}, requested="reg_nik")
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["invalid_nik_length", "ask_reg_nik"]
    assert "16 digits" in result.text and result.slot("reg_failures") == 1


def test_summary_masks_the_nik(kb_url, run):
    tracker = make_tracker("Bandung", "nlu_fallback", slots={**bpu_slots(), "reg_city": None}, requested="reg_city")
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["registration_summary"]
    assert "************0001" in result.text and NIK not in result.text
    assert "+6281234567890" in result.text and "17-08-1990" in result.text
    assert [b["payload"] for b in result.buttons()] == ["/affirm", "/edit_registration", "/cancel_registration"]


def test_question_in_the_form_is_answered_then_the_field_asked_again(kb_url, run):
    tracker = make_tracker(
        "dokumen buat bpu apa aja?", "ask_documents", {"segment": "bpu"}, {"reg_segment": "bpu"}, requested="reg_city"
    )
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["documents", "ask_reg_city"]
    assert result.slot("requested_slot") == "reg_city"


def test_perisai_requirement_question_shows_the_requirement_from_the_knowledge(kb_url, run):
    tracker = make_tracker("/affirm", "affirm", slots={"reg_segment": "perisai"}, requested="reg_perisai_req_1")
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["ask_reg_perisai_req_2"]
    assert "Bukan karyawan aktif BPJAMSOSTEK" in result.text


def test_submission_gives_reference_documents_channels_and_is_idempotent(kb_url, run):
    slots = {**bpu_slots(), "reg_outcome": "confirmed", "reg_confirm": True}
    first = run(ActionFinishRegistration(), make_tracker("/affirm", "affirm", slots=slots))
    assert first.names == ["registration_submitted", "registration_next_documents", "registration_next_channels"]
    reference = first.slot("reg_reference")
    assert reference.startswith("BPU-") and reference in first.text
    assert first.slot("reg_nik") is None and first.slot("reg_segment") is None  # form cleared
    again = run(
        ActionFinishRegistration(), make_tracker("/affirm", "affirm", slots={**bpu_slots(), "reg_outcome": "confirmed"})
    )
    assert again.names[0] == "registration_duplicate" and again.slot("reg_reference") == reference

    engine = create_engine(kb_url)
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - table names from the schema
                assert NIK not in " ".join(str(value) for value in row), table


def test_blocked_jakon_explains_the_prerequisite_and_offers_pu(kb_url, run):
    slots = {"reg_segment": "jakon", "reg_outcome": "blocked", "reg_blocked": "reg_pu_number"}
    result = run(ActionFinishRegistration(), make_tracker("belum punya", "deny", slots=slots))
    assert result.names == ["registration_blocked_jakon"]
    assert "Penerima Upah" in result.text
    assert result.buttons()[0]["payload"] == '/request_registration{"segment":"pu"}'


def test_blocked_perisai_explains_the_unmet_requirement(kb_url, run):
    slots = {"reg_segment": "perisai", "reg_outcome": "blocked", "reg_blocked": "reg_perisai_req_3", "language": "en"}
    result = run(ActionFinishRegistration(), make_tracker("/deny", "deny", slots=slots))
    assert result.names == ["registration_blocked_requirement"]
    assert "Non-Wage Recipient Worker" in result.text
    assert result.buttons()[0]["payload"] == '/request_registration{"segment":"bpu"}'


def test_status_only_with_the_right_date_of_birth(kb_url, run):
    submitted = run(
        ActionFinishRegistration(), make_tracker("/affirm", "affirm", slots={**bpu_slots(), "reg_outcome": "confirmed"})
    )
    reference = submitted.slot("reg_reference")

    asked = run(ValidateStatusForm(), make_tracker(f"cek status {reference.lower()}", "check_status"))
    assert asked.names == ["ask_status_birth_date"] and asked.slot("status_reference") == reference
    answered = run(
        ValidateStatusForm(),
        make_tracker(
            "17 Agustus 1990", "nlu_fallback", slots={"status_reference": reference}, requested="status_secret"
        ),
    )
    assert answered.slot("requested_slot") is None

    right = run(
        ActionShowStatus(), make_tracker("", slots={"status_reference": reference, "status_secret": "1990-08-17"})
    )
    assert right.names == ["status_result"] and reference in right.text
    wrong = run(
        ActionShowStatus(), make_tracker("", slots={"status_reference": reference, "status_secret": "1990-08-18"})
    )
    unknown = run(
        ActionShowStatus(),
        make_tracker("", slots={"status_reference": "BPU-2026-AAAAAA", "status_secret": "1990-08-17"}),
    )
    assert wrong.names == unknown.names == ["status_not_found"] and wrong.text == unknown.text
