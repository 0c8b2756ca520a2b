"""Chat text becomes the cue words it means: slang, affixes, typos and vowel-less abbreviations."""

import pytest

from tanya.understanding.lexicon import load_lexicon
from tanya.understanding.normalise import affix_candidates, raw_tokens, skeleton


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_tokens_fold_case_width_hyphens_and_reduplication():
    assert raw_tokens("Daftar E-KTP ＢＰＵ tukang2 di-cover") == ["daftar", "e", "ktp", "bpu", "tukang", "di", "cover"]


def test_affix_candidates_find_the_root():
    assert "daftar" in affix_candidates("didaftarkannya")
    assert "tanya" in affix_candidates("menanyakan")
    assert "kirim" in affix_candidates("mengirimkan")


def test_skeleton_keeps_consonants():
    assert skeleton("daftar") == "dftr" and skeleton("berkas") == "brks"


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("didaftarin", "daftar"),  # informal suffix
        ("mendaftarkan", "daftar"),  # lemma table
        ("pendaftarannya", "daftar"),
        ("dokumennya", "dokumen"),  # clitic
        ("persyaratan", "syarat"),
        ("perusahaannya", "perusahaan"),  # kept form: not "usaha"
        ("pegawai", "pegawai"),  # kept form: not "gawai" (device)
        ("dokumn", "dokumen"),  # typo
        ("registring", "register"),
        ("employr", "employer"),
        ("constructon", "construction"),
        ("dftr", "daftar"),  # slang map
        ("brkas", "berkas"),  # consonant skeleton
        ("documents", "document"),  # English lemma
        ("kota", "kota"),  # a real word nobody should "correct"
    ],
)
def test_canonical_forms(lexicon, written, canonical):
    assert lexicon.canonicaliser.canonical(written) == canonical or lexicon.tokens(written) == [canonical]


def test_slang_expands_to_words(lexicon):
    assert lexicon.tokens("gmn cr dftr, sy tkg") == ["gimana", "cara", "daftar", "saya", "tukang"]


def test_short_unknown_tokens_are_not_guessed(lexicon):
    assert lexicon.canonicaliser.canonical("xq") == "xq"
