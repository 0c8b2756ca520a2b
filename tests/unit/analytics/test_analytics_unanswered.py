"""Top unanswered questions: masked, normalised, near-duplicates grouped, most asked first."""

from tanya.analytics.unanswered import normalise, top_unanswered


def test_normalise_folds_case_punctuation_and_spaces_but_keeps_the_mask():
    assert normalise("  Berapa  HARGA emas, hari ini?!") == "berapa harga emas hari ini"
    assert normalise("NIK ****0001 diblokir.") == "nik ****0001 diblokir"
    assert normalise("ＢＰＵ？") == "bpu"  # full-width letters and punctuation (NFKC)


def test_nik_and_phone_numbers_are_masked_in_the_text_and_the_example():
    questions = [
        ("NIK saya 3273015501010001 kenapa ditolak", "id"),
        ("hubungi 0812-3456-7890 ya", "id"),
        ("nomor ３２７３０１５５０１０１０００１ salah", "id"),  # full-width digits
        ("lahir 17-08-1990, iuran Rp 36.800", "id"),  # dates and amounts stay readable
    ]
    groups = top_unanswered(questions, similarity=90, limit=10)
    shown = " | ".join(group["example"] + " " + group["text"] for group in groups)
    assert "3273015501010001" not in shown and "3456-7890" not in shown and "３２７３０１５５" not in shown
    examples = sorted(group["example"] for group in groups)
    assert examples == [
        "NIK saya ************0001 kenapa ditolak",
        "hubungi ****-****-7890 ya",
        "lahir 17-08-1990, iuran Rp 36.800",
        "nomor ************０００１ salah",
    ]


def test_near_duplicates_join_the_most_asked_variant_and_different_questions_stay_apart():
    questions = [
        ("Cara klaim JHT?", "id"),
        ("cara klaim jht", "id"),
        ("cara klaim JHT!!", "en"),
        ("cara klaim jht dong", "id"),  # 87 % similar: below 90, its own group
        ("cara klaim jhtt", "id"),  # 97 % similar: joins
        ("berapa harga emas", "id"),
    ]
    groups = top_unanswered(questions, similarity=90, limit=10)
    assert [(g["text"], g["count"], g["variants"], g["languages"]) for g in groups] == [
        ("cara klaim jht", 4, 2, {"en": 1, "id": 3}),
        ("berapa harga emas", 1, 1, {"id": 1}),
        ("cara klaim jht dong", 1, 1, {"id": 1}),
    ]
    assert groups[0]["example"] == "Cara klaim JHT?"  # the first way it was written


def test_the_limit_and_empty_texts():
    questions = [(f"pertanyaan nomor {n}", "id") for n in range(5)] + [("?!", "id"), ("", "en")]
    groups = top_unanswered(questions, similarity=100, limit=3)
    assert len(groups) == 3 and all(group["count"] == 1 for group in groups)
