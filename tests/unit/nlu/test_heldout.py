"""The held-out NLU set measures understanding, not memory: big enough, well-labelled, and no example is
a near-copy of a training example."""

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
from nlu_data import NEAR_COPY_JACCARD, language_examples, largest_overlaps, training_examples, understanding_examples  # noqa: E402

from tanya.knowledge.schema import read_content  # noqa: E402

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def content():
    return read_content(ROOT / "data" / "knowledge")


def test_the_sets_are_big_enough_and_cover_both_languages():
    examples = understanding_examples()
    assert len(examples) >= 400
    assert sum(e.get("l") == "id" for e in examples) >= 150 and sum(e.get("l") == "en" for e in examples) >= 150
    assert len(language_examples()) >= 300
    covered = {e["i"] for e in examples}
    asked = set(DOMAIN["intents"]) - {"edit_registration", "request_restart", "confirm_restart", "rate_answer"}
    assert asked <= covered, asked - covered


def test_no_held_out_example_is_a_near_copy_of_a_training_example():
    heldout = [e["t"] for e in understanding_examples()] + [e["text"] for e in language_examples()]
    closest = largest_overlaps(heldout, [text for _, text in training_examples()], top=1)[0]
    assert closest.score < NEAR_COPY_JACCARD, closest


def test_labels_name_real_intents_and_knowledge_keys(content):
    keys = {
        "s": {s.key for s in content.segments},
        "o": {o.key for o in content.occupations},
        "st": {s.key for s in content.pmi_stages},
        "c": {c.key for c in content.countries},
        "f": {c.key for c in content.cues if c.kind == "facet"},
    }
    for example in understanding_examples():
        assert example["i"] in DOMAIN["intents"], example
        assert example.get("l") in (None, "id", "en"), example
        for label, allowed in keys.items():
            if label in example:
                assert example[label] in allowed, example
    assert {e["lang"] for e in language_examples()} == {"id", "en"}
