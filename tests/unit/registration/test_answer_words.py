"""The words that answer yes/no, gender and "skip" are data (data/language/answer_words.yml), read lazily."""

import pytest
import yaml
from reg_helpers import run_python

from tanya.registration import answer_words as W
from tanya.registration import validators as V


def test_the_shipped_file_has_both_languages_and_the_chat_spellings():
    words = W.load()
    assert {"ya", "iya", "yes", "udah", "yup"} <= words.yes
    assert {"tidak", "gak", "nggak", "no", "not yet", "i don t"} <= words.no
    assert {"laki laki", "cowok", "l", "male", "m"} <= words.gender["male"]
    assert {"perempuan", "cewek", "p", "female", "f"} <= words.gender["female"]
    assert {"", "lewati", "skip", "n a", "tidak ada"} <= words.skip  # "-", "--" and "n/a" read as plain words
    assert not words.yes & words.no and not words.gender["male"] & words.gender["female"]


def test_load_is_cached_per_path():
    assert W.load() is W.load()


def test_the_shipped_words_are_matched_however_they_are_punctuated():
    assert V.clean_yes_no("Yes!").value is True and V.clean_yes_no("I don't.").value is False
    assert V.clean_gender("Laki-Laki").value == "male" and V.clean_email("N/A").skipped


def _write(tmp_path, body):
    path = tmp_path / "answer_words.yml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
answer_words:
  "yes": {id: [nggih, "ya dong"], en: ["yes"]}
  "no": {id: [mboten], en: ["no"]}
  gender:
    male: {id: [pria], en: [male]}
    female: {id: [wanita], en: [female]}
  skip: {id: ["-"], en: [skip]}
"""


def test_a_file_is_read_as_typed_words(tmp_path):
    words = W.load(_write(tmp_path, GOOD))
    assert words.yes == {"nggih", "ya dong", "yes"} and words.no == {"mboten", "no"}
    assert words.skip == {"", "skip"}


def test_the_validators_read_the_data_not_a_python_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(W, "load", lambda: W.parse_answer_words(yaml.safe_load(GOOD)))
    assert V.clean_yes_no("nggih").value is True and V.clean_yes_no("Mboten").value is False
    assert V.clean_yes_no("iya").error == "yes_no_invalid"  # only in the shipped file
    assert V.clean_gender("Wanita").value == "female" and V.clean_gender("cewek").error == "gender_invalid"
    assert V.clean_email("skip").skipped and not V.clean_email("lewati").skipped


@pytest.mark.parametrize(
    "body, message",
    [
        (GOOD.replace('"no": {id: [mboten]', "no: {id: [mboten]"), "languages"),  # unquoted key: a boolean
        (GOOD.replace('en: ["no"]', "en: [no]"), "not text"),  # unquoted word: a boolean
        (GOOD.replace("en: [male]}", "en: [male, wanita]}"), "both male and female"),
        (GOOD.replace("id: [mboten]", "id: [nggih]"), "both yes and no"),
        (GOOD.replace("female: {id: [wanita], en: [female]}", ""), "gender"),
        (GOOD.replace("id: [mboten], en", "en"), "languages"),
    ],
)
def test_a_broken_file_is_refused_by_name(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        W.load(_write(tmp_path, body))


def test_importing_reads_nothing():
    """No work at import time: the file is read on the first answer, not when the module loads."""
    code = (
        "import builtins, pathlib; opened = []; real = pathlib.Path.read_text\n"
        "pathlib.Path.read_text = lambda self, *a, **k: opened.append(self.name) or real(self, *a, **k)\n"
        "import tanya.registration.answer_words, tanya.registration.validators, tanya.forms.kinds\n"
        "print('answer_words.yml' in opened)"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
