"""Pre-registration through the real assistant over REST, in both languages.

Runs against the test session's assistant (tests/integration/conftest.py), whose databases are throw-away
SQLite files: the last test greps them for the NIKs used here.
"""

import random
from datetime import date


def fresh_nik(female: bool = False, born: date = date(1990, 8, 17)) -> str:
    """A NIK that encodes `born` (day + 40 for women), unique per test run."""
    day = born.day + (40 if female else 0)
    return f"3201{random.randint(10, 99)}{day:02d}{born:%m}{born:%y}{random.randint(1000, 9999)}"


USED_NIKS = []


def names(replies):
    return [r.get("text", "") for r in replies]


def complete_bpu(chat, nik, language="id"):
    """Walk the BPU form; returns the replies to the confirmation."""
    start = "saya mau daftar BPU" if language == "id" else "I want to register as BPU now"
    answers = [
        "Budi Santoso",
        nik,
        "17 Agustus 1990" if language == "id" else "Aug 17 1990",
        "laki-laki" if language == "id" else "male",
        "0812 3456 7890",
        "lewati" if language == "id" else "skip",
        "driver ojol",
        "Bandung",
    ]
    chat.say(start)
    for answer in answers:
        replies = chat.say(answer)
        assert replies, f"no reply to {answer!r}"
    return replies


def test_bpu_happy_path_in_indonesian_then_duplicate(chat):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    summary = "\n".join(names(complete_bpu(chat, nik)))
    assert "Mohon periksa data Anda" in summary and "*" * 12 + nik[-4:] in summary and nik not in summary
    reply = chat.text("/affirm")
    assert "Nomor referensi: BPU-" in reply and "E-KTP" in reply
    reference = reply.split("Nomor referensi: ")[1].split(" ")[0]
    # same NIK and segment again: no duplicate, and the reference is not shown again (a NIK alone, which
    # anyone may know, must not open someone's record)
    again = "\n".join(names(complete_bpu(chat, nik)))
    assert "Mohon periksa" in again
    duplicate = chat.text("/affirm")
    assert "sudah pernah kami terima" in duplicate and "175" in duplicate
    assert reference not in duplicate and "BPU-" not in duplicate


def test_bpu_in_english_with_refused_values_and_reasons(chat):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    chat.say("I want to register as BPU now")
    assert "full name" in chat.text("Budi 123")  # refused: digits in a name
    chat.text("Budi Santoso")
    assert "16 digits" in chat.text("12345")
    chat.text(nik)
    assert "future" in chat.text("17 Aug 2090")
    assert "do not match" in chat.text("18 Aug 1990")
    assert "gender" in chat.text("Aug 17 1990").lower()  # the corrected date is taken at once
    chat.text("male")
    assert "not valid" in chat.text("12")
    chat.text("+62 812 3456 7890")
    assert "not valid" in chat.text("budi@")
    chat.text("budi@example.com")
    assert "not just" in chat.text("ok")  # a bare "ok" is not an occupation
    chat.text("freelance designer")
    reply = chat.text("Surabaya")
    assert "Please check your details" in reply and "budi@example.com" in reply
    assert "Reference number: BPU-" in chat.text("/affirm")


def test_a_bare_iya_is_not_taken_as_the_occupation_in_indonesian(chat):
    from tanya import messages

    chat.say("saya mau daftar BPU")
    for answer in ("Siti Aminah", fresh_nik(female=True), "17 Agustus 1990", "perempuan", "0812 3456 7890", "lewati"):
        chat.say(answer)
    assert messages.text("invalid_text_not_an_answer", "id") in chat.text("iya")
    assert "kota" in chat.text("penjahit rumahan").lower()  # the next question: city
    chat.say("batal")
    chat.say("/affirm")


def test_nik_and_date_disagreement_in_indonesian_is_resolved_by_naming_the_wrong_one(chat):
    nik = fresh_nik()
    chat.say("saya mau daftar BPU")
    chat.say("Budi Santoso")
    chat.say(nik)
    assert "tidak cocok" in chat.text("18 Agustus 1990")
    assert "NIK" in chat.text("NIK saya yang salah")  # the date is kept, the NIK asked again
    assert "jenis kelamin" in chat.text(fresh_nik(born=date(1990, 8, 18))).lower()


def test_cancel_with_confirmation_clears_the_form(chat):
    chat.say("saya mau daftar BPU")
    chat.say("Siti Aminah")
    assert "Yakin ingin membatalkan" in chat.text("gak jadi")
    assert "dibatalkan" in chat.text("/affirm")
    # a new start begins from the first question again, nothing remembered
    assert "nama lengkap" in chat.text("saya mau daftar BPU")


def test_question_mid_form_is_answered_and_the_form_resumes(chat):
    chat.say("saya mau daftar BPU")
    chat.say("Siti Aminah")
    reply = chat.text("dokumen buat daftar bpu apa aja?")
    assert "E-KTP" in reply and "NIK" in reply  # the answer, then the NIK question again


def test_language_switch_mid_form(chat):
    chat.say("saya mau daftar BPU")
    reply = chat.text("in English please")
    assert "full name" in reply


def test_edit_one_field_from_the_summary(chat):
    nik = fresh_nik(female=True)
    USED_NIKS.append(nik)
    chat.say("saya mau daftar BPU")
    for answer in ["Siti Aminah", nik, "17-08-1990", "perempuan", "081234567890", "-", "pedagang", "Depok"]:
        chat.say(answer)
    assert "Data mana yang ingin diubah" in chat.text("/edit_registration")
    assert "kota" in chat.text('/edit_registration{"form_field":"reg_city"}').lower()
    assert "Kota/kabupaten: Bogor" in chat.text("Bogor")


def test_two_failures_explain_and_offer_later_or_human_and_resume_later(chat):
    chat.say("saya mau daftar BPU")
    chat.say("Siti Aminah")
    assert "16 digit" in chat.text("1")
    replies = chat.say("2")
    assert "16 digit" in " ".join(names(replies))  # what is expected, once more, with the ways out
    assert [b["payload"] for r in replies for b in r.get("buttons", [])] == ["/affirm", "/deny", "/request_human"]
    assert "lanjut daftar" in chat.text("/deny")  # paused, answers kept
    assert "NIK" in chat.text("lanjut daftar")  # resumes at the field it stopped at


def test_jakon_without_pu_number_is_told_why_and_offered_pu(chat):
    chat.say("mau daftar proyek jakon sekarang")
    chat.say("PT Bangun Jaya")
    replies = chat.say("belum punya")
    text = "\n".join(names(replies))
    assert "Penerima Upah" in text
    assert any(b["payload"] == '/request_registration{"segment":"pu"}' for r in replies for b in r.get("buttons", []))


def test_a_company_s_long_numbers_survive_to_the_submission_in_english(chat):
    """NIB (13 digits) and NPWP (15) are kept sealed in their slots: the conversation store masks long
    digit runs, which once turned them into '*********0123' before the form was sent."""
    chat.say("I'd like to pre-register my company")
    nib = f"{random.randint(10**12, 10**13 - 1)}"
    for answer in ("PT Maju Jaya", nib, "01.234.567.8-901.000", "Andi Wijaya", "0812 3456 7890", "skip", "25"):
        chat.say(answer)
    summary = chat.text("/deny")  # no foreign workers
    assert nib in summary and "012345678901000" in summary.replace(".", "").replace("-", "")
    assert "mobile number" in chat.text("change the phone number")  # a field named at the summary
    assert "+6281311112222" in chat.text("0813 1111 2222")
    assert "Reference number: PU-" in chat.text("/affirm")


def test_a_long_pu_number_survives_to_the_jakon_submission_in_indonesian(chat):
    chat.say("mau daftarin proyek konstruksi")
    pu_number = f"{random.randint(10**11, 10**12 - 1)}"
    for answer in ("PT Bangun Negeri", pu_number, "Gedung Serbaguna", "Bekasi"):
        chat.say(answer)
    assert pu_number in chat.text("0812 9999 8888")  # the summary, read back from the stored slot
    assert "lokasi proyek" in chat.text("lokasi proyeknya salah").lower()
    assert "Kota Bekasi" in chat.text("Kota Bekasi")
    assert "Nomor referensi: JAKON-" in chat.text("/affirm")


def test_status_check_needs_the_last_phone_digits_and_locks_after_failures(chat):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    complete_bpu(chat, nik)
    reply = chat.text("/affirm")
    reference = reply.split("Nomor referensi: ")[1].split(" ")[0]
    assert "4 digit terakhir" in chat.text(f"cek status {reference}")
    assert "terkirim" in chat.text("7890")
    chat.text(f"cek status {reference}")
    assert "tidak dapat saya temukan" in chat.text("1111")
    # guessing is limited: after the allowed failures even the right digits are refused for a while
    for _ in range(5):
        chat.text(f"cek status {reference}")
        chat.text("2222")
    chat.text(f"cek status {reference}")
    locked = chat.text("7890")
    assert "dikunci" in locked and "terkirim" not in locked


def test_status_check_in_english(chat):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    complete_bpu(chat, nik, language="en")
    reply = chat.text("/affirm")
    reference = reply.split("Reference number: ")[1].split(" ")[0]
    assert "last 4 digits" in chat.text(f"check status {reference}")
    assert "submitted" in chat.text("7890")


def test_no_nik_in_clear_in_any_database_file(stack):
    assert USED_NIKS, "run with the registration tests above"
    paths = [url.split("sqlite:///", 1)[1] for url in (stack.database_url, stack.tracker_url)]
    for path in paths:
        raw = open(path, "rb").read()
        for nik in USED_NIKS:
            assert nik.encode() not in raw, f"{nik} in clear in {path}"
            grouped = " ".join([nik[:4], nik[4:8], nik[8:12], nik[12:]])
            assert grouped.encode() not in raw


def test_typed_restart_mid_form_asks_first_and_keeps_the_answers_when_declined(chat):
    chat.say("saya mau daftar BPU")
    chat.say("Siti Aminah")
    assert "Yakin ingin membatalkan" in chat.text("/restart")  # never a silent wipe
    reply = chat.text("/deny")
    assert "lanjutkan" in reply and "NIK" in reply  # the name is kept: the next question follows


def test_typed_restart_mid_form_in_english_clears_only_after_yes(chat):
    chat.say("I want to register as BPU now")
    chat.say("Budi Santoso")
    assert "Are you sure" in chat.text("/restart")
    assert "cancelled" in chat.text("/affirm")
    assert "full name" in chat.text("I want to register as BPU now")  # nothing remembered


def test_asking_to_register_one_s_company_starts_the_employer_form_in_both_languages(chat):
    from tanya import messages

    for text, language, cancel in (("tolong daftarkan perusahaan saya", "id", "batal"), ("please register my company", "en", "cancel")):
        assert messages.text("ask_reg_company_name", language) in chat.text(text)
        chat.say(cancel)
        chat.say("/affirm")


def test_a_roundabout_no_and_a_skip_in_a_sentence_fill_the_company_form_in_indonesian(chat):
    chat.say("saya mau pra-daftar perusahaan saya di sini")
    nib = f"{random.randint(10**12, 10**13 - 1)}"
    for answer in ("CV Kayu Jati", nib, "01.234.567.8-901.000", "Rahmat Hidayat", "0812 3456 7890"):
        chat.say(answer)
    assert "jumlah pekerja" in chat.text("nggak punya email pak, lewati aja").lower()
    chat.say("7 orang")
    summary = chat.text("enggak ada kak, semuanya warga lokal")
    assert "TKA ≥ 6 bulan: Tidak" in summary, summary


def test_a_roundabout_no_fills_the_company_form_in_english(chat):
    chat.say("I'd like to pre-register my company right here")
    nib = f"{random.randint(10**12, 10**13 - 1)}"
    for answer in ("PT Roast Bean", nib, "01.234.567.8-901.000", "Dewi Lestari", "0812 3456 7890", "sorry, we have no email"):
        chat.say(answer)
    chat.say("12 people")
    summary = chat.text("nope, every one of them is Indonesian")
    assert "Foreign workers ≥ 6 months: No" in summary, summary


def test_a_failed_status_check_answers_what_next_in_indonesian(chat):
    assert "nomor referensi" in chat.text("mau cek status pendaftaran saya").lower()
    reply = chat.text("kodenya BPU-2026-ZZZZ99, 4 digit terakhir hp 4321")  # reference and digits in one message
    assert "tidak dapat saya temukan" in reply and "175" in reply
    reply = chat.text("lho kok nggak ketemu, terus saya harus gimana?")
    assert "175" in reply and "care@bpjsketenagakerjaan.go.id" in reply and "Untuk segmen" not in reply


def test_a_lost_reference_gets_the_way_forward_in_english(chat):
    reply = chat.text("I registered my mum here last week but I lost the reference, can I still check her status?")
    assert "confirmation message" in reply and "175" in reply and "care@bpjsketenagakerjaan.go.id" in reply
    assert "What is your pre-registration reference number" not in reply


def test_asking_to_continue_in_english_mid_form_repeats_the_question_in_english(chat):
    chat.say("saya mau daftar BPU")
    chat.say("Siti Aminah")
    reply = chat.text("Sorry, can we continue in English? My Indonesian is not good")
    assert "NIK" in reply and "national ID" in reply and "Cara daftar" not in reply


def test_a_language_named_as_a_job_keeps_the_form_in_indonesian(chat):
    reply = chat.text("saya guru les bahasa Inggris, tolong isikan formulir pendaftaran saya lewat obrolan ini")
    assert "nama lengkap" in reply.lower()
