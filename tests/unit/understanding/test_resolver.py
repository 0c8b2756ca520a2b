"""The intent a message gets from its cues and DIET's ranking. Examples written for this test only."""

import pytest

from tanya.understanding.lexicon import load_lexicon
from tanya.understanding.reading import read
from tanya.understanding.resolver import FALLBACK, resolve

UNSURE = [("nlu_fallback", 0.3)]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def decide(lexicon, text, ranking=UNSURE, switch=False):
    return resolve(read(text, lexicon), text, ranking, switches_language=switch)


def entity(decision, name):
    return next((e["value"] for e in decision.entities if e["entity"] == name), None)


@pytest.mark.parametrize(
    "text, intent, segment",
    [
        # registration questions, segment named or implied
        ("gimana cara daftar pekerja mandiri?", "ask_how_to_register", "bpu"),
        ("perusahaan saya mau daftar, berkasnya apa saja?", "ask_documents", "pu"),
        ("pabrik harus daftar dulu baru buruhnya?", "ask_how_to_register", "pu"),  # the order of the steps
        ("dokumen buat TKW yang mau berangkat", "ask_documents", "pmi"),
        ("syarat jadi agen perisai apa aja", "ask_perisai_requirements", "perisai"),
        ("kantor perisai harus badan hukum?", "ask_perisai_office_requirements", "perisai"),
        ("cabang jakarta yang terima jakon", "ask_jakon_branches", "jakon"),
        ("where can a freelancer sign up online?", "ask_channels", "bpu"),
        ("is there an age limit for self-employed people?", "ask_eligibility", "bpu"),
        ("our expat staff need a passport?", "ask_eligibility", "pu"),
        ("what participant categories are there?", "ask_segments", None),
        ("apa itu penerima upah?", "ask_segments", "pu"),
        ("saya guru les privat, masuk segmen apa?", "ask_segment_fit", "bpu"),
        ("I'm a bank teller, which program am I in?", "ask_segment_fit", "pu"),
        ("kakakku kerja di Malaysia, daftarnya lewat mana?", "ask_channels", "pmi"),
        ("kontraktor kami belum terdaftar PU, boleh langsung daftar proyek?", "ask_eligibility", "jakon"),
        # outside registration, people, acts
        ("berapa iuran pekerja mandiri sebulan?", "ask_outside_topic", "bpu"),
        ("how do I withdraw my JHT?", "ask_outside_topic", None),
        ("as a street vendor, how much would I pay per month?", "ask_outside_topic", "bpu"),
        ("I earn 3 million per month as a driver, which segment?", "ask_segment_fit", None),  # "driver": asked back
        # about registration itself but not on the page: outside, even with "daftar" in the message
        ("kalau daftar jakon prosesnya berapa lama ya", "ask_outside_topic", "jakon"),
        ("do migrant workers have to pay a fee to register?", "ask_outside_topic", "pmi"),
        ("saya mau ngobrol sama petugas aja", "request_human", None),
        ("please connect me to customer service", "request_human", None),
        ("kamu robot?", "bot_challenge", None),
        ("wait, are you a human or not?", "bot_challenge", None),
        ("tolong daftarkan saya sebagai peserta BPU", "request_registration", "bpu"),
        ("I'd like to sign up as a migrant worker now", "request_registration", "pmi"),
        ("tolong daftarin usaha saya ya", "request_registration", None),
        ("can you enroll my company please", "request_registration", "pu"),
        ("how do I enroll my company?", "ask_how_to_register", "pu"),
        # wanting to register, but asking whether a way exists: a question about the channels
        ("aku ojol, mau daftar bpjs tk, ada link onlinenya gak", "ask_channels", "bpu"),
        ("I'm a street vendor and want to sign up, is there a website for it?", "ask_channels", "bpu"),
        ("gak jadi deh", "cancel_registration", None),
        ("cek status BPU-2026-ABCDEF", "check_status", "bpu"),
        ("makasih banyak min", "thank", None),
        ("thank you, that helped a lot", "thank", None),
        ("dadah kak", "goodbye", None),
        ("ok bye, thanks", "goodbye", None),
        ("selamat siang", "greet", None),
        ("hello there, can I ask about BPJS?", "greet", None),
        ("permisi, ada yang bisa membantu saya?", "greet", None),  # asks for help without saying with what
        ("hello? can someone help", "greet", None),
        ("my boss owns a bakery, what does my employer need to do?", "ask_how_to_register", "pu"),
        ("iya", "affirm", None),
        ("nggak", "deny", None),
        # not about registration
        ("resep rendang yang enak gimana", "out_of_scope", None),
        ("cara bikin SIM baru", "out_of_scope", None),
        ("what's the weather like in Bali tomorrow?", "out_of_scope", None),
        ("apa ibu kota negara korea selatan?", "out_of_scope", None),  # a country, but geography
        ("which city is the capital of Japan?", "out_of_scope", None),
    ],
)
def test_intent_and_segment(lexicon, text, intent, segment):
    decision = decide(lexicon, text)
    assert decision.intent == intent, decision.reason
    assert entity(decision, "segment") == segment


def test_a_bare_segment_is_a_follow_up(lexicon):
    assert decide(lexicon, "kalau untuk jasa konstruksi?").intent == "inform"
    assert decide(lexicon, "BPU").intent == "inform"


def test_emoji_only(lexicon):
    assert decide(lexicon, "🙏").intent == "thank"
    assert decide(lexicon, "🤔🤔").intent == FALLBACK


def test_a_language_request_alone_switches(lexicon):
    assert decide(lexicon, "in English please", switch=True).intent == "switch_language"
    # with a question inside, the question is answered
    assert decide(lexicon, "in English please: what documents for BPU?", switch=True).intent == "ask_documents"


def test_diet_decides_what_the_cues_cannot(lexicon):
    assert decide(lexicon, "mantap jiwa", [("thank", 0.9)]).intent == "thank"
    assert decide(lexicon, "qwerty", [("greet", 0.4)]).intent == FALLBACK


def test_everyday_question_words_alone_are_marked_unanchored(lexicon):
    decision = decide(lexicon, "kalau yang online?")
    assert decision.intent == "ask_channels" and entity(decision, "anchored") is False
    assert entity(decide(lexicon, "dokumen apa saja?"), "anchored") is None  # documents are registration words


def test_entities_carry_knowledge_keys(lexicon):
    decision = decide(lexicon, "umur 58, sebelum berangkat ke Jepang perlu dokumen apa?")
    assert entity(decision, "age") == 58 and entity(decision, "pmi_stage") == "before_departure"
    assert entity(decision, "country") == "japan" and entity(decision, "country_relation") == "abroad"


@pytest.mark.parametrize(
    "text",
    [
        "tolong daftarin bapak saya sekarang ya",
        "isi formnya di sini aja kak, saya pedagang",
        "sign me up right here please, I'm a freelance tutor",
        "aku pengen didaftarin sekarang juga",
        "mau daftar langsung di chat ini, tapi umur saya 57 masih bisa?",
        "daftar",
    ],
)
def test_asking_to_be_registered_here_and_now_starts_the_form(lexicon, text):
    assert decide(lexicon, text).intent == "request_registration"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("I want to register now, which documents do I need?", "ask_documents"),  # a wh-question beside "now"
        ("is there a branch here where I can register?", "ask_channels"),
        ("mau daftar, bisa lewat minimarket gak?", "ask_channels"),
        ("will my company register me or must I do it myself?", "ask_how_to_register"),
        ("kalau daftar sekarang umur 59 masih boleh kan?", "ask_eligibility"),
    ],
)
def test_questions_with_a_registration_word_stay_questions(lexicon, text, intent):
    assert decide(lexicon, text).intent == intent


@pytest.mark.parametrize(
    "text, intent",
    [
        ("alamat email bpjs ketenagakerjaan apa?", "ask_contacts"),
        ("what phone number can I call you on?", "ask_contacts"),
        ("status pra registrasi saya gimana ya, sudah masuk belum?", "check_status"),
        ("did you receive my pre-registration? I sent it this morning", "check_status"),
        ("mau ganti nomor hp yang terdaftar di akun saya", "ask_outside_topic"),  # a registration word, no registration question
        ("tolong buatkan cv untuk lamaran kerja", "out_of_scope"),
    ],
)
def test_contacts_status_and_things_outside_the_page(lexicon, text, intent):
    assert decide(lexicon, text).intent == intent


@pytest.mark.parametrize("text", ["could we carry on in English? my Bahasa is not good", "boleh pakai bahasa inggris aja?"])
def test_a_polite_language_request_is_no_eligibility_question(lexicon, text):
    assert decide(lexicon, text, switch=True).intent == "switch_language"


@pytest.mark.parametrize("text, intent", [
    ("status pendaftaran ibu saya gimana ya, minggu lalu sudah isi di sini", "check_status"),
    ("I registered my dad here on Monday, where can I see the status?", "check_status"),
    ("we signed up the company through this chat, can I track its status?", "check_status"),
])
def test_status_word_with_a_lookup_or_registration_word_is_a_status_check(lexicon, text, intent):
    assert decide(lexicon, text).intent == intent


@pytest.mark.parametrize("text, intent", [
    ("when our registration is approved, what information do we hand in about our employees?", "ask_how_to_register"),
    ("who should I contact if the form doesn't work?", "ask_contacts"),
    ("kalau bingung nanti telpon siapa ya?", "ask_contacts"),
    ("pendaftaran saya sudah disetujui belum ya? statusnya gimana", "check_status"),
])
def test_a_status_phrase_beside_another_question_and_contact_questions(lexicon, text, intent):
    assert decide(lexicon, text).intent == intent


@pytest.mark.parametrize("text", ["minimal berapa bulan tenaga asing kerja di sini baru wajib lampirkan paspor?",
                                  "for how long must a foreign employee work here before a passport is needed?"])
def test_a_length_of_time_is_no_contribution_question(lexicon, text):
    decision = decide(lexicon, text)
    assert decision.intent != "ask_outside_topic" and entity(decision, "segment") == "pu"


@pytest.mark.parametrize("text", ["berapa per bulan?", "iuran bpu sebulan berapa"])
def test_an_amount_per_month_is_still_a_contribution_question(lexicon, text):
    assert decide(lexicon, text).intent == "ask_outside_topic"
