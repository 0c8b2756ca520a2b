"""What one message says: segment evidence, facets, acts, occupations, countries, stages, age.

Every example is written for this test (none comes from an evaluation set)."""

import pytest

from tanya.understanding.lexicon import load_lexicon
from tanya.understanding.reading import read


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.mark.parametrize(
    "text, segment",
    [
        ("perusahaan kami mau mendaftarkan pekerjanya", "pu"),  # employer side
        ("CV kecil saya punya 4 karyawan", "pu"),
        ("yayasan kami ingin jadi peserta", "pu"),
        ("I run a company with ten staff", "pu"),
        ("saya kerja di pabrik, digaji bulanan", "pu"),  # employee
        ("saya usaha sendiri jualan pecel", "bpu"),  # self-employed
        ("aku freelancer desain grafis", "bpu"),
        ("i'm self-employed, no boss", "bpu"),
        ("mau kerja ke luar negeri tahun depan", "pmi"),  # abroad
        ("adik saya TKW di Hong Kong", "pmi"),
        ("my cousin works in Taiwan as a caregiver", "pmi"),
        ("kami kontraktor proyek gedung", "jakon"),  # construction
        ("construction project owner here", "jakon"),
        ("mau jadi agen yang bantu warga daftar", "perisai"),
        ("syarat kantor perisai", "perisai"),
        ("apa itu pekerja bukan penerima upah", "bpu"),  # named
        ("penerima upah itu siapa", "pu"),
        ("jasa konstruksi daftarnya dimana", "jakon"),
    ],
)
def test_the_segment_the_message_points_to(lexicon, text, segment):
    assert read(text, lexicon).best_segment() == segment


@pytest.mark.parametrize(
    "text, facet",
    [
        ("berkas apa yang dibawa", "documents"),
        ("what paperwork do I need", "documents"),
        ("syaratnya apa aja", "requirements"),
        ("daftarnya lewat mana", "channels"),
        ("bisa online nggak", "online"),
        ("ada aplikasinya?", "kind_app"),
        ("bisa di bank?", "kind_bank"),
        ("umur 58 masih bisa?", "age"),
        ("karyawan asing dari korea", "foreign_worker"),
        ("setelah perusahaan terdaftar, langkah berikutnya apa", "workers_data"),
        ("harus daftar apa dulu sebelum proyek", "prerequisite"),
        ("cabang di jakarta mana saja", "jakarta"),
        ("apa itu perisai", "definition"),
        ("jenis peserta apa saja", "segments_list"),
        ("saya masuk segmen apa", "which_segment"),
    ],
)
def test_what_is_asked(lexicon, text, facet):
    assert facet in read(text, lexicon).facets


@pytest.mark.parametrize(
    "text, act",
    [
        ("makasih banyak ya", "thanks"),
        ("thx a lot", "thanks"),
        ("dadah, sampai ketemu", "bye"),
        ("see ya later", "bye"),
        ("mau bicara dengan petugas", "human"),
        ("can I talk to a real person", "human"),
        ("kamu bot ya", "bot_challenge"),
        ("selamat pagi kak", "greet"),
        ("tolong daftarkan saya sekarang", "register_help"),
        ("tolong daftarkan saya sekarang", "register_here"),
    ],
)
def test_acts(lexicon, text, act):
    assert read(text, lexicon).act(act) > 0


def test_a_country_is_where_someone_works_or_where_they_come_from(lexicon):
    abroad = read("saya mau berangkat kerja ke Jepang", lexicon)
    assert abroad.countries[0].key == "japan" and abroad.countries[0].relation == "abroad"
    foreign = read("kami punya karyawan dari Jepang", lexicon)
    assert foreign.countries[0].relation == "foreign" and "foreign_worker" in foreign.facets
    assert foreign.best_segment() == "pu"


@pytest.mark.parametrize(
    "text, age",
    [("umur saya 58", 58), ("a 63-year-old trader", 63), ("bapak saya 70 tahun", 70), ("kontrak 2 tahun", None),
     ("tenor 15 tahun", None), ("I'm 64 and sell snacks", 64), ("I am 41, a tailor", 41), ("I'm hiring 30 staff", None),
     ("we are 25 people", None)],
)
def test_age(lexicon, text, age):
    assert read(text, lexicon).age == age


def test_a_stated_age_in_a_can_i_join_question_asks_about_age(lexicon):
    assert "age" in read("I'm 66, do odd jobs, can I still sign up?", lexicon).facets
    assert "age" in read("umurku 59 masih bisa ikut bpu?", lexicon).facets
    assert "age" not in read("saya 30 tahun, kerja ojol", lexicon).facets  # an age, but no question about it


def test_stage_and_outside_topic(lexicon):
    assert read("dokumen setelah pulang dari luar negeri", lexicon).stages == ("during_after",)
    assert read("berapa iuran per bulan", lexicon).outside_topics == ("contributions",)


def test_an_occupation_alone_may_not_decide(lexicon):
    reading = read("saya sopir", lexicon)
    assert reading.occupations == ("driver",) and reading.best_segment() is None


@pytest.mark.parametrize("text", ["and after I come back?", "terus pas udah balik ke indonesia?", "when she returns?"])
def test_coming_home_is_the_during_and_after_stage(lexicon, text):
    # an everyday word ("come back") names the stage for a PMI conversation's follow-up, without making it PMI
    reading = read(text, lexicon)
    assert (reading.stages or reading.weak_stages) == ("during_after",)


@pytest.mark.parametrize("text", ["if I get hurt while working, what happens?", "izin usaha kami mau diperpanjang bulan depan",
                                  "sedang bekerja di pabrik, mau daftar"])
def test_an_everyday_stage_word_alone_is_no_migrant_evidence(lexicon, text):
    reading = read(text, lexicon)
    assert "pmi" not in reading.segment_scores and reading.stages == ()


@pytest.mark.parametrize("text, stage", [("while working in Taiwan, which documents?", "during_after"),
                                         ("kontrak di Hong Kong mau diperpanjang, dokumennya apa", "extension")])
def test_an_everyday_stage_word_abroad_is_the_stage(lexicon, text, stage):
    reading = read(text, lexicon)
    assert reading.stages == (stage,) and reading.best_segment() == "pmi"


@pytest.mark.parametrize(
    "text, segment",
    [
        ("warung bakso saya ada tiga pelayan", "pu"),  # staff counted: an employer
        ("my bakery has 5 workers", "pu"),
        ("karyawan saya sudah lama kerja", "pu"),  # staff owned
        ("kami mempekerjakan dua sopir", "pu"),
        ("saya tukang jahit, tanpa karyawan", "bpu"),  # staff denied: working alone
        ("I don't have any employees, I sew clothes at home", "bpu"),
        ("nggak punya bos, saya jualan sendiri", "bpu"),  # an employer word denied
    ],
)
def test_words_for_staff_are_read_with_the_words_around_them(lexicon, text, segment):
    assert read(text, lexicon).best_segment() == segment


def test_a_duration_next_to_a_staff_word_counts_nobody(lexicon):
    reading = read("saya karyawan 2 tahun di toko", lexicon)
    assert "employer_side" not in reading.segment_bases.get("pu", ())


def test_a_negation_far_from_the_cue_denies_something_else(lexicon):
    reading = read("gak tau juga, perusahaan saya belum daftar", lexicon)
    assert reading.best_segment() == "pu"


@pytest.mark.parametrize("text", ["anak saya baru pulang dari Malaysia, dokumennya apa?", "my husband just came back from Qatar"])
def test_coming_home_from_a_country_is_working_there(lexicon, text):
    reading = read(text, lexicon)
    assert reading.countries[0].relation == "abroad" and reading.best_segment() == "pmi"
