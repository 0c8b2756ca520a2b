"""A message read clause by clause: who each question is about and what it asks. Examples written for this test only."""

import pytest

from tanya.understanding import topics as T
from tanya.understanding.lexicon import load_lexicon
from tanya.understanding.parts import clauses, parts


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_a_message_splits_at_question_marks_and_sentence_ends():
    assert clauses("Saya petani. Dokumennya apa? Daftarnya di mana?") == ["Saya petani", "Dokumennya apa?", "Daftarnya di mana?"]


def test_two_questions_are_asked_in_the_order_written(lexicon):
    read = parts("saya nelayan, dokumennya apa aja? terus daftarnya lewat mana?", lexicon)
    assert [ask.topic for ask in read.asks] == [T.DOCUMENTS, T.CHANNELS]
    assert read.subjects[0].segment == "bpu"


def test_two_people_get_their_own_segment(lexicon):
    read = parts("Kakak saya digaji bulanan di pabrik roti. Adik saya jualan pulsa sendiri. Daftarnya masing-masing gimana?", lexicon)
    assert sorted(subject.segment for subject in read.subjects) == ["bpu", "pu"]


def test_the_segments_named_as_options_in_a_which_question_are_not_evidence(lexicon):
    read = parts("I repair phones at my own kiosk, no boss. Am I a wage earner or not?", lexicon)
    assert read.subjects[0].segment == "bpu"
    assert not read.subjects[0].explicit


def test_a_yes_no_question_about_registering_asks_whether_the_person_can(lexicon):
    read = parts("Ibu saya jualan sayur keliling. Bisa ibu ikutan daftar?", lexicon)
    assert read.asks and read.asks[0].topic in (T.HOW_TO_REGISTER, T.ELIGIBILITY)
    assert read.subjects[0].segment == "bpu"
