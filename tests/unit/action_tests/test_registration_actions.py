"""Pre-registration actions: form turns, sealed slots, re-checked submission, status check with limits."""

import re

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
SENDER = "tester"
BPU_ANSWERS = {
    "reg_segment": "bpu",
    "reg_full_name": "Budi Santoso",
    "reg_birth_date": "1990-08-17",
    "reg_gender": "male",
    "reg_email": "-",
    "reg_occupation": "driver ojol",
    "reg_city": "Bandung",
}


def bpu_slots(sender=SENDER):
    return {**BPU_ANSWERS, "reg_nik": crypto.seal(NIK, sender), "reg_phone": crypto.seal("+6281234567890", sender)}


def form_turn(run, text, requested, slots, intent="nlu_fallback", entities=None, **options):
    return run(ValidateRegistrationForm(), make_tracker(text, intent, entities, slots, requested=requested, **options))


def test_activation_introduces_the_form_and_asks_the_first_field(kb_url, run):
    tracker = make_tracker("saya mau daftar BPU", "request_registration", {"segment": "bpu"})
    result = run(ValidateRegistrationForm(), tracker)
    assert result.names == ["registration_intro", "ask_reg_full_name"]
    assert result.slot("reg_segment") == "bpu" and result.slot("requested_slot") == "reg_full_name"
    assert result.slot("segment") == "bpu"  # the conversation's context follows the form
    assert "Bukan Penerima Upah" in result.text


def test_nik_is_sealed_for_this_conversation(kb_url, run):
    result = form_turn(run, "3201 0117 0890 0001", "reg_nik", {"reg_segment": "bpu", "reg_full_name": "Budi"})
    stored = result.slot("reg_nik")
    assert NIK not in stored and crypto.unseal(stored, SENDER) == NIK
    assert crypto.unseal(stored, "someone-else") is None
    assert result.names == ["ask_reg_birth_date"]


def test_a_ciphertext_from_another_conversation_is_dropped_and_asked_again(kb_url, run):
    stolen = {**bpu_slots(sender="victim"), "reg_city": None}
    result = form_turn(run, "Bandung", "reg_city", stolen)
    assert result.slot("reg_nik") is None and result.slot("reg_phone") is None
    assert result.names == ["ask_reg_nik"] and NIK not in result.text


def test_a_field_answer_does_not_change_the_conversations_language(kb_url, run):
    english = [{"event": "slot", "name": "language", "value": "en"}]
    # the NLU heard Indonesian in a name; the form keeps English
    result = form_turn(run, "Budi Santoso", "reg_full_name", {"reg_segment": "bpu", "language": "id"}, events=english)
    assert result.slot("language") == "en" and "NIK" in result.text and "Berapa" not in result.text


def test_invalid_answer_is_refused_with_its_reason_in_english(kb_url, run):
    english = [{"event": "slot", "name": "language", "value": "en"}]  # the conversation so far is in English
    result = form_turn(run, "12345", "reg_nik", {"reg_segment": "bpu", "language": "en"}, events=english)
    assert result.names == ["invalid_nik_length", "ask_reg_nik"]
    assert "16 digits" in result.text and result.slot("reg_failures") == 1


def test_a_phone_with_letters_is_refused(kb_url, run):
    result = form_turn(run, "0812abc7890", "reg_phone", {**BPU_ANSWERS, "reg_nik": crypto.seal(NIK, SENDER)})
    assert result.names == ["invalid_phone_invalid", "ask_reg_phone"] and result.slot("reg_phone") == "<unset>"


def test_nik_and_birth_date_disagreeing_asks_which_one_is_wrong(kb_url, run):
    slots = {"reg_segment": "bpu", "reg_full_name": "Budi", "reg_nik": crypto.seal(NIK, SENDER)}
    asked = form_turn(run, "18 Agustus 1990", "reg_birth_date", slots)
    assert asked.names == ["ask_registration_mismatch_birth_date"]
    payloads = [b["payload"] for b in asked.buttons()]
    assert payloads == ['/inform{"form_field":"reg_nik"}', '/inform{"form_field":"reg_birth_date"}']
    slots.update({"reg_pending": asked.slot("reg_pending"), "reg_mismatch": asked.slot("reg_mismatch")})
    nik_wrong = form_turn(run, '/inform{"form_field":"reg_nik"}', "reg_pending", slots, "inform", {"form_field": "reg_nik"})
    assert nik_wrong.slot("reg_nik") is None and nik_wrong.slot("reg_birth_date") == "1990-08-18"
    assert nik_wrong.names == ["ask_reg_nik"]
    date_wrong = form_turn(run, "tanggal lahirnya yang salah", "reg_pending", slots)
    assert date_wrong.slot("reg_birth_date") is None and date_wrong.names == ["ask_reg_birth_date"]


def test_thanks_is_never_taken_as_an_answer(kb_url, run):
    result = form_turn(run, "oke, makasih", "reg_nik", {"reg_segment": "bpu"}, intent="thank", confidence=1.0)
    assert result.names == ["registration_thanks", "ask_reg_nik"] and result.slot("reg_nik") == "<unset>"


def test_asking_for_a_person_pauses_the_form_and_hands_off(kb_url, run):
    paused = form_turn(run, "mau bicara dengan petugas", "reg_nik", {"reg_segment": "bpu"}, intent="request_human",
                       confidence=1.0)
    assert paused.slot("reg_outcome") == "handoff" and paused.slot("requested_slot") is None
    finished = run(ActionFinishRegistration(), make_tracker("", slots={**BPU_ANSWERS, "reg_outcome": "handoff"}))
    assert finished.names[0] == "registration_paused_handoff" and "175" in finished.text
    assert finished.slot("reg_full_name") == "<unset>"  # the answers are kept for "lanjut daftar"


def test_summary_masks_the_nik(kb_url, run):
    result = form_turn(run, "Bandung", "reg_city", {**bpu_slots(), "reg_city": None})
    assert result.names == ["registration_summary"]
    assert "************0001" in result.text and NIK not in result.text
    assert "+6281234567890" in result.text and "17-08-1990" in result.text
    assert [b["payload"] for b in result.buttons()] == ["/affirm", "/edit_registration", "/cancel_registration"]


def test_question_in_the_form_is_answered_then_the_field_asked_again(kb_url, run):
    tracker = make_tracker(
        "dokumen buat bpu apa aja?", "ask_documents", {"segment": "bpu", "facet": "documents"}, {"reg_segment": "bpu"},
        requested="reg_city",
    )
    result = run(ValidateRegistrationForm(), tracker)
    assert "E-KTP" in result.messages[0]["text"] and result.names[-1] == "ask_reg_city"
    assert result.slot("requested_slot") == "reg_city"


def test_perisai_requirement_question_shows_the_requirement_from_the_knowledge(kb_url, run):
    result = form_turn(run, "/affirm", "reg_perisai_req_1", {"reg_segment": "perisai"}, intent="affirm")
    assert result.names == ["ask_reg_perisai_req_2"]
    assert "Bukan karyawan aktif BPJAMSOSTEK" in result.text


def submit(run, slots, sender=SENDER):
    return run(ActionFinishRegistration(), make_tracker("/affirm", "affirm", slots=slots, sender=sender))


def test_submission_gives_reference_documents_and_channels_in_one_message(kb_url, run):
    first = submit(run, {**bpu_slots(), "reg_outcome": "confirmed", "reg_confirm": True})
    assert len(first.messages) == 1
    reference = re.search(r"BPU-\d{4}-[A-Z0-9]{6}", first.text).group(0)
    assert "E-KTP" in first.text and "Cermati" in first.text
    assert first.slot("reg_outcome") == "submitted" and first.slot("reg_nik") is None  # form cleared
    again = submit(run, {**bpu_slots("another"), "reg_outcome": "confirmed"}, sender="another")
    assert again.slot("reg_outcome") == "duplicate"
    assert reference not in again.text and "sudah pernah kami terima" in again.text  # a NIK alone reveals nothing

    engine = create_engine(kb_url)
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - table names from the schema
                assert NIK not in " ".join(str(value) for value in row), table


def test_submission_rechecks_every_answer_before_storing(kb_url, run):
    forged = {
        **BPU_ANSWERS,
        "reg_full_name": "<b>Budi</b>",
        "reg_birth_date": "1900-01-01",
        "reg_nik": None,
        "reg_phone": crypto.seal("+6281234567890", SENDER),
        "reg_outcome": "confirmed",
    }
    result = submit(run, forged)
    assert result.names == ["registration_check_failed"]
    assert result.slot("reg_full_name") is None and result.slot("reg_nik") is None and result.slot("reg_birth_date") is None
    engine = create_engine(kb_url)
    if "reg_preregistration" in inspect(engine).get_table_names():
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM reg_preregistration")).scalar() == 0


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


def show_status(run, reference, digits, sender="checker"):
    slots = {"status_reference": reference, "status_secret": digits}
    return run(ActionShowStatus(), make_tracker("", slots=slots, sender=sender))


def test_status_needs_the_phone_digits_and_the_sixth_wrong_try_is_refused(kb_url, run):
    submitted = submit(run, {**bpu_slots(), "reg_outcome": "confirmed"})
    reference = re.search(r"BPU-\d{4}-[A-Z0-9]{6}", submitted.text).group(0)
    asked = run(ValidateStatusForm(), make_tracker(f"cek status {reference.lower()}", "check_status"))
    assert asked.names == ["ask_status_digits"] and asked.slot("status_reference") == reference
    answered = run(
        ValidateStatusForm(),
        make_tracker("****7890", "nlu_fallback", slots={"status_reference": reference}, requested="status_secret"),
    )
    assert answered.slot("status_secret") == "7890" and answered.slot("requested_slot") is None

    right = show_status(run, reference, "7890")
    assert right.names == ["status_result"] and reference in right.text
    # a NIK alone (or the date of birth inside it) opens nothing
    assert show_status(run, reference, NIK[-4:]).names == ["status_not_found"]
    for _ in range(4):
        assert show_status(run, reference, "0000").names == ["status_not_found"]
    locked = show_status(run, reference, "7890")  # the right digits, after five failures within the hour
    assert locked.names == ["status_locked"] and "175" in locked.text
