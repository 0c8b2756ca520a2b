"""The submission re-check: every stored answer checked again by its field kind, before anything is stored."""

from datetime import date

from test_engine import NIK_MALE_1990, RULES

from tanya.forms.submission import invalid_answers

TODAY = date(2026, 11, 24)
BPU = {
    "reg_full_name": "Budi Santoso", "reg_nik": NIK_MALE_1990, "reg_birth_date": "1990-08-17", "reg_gender": "male",
    "reg_phone": "+6281234567890", "reg_email": "-", "reg_occupation": "pedagang", "reg_city": "Makassar",
}


def test_answers_the_form_took_pass_the_recheck():
    assert invalid_answers("bpu", BPU, RULES, TODAY) == []


def test_a_tampered_or_missing_answer_is_named():
    tampered = {**BPU, "reg_nik": "3201011808900001", "reg_phone": "0812", "reg_city": None}
    assert invalid_answers("bpu", tampered, RULES, TODAY) == ["reg_nik", "reg_phone", "reg_city"]


def test_an_optional_answer_may_be_missing_a_required_one_may_not():
    assert invalid_answers("bpu", {**BPU, "reg_email": None}, RULES, TODAY) == []
    assert invalid_answers("bpu", {**BPU, "reg_gender": None}, RULES, TODAY) == ["reg_gender"]


def test_an_unmet_perisai_requirement_never_reaches_the_store():
    answers = {f"reg_perisai_req_{n}": True for n in range(1, 7)}
    assert invalid_answers("perisai", answers, RULES, TODAY) == []
    assert invalid_answers("perisai", {**answers, "reg_perisai_req_4": False}, RULES, TODAY) == ["reg_perisai_req_4"]
