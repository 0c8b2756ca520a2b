"""Language detection: explicit switches, one-sided evidence, code-mixing, no evidence."""

import pytest

from tanya.language import detect_language, explicit_switch, load_markers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("gimana cara daftar BPU?", "id"),
        ("gmn caranya daftar bpjs tk utk ojol", "id"),
        ("Bagaimana cara mendaftar sebagai peserta Penerima Upah?", "id"),
        ("dokumennya apa aja kak?", "id"),
        ("How do I register as a non-wage recipient worker?", "en"),
        ("is there an age limit?", "en"),
        ("what documents do I need for PMI", "en"),
        ("hi", "en"),
        ("halo min", "id"),
        # code-mixed defaults to Indonesian
        ("gimana cara register BPU online?", "id"),
        ("syarat2 nya apa aja for perisai?", "id"),
        ("makasih kak", "id"),
    ],
)
def test_detects_language_of_typical_messages(text, expected):
    assert detect_language(text, previous=None) == expected
    # the previous language does not matter when the message carries evidence
    assert detect_language(text, previous="en" if expected == "id" else "id") == expected


@pytest.mark.parametrize("text", ["ok", "BPU", "PMI?", "123", "", "👍"])
@pytest.mark.parametrize("previous", ["id", "en"])
def test_keeps_previous_language_without_evidence(text, previous):
    assert detect_language(text, previous=previous) == previous


def test_defaults_to_indonesian_without_any_history():
    assert detect_language("BPU", previous=None) == "id"


def test_button_payloads_keep_language():
    assert detect_language('/inform{"segment":"pmi"}', previous="en") == "en"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("in English please", "en"),
        ("can you speak English?", "en"),
        ("bisa pakai bahasa inggris?", "en"),
        ("english pls", "en"),
        ("pakai bahasa Indonesia aja", "id"),
        ("speak Indonesian please", "id"),
        ("pake indo aja min", "id"),
        ("gimana cara daftar?", None),
        # a language named as a job or a skill is no request
        ("saya guru les bahasa Inggris, mau daftar sendiri", None),
        ("I teach Bahasa Indonesia to expats, which segment am I?", None),
        ("bahasa inggris aja ya kak", "en"),
    ],
)
def test_explicit_switch(text, expected):
    assert explicit_switch(text) == expected
    if expected:
        assert detect_language(text, previous="id" if expected == "en" else "en") == expected


def test_marker_lists_do_not_overlap():
    markers = load_markers()
    assert not markers.words["id"] & markers.words["en"]


@pytest.mark.parametrize("code", ["BPU-2026-EFKJQB", "BPU-2026-1TP19V", "PMI-2026-QDXYHS", "3201551708901234"])
def test_reference_numbers_and_digits_do_not_sway_the_language(code):
    assert detect_language(f"check status {code}") == "en"
    assert detect_language(f"cek status {code}") == "id"
