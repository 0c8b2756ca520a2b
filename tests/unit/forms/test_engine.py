"""The pre-registration form, turn by turn (pure engine, real validators, fake encryption)."""

from datetime import date

import pytest

from tanya.forms import fields as F
from tanya.forms.engine import handle_turn, plan
from tanya.forms.inputs import Rules, UserTurn, Vault
from tanya.forms.knowledge_rules import load_edit_words, load_field_words

TODAY = date(2026, 11, 24)
NIK_MALE_1990 = "3201011708900001"  # born 17-08-1990, male
NIK_FEMALE_1990 = "3201015708900002"  # day + 40: born 17-08-1990, female
RULES = Rules(
    max_age={"bpu": 60, "pu": None, "pmi": None, "jakon": None, "perisai": None},
    stage_fields={
        "before_departure": frozenset(),
        "during_after": frozenset({"reg_passport_number", "reg_employment_agreement"}),
        "extension": frozenset({"reg_employment_agreement"}),
    },
    stage_names={"sebelum berangkat": "before_departure", "before leaving": "before_departure"},
    field_words=load_field_words(),
    edit_words=load_edit_words(),
)
VAULT = Vault(encrypt=lambda v: f"enc:{v[::-1]}", decrypt=lambda t: t[len("enc:") :][::-1])


class Form:
    """Drives the engine like Rasa does: keeps slots and the requested slot between turns."""

    def __init__(self, **slots):
        self.slots = {name: None for name in F.FORM_SLOTS}
        self.slots.update(slots)
        self.requested = None
        self.last = None

    def say(self, text, intent="", confidence=0.99, **entities):
        self.last = handle_turn(
            self.slots, UserTurn(text, intent, confidence, entities), RULES, VAULT, TODAY, self.requested
        )
        self.slots.update(self.last.slots)
        self.requested = self.last.requested
        return self.last

    @property
    def said(self):
        return [item.name for item in self.last.say]


def test_bpu_happy_path_collects_every_field_then_confirms():
    form = Form()
    form.say("saya mau daftar BPU", "request_registration", segment="bpu")
    assert form.said == ["registration_intro", "ask_reg_full_name"]
    answers = [
        ("budi santoso", "ask_reg_nik"),
        ("3201 0117 0890 0001", "ask_reg_birth_date"),
        ("17 Agustus 1990", "ask_reg_gender"),
        ("laki-laki", "ask_reg_phone"),
        ("0812-3456-7890", "ask_reg_email"),
        ("lewati", "ask_reg_occupation"),
        ("driver ojol", "ask_reg_city"),
        ("Kota Bandung", "registration_summary"),
    ]
    for answer, expected_question in answers:
        form.say(answer)
        assert form.said == [expected_question], (answer, form.said)
    assert form.requested == F.CONFIRM_SLOT
    assert form.slots["reg_full_name"] == "Budi Santoso"
    assert form.slots["reg_nik"] == VAULT.encrypt(NIK_MALE_1990)  # never the clear NIK in a slot
    assert form.slots["reg_phone"] == VAULT.encrypt("+6281234567890")
    assert form.slots["reg_birth_date"] == "1990-08-17"
    form.say("/affirm", "affirm")
    assert form.requested is None and form.slots[F.OUTCOME_SLOT] == "confirmed"


def test_segment_is_asked_when_unknown_and_context_segment_is_used_when_known():
    form = Form()
    form.say("mau daftar", "request_registration")
    assert form.said == ["ask_reg_segment"] and form.requested == F.SEGMENT_SLOT
    form.say('/request_registration{"segment":"pmi"}', "request_registration", segment="pmi")
    assert form.said == ["registration_intro", "ask_reg_full_name"]
    context = Form(segment="bpu")
    context.say("daftar sekarang", "request_registration")
    assert context.slots[F.SEGMENT_SLOT] == "bpu"


@pytest.mark.parametrize(
    "nik, birth, gender, question",
    [
        (NIK_MALE_1990, "18-08-1990", None, "ask_registration_mismatch_birth_date"),
        (NIK_FEMALE_1990, "17-08-1990", "laki-laki", "ask_registration_mismatch_gender"),
        (NIK_MALE_1990, "17/8/90", "perempuan", "ask_registration_mismatch_gender"),
    ],
)
def test_nik_disagreeing_with_birth_date_or_gender_asks_which_is_wrong(nik, birth, gender, question):
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(nik)
    form.say(birth)
    if gender is not None:
        assert form.said == ["ask_reg_gender"]
        form.say(gender)
    assert form.said == [question] and form.requested == F.PENDING_SLOT
    assert form.slots[F.MISMATCH_SLOT]["other"] == F.NIK_FIELD.slot


def test_after_a_mismatch_either_field_can_be_entered_again():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("nik nya yang salah")  # the date just given was right: it is kept, the NIK asked again
    assert form.said == ["ask_reg_nik"] and form.slots[F.BIRTH_DATE.slot] == "1990-08-18"
    assert form.slots[F.NIK_FIELD.slot] is None
    form.say("3201011808900001")  # born 18-08-1990: now both agree
    assert form.said == ["ask_reg_gender"]


def test_a_mismatch_answer_that_names_nothing_asks_again():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("hmm")
    assert form.said == ["ask_registration_mismatch_birth_date"]


def test_after_a_mismatch_a_corrected_date_is_taken_without_naming_the_field():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("17 Agustus 1990")  # the date inside the NIK: the disagreement is over
    assert form.said == ["ask_reg_gender"] and form.slots[F.BIRTH_DATE.slot] == "1990-08-17"
    assert form.slots[F.PENDING_SLOT] is None and form.slots[F.MISMATCH_SLOT] is None


def test_after_a_mismatch_a_corrected_nik_is_taken_and_the_date_kept():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("3201011808900001")  # a NIK born 18-08-1990 agrees with the date just given
    assert form.said == ["ask_reg_gender"]
    assert form.slots[F.BIRTH_DATE.slot] == "1990-08-18"
    assert VAULT.decrypt(form.slots[F.NIK_FIELD.slot]) == "3201011808900001"


def test_a_mismatch_never_traps_the_user():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("hmm")
    form.say("entahlah")
    form.say("???")  # third answer that neither names a field nor corrects one: the way out is offered
    assert form.said == ["ask_registration_stuck"] and form.slots[F.PENDING_SLOT] == "stuck"


def test_cancel_works_while_a_mismatch_is_pending():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("batal")
    assert form.said == ["ask_registration_cancel"]


def test_bpu_age_limit_comes_from_rules():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_birth_date"
    form.say("01-01-1960")
    assert form.said == ["invalid_age_over_limit", "ask_reg_birth_date"]
    pmi = Form(reg_segment="pmi", reg_full_name="Siti")
    pmi.requested = "reg_birth_date"
    pmi.say("01-01-1960")  # no age rule for PMI on the page: accepted, the next missing field is asked
    assert pmi.said == ["ask_reg_nik"] and pmi.slots["reg_birth_date"] == "1960-01-01"


def test_two_failures_explain_and_offer_later_or_human_instead_of_looping():
    form = Form(reg_segment="bpu")
    form.requested = "reg_phone"
    form.say("12")
    assert form.said == ["invalid_phone_invalid", "ask_reg_phone"]
    form.say("abc")
    assert form.said == ["invalid_phone_invalid", "ask_registration_stuck"] and form.slots[F.PENDING_SLOT] == "stuck"
    form.say("/deny", "deny")
    assert form.requested is None and form.slots[F.OUTCOME_SLOT] == "paused"


def test_stuck_then_try_again_resumes_same_field():
    form = Form(reg_segment="bpu", reg_full_name="Siti", reg_failures=3, reg_pending="stuck")
    form.requested = F.PENDING_SLOT
    form.say("/affirm", "affirm")
    assert form.said == ["ask_reg_nik"] and form.slots[F.FAILURES_SLOT] == 0


@pytest.mark.parametrize(
    "text, intent", [("batal", ""), ("gak jadi", "cancel_registration"), ("cancel", ""), ("stop", "")]
)
def test_cancel_asks_for_confirmation_then_clears_everything(text, intent):
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(text, intent)
    assert form.said == ["ask_registration_cancel"]
    form.say("/affirm", "affirm")
    assert form.requested is None and form.slots[F.OUTCOME_SLOT] == "cancelled"
    assert form.slots["reg_full_name"] is None and form.slots[F.SEGMENT_SLOT] is None


def test_cancel_declined_resumes_where_it_was():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say("batal")
    form.say("tidak", "deny", 0.9)
    assert form.said == ["registration_resumed", "ask_reg_nik"] and form.slots["reg_full_name"] == "Siti"


def test_question_in_the_middle_is_answered_and_the_field_asked_again():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_city"
    form.say("berapa batas usia untuk BPU?", "ask_eligibility", 0.95, segment="bpu")
    assert form.last.interruption == "ask_eligibility"
    assert form.said == ["ask_reg_city"] and form.slots["reg_city"] is None


def test_a_plain_answer_is_not_mistaken_for_a_question():
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_city"
    form.say("Jakarta", "ask_jakon_branches", 0.9)
    assert form.last.interruption is None and form.slots["reg_city"] == "Jakarta"


def test_edit_one_field_from_the_summary_without_restarting():
    form = Form(
        reg_segment="pu",
        reg_company_name="PT Maju",
        reg_nib="1234567890123",
        reg_npwp="012345678901234",
        reg_contact_name="Ani",
        reg_phone=VAULT.encrypt("+6281234567890"),
        reg_email="-",
        reg_worker_count=25,
        reg_foreign_workers=False,
    )
    form.requested = F.CONFIRM_SLOT
    form.say("/edit_registration", "edit_registration")
    assert form.said == ["ask_reg_edit_field"]
    form.say('/edit_registration{"form_field":"reg_worker_count"}', "edit_registration", form_field="reg_worker_count")
    assert form.said == ["ask_reg_worker_count"] and form.slots["reg_worker_count"] is None
    form.say("30 orang")
    assert form.said == ["registration_summary"] and form.slots["reg_worker_count"] == 30
    assert form.slots["reg_company_name"] == "PT Maju"


@pytest.mark.parametrize(
    "stage, extra",
    [
        ("before_departure", []),
        ("during_after", ["reg_passport_number", "reg_employment_agreement"]),
        ("extension", ["reg_employment_agreement"]),
    ],
)
def test_pmi_asks_stage_documents_only_where_the_stage_needs_them(stage, extra):
    slots = {"reg_pmi_stage": stage}
    asked = [f.slot for f in plan("pmi", slots, RULES)]
    base = ["reg_full_name", "reg_nik", "reg_birth_date", "reg_phone", "reg_pmi_stage", "reg_destination_country"]
    assert asked == base + extra


def test_unmet_perisai_requirement_ends_the_form():
    form = Form(reg_segment="perisai", reg_perisai_req_1=True, reg_perisai_req_2=True)
    form.requested = "reg_perisai_req_3"
    form.say("/deny", "deny")
    assert form.requested is None
    assert form.slots[F.OUTCOME_SLOT] == "blocked" and form.slots[F.BLOCKED_SLOT] == "reg_perisai_req_3"


def test_jakon_without_pu_registration_is_blocked():
    form = Form(reg_segment="jakon", reg_project_owner="PT Bangun")
    form.requested = "reg_pu_number"
    form.say("belum punya")
    assert form.slots[F.OUTCOME_SLOT] == "blocked" and form.slots[F.BLOCKED_SLOT] == "reg_pu_number"


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("sebelum berangkat", {}, "before_departure"),
        ("Before leaving!", {}, "before_departure"),
        ('/inform{"pmi_stage":"extension"}', {"pmi_stage": "extension"}, "extension"),
        ("during", {}, "during_after"),
    ],
)
def test_stage_from_entity_button_or_words(text, entities, expected):
    rules = Rules(
        max_age={},
        stage_fields={},
        stage_names={
            "sebelum berangkat": "before_departure",
            "before leaving": "before_departure",
            "during after returning from work": "during_after",
            "extension": "extension",
        },
    )
    form = Form(reg_segment="pmi")
    form.requested = "reg_pmi_stage"
    result = handle_turn(form.slots, UserTurn(text, "inform", 0.9, entities), rules, VAULT, TODAY, "reg_pmi_stage")
    assert result.slots.get("reg_pmi_stage") == expected


def test_ambiguous_stage_words_are_asked_again():
    form = Form(reg_segment="pmi")
    result = handle_turn(form.slots, UserTurn("work", "inform", 0.9, {}), RULES, VAULT, TODAY, "reg_pmi_stage")
    assert [s.name for s in result.say] == ["invalid_stage_invalid", "ask_reg_pmi_stage"]


def test_the_words_naming_a_field_come_from_the_language_data():
    words = load_field_words()
    # every field can be named, but the six Perisai requirements (a yes or no each, changed with the buttons)
    assert set(words) == set(F.ALL_FIELDS) - {f.slot for f in F.PERISAI_REQUIREMENTS}
    assert "nik" in words["reg_nik"] and "birth" in words["reg_birth_date"] and "kelamin" in words["reg_gender"]
    form = Form(reg_segment="bpu", reg_full_name="Siti")
    form.requested = "reg_nik"
    form.say(NIK_MALE_1990)
    form.say("18-08-1990")
    form.say("the date of birth is wrong")  # English works too: the date is asked again
    assert form.said == ["ask_reg_birth_date"] and form.slots[F.BIRTH_DATE.slot] is None


@pytest.mark.parametrize("reply, intent", [("ok", "affirm"), ("iya kak", "affirm"), ("nggak", "deny"), ("yes", "affirm")])
def test_a_bare_yes_or_no_is_not_an_occupation(reply, intent):
    form = Form(reg_segment="bpu", reg_full_name="Budi", reg_nik=VAULT.encrypt(NIK_MALE_1990), reg_birth_date="1990-08-17",
                reg_gender="male", reg_phone=VAULT.encrypt("+6281234567890"), reg_email="-")
    form.requested = "reg_occupation"
    form.say(reply, intent)
    assert form.said == ["invalid_text_not_an_answer", "ask_reg_occupation"]
    assert form.slots["reg_occupation"] is None
    form.say("pedagang sayur", "inform")  # a real answer, whatever the NLU called it
    assert form.slots["reg_occupation"] == "pedagang sayur" and form.said == ["ask_reg_city"]


def test_every_answer_that_can_hold_ten_digits_is_sealed_in_its_slot():
    """The tracker store masks runs of 10+ digits in clear slot values: such answers must be encrypted."""
    from tanya.privacy.masking import mask_value

    examples = {F.NIK: NIK_MALE_1990, F.PHONE: "+6281234567890", F.NIB: "1234567890123", F.NPWP: "012345678901000",
                F.CODE: "PU1234567890"}
    for field in F.ALL_FIELDS.values():
        example = examples.get(field.kind)
        if example is not None and mask_value(example) != example:
            assert field.sensitive, f"{field.slot} would be stored masked"


def _at_summary(**extra):
    form = Form(reg_segment="bpu", reg_full_name="Budi Santoso", reg_nik=VAULT.encrypt(NIK_MALE_1990),
                reg_birth_date="1990-08-17", reg_gender="male", reg_phone=VAULT.encrypt("+6281234567890"), reg_email="-",
                reg_occupation="pedagang", reg_city="Bandung", **extra)
    form.requested = F.CONFIRM_SLOT
    return form


@pytest.mark.parametrize("text", ["ganti nomor hp dong", "change the phone number", "no hp nya salah", "the mobile is wrong"])
def test_at_the_summary_naming_a_field_to_change_opens_that_field(text):
    form = _at_summary()
    form.say(text, "inform", 0.5)
    assert form.said == ["ask_reg_phone"] and form.slots["reg_phone"] is None
    form.say("0813 1111 2222")
    assert form.said == ["registration_summary"] and form.slots["reg_phone"] == VAULT.encrypt("+6281311112222")


def test_at_the_summary_a_yes_that_names_a_field_still_confirms():
    form = _at_summary()
    form.say("ya, nomor hp sudah benar", "affirm", 0.95)
    assert form.slots[F.OUTCOME_SLOT] == "confirmed"


def test_at_the_summary_a_change_without_a_known_field_asks_which_one():
    form = _at_summary()
    form.say("ada yang mau saya ganti", "inform", 0.5)
    assert form.said == ["ask_reg_edit_field"]
