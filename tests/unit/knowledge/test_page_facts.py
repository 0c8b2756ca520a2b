"""Every fact of the agency's registration page is in the loaded knowledge base.

The facts are extracted from the page itself (bullet lines and stand-alone sentences of the five
"REGISTER AS ..." sections), so a fact added to the page fails this test until the content follows.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tanya.db import session_scope
from tanya.knowledge import models as m
from tanya.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "source" / "registration-page.txt"  # a copy of ../shared/seed, kept in the repository

# Where the page's wording is awkward, the fact as it stands in the knowledge base.
REWORDED = {
    "be-jakon application which is accessed through the website ejakon.bpjsketenagakerjaan.go.id": (
        "e-jakon application which is accessed through the website ejakon.bpjsketenagakerjaan.go.id",
    ),
    "By bringing supporting documents in the form of a photocopy of E-KTP.": ("Photocopy of E-KTP",),
    "Individual PMIs can register through the website www.bpjsketenagakerjaan.go.id/migran or download the JMO "
    "application via Playstore and IOS.": (
        "Individual PMIs can register through the website www.bpjsketenagakerjaan.go.id/migran",
        "The JMO application, downloaded via Playstore and IOS",
    ),
}
FRAMING = re.compile(r"^For information, ")
LIST_MARKER = re.compile(r"^(?:\d+|[a-e])(?:\s+|(?=[A-Z]))")


def page_facts(page: str):
    start = page.index("REGISTER AS A WAGE RECIPIENT WORKER")
    end = page.index("Call Center BPJamsostek", start)
    facts = []
    for raw in page[start:end].splitlines():
        line = raw.strip()
        if not line or line.isupper():
            continue  # blank lines and section headings
        if line.startswith("•"):
            line = LIST_MARKER.sub("", line.lstrip("• ").strip()).strip()
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", line):
            sentence = FRAMING.sub("", sentence.strip())
            if sentence and not sentence.endswith(":"):  # "…, namely:" only introduces a list
                facts.append(sentence)
    return facts


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w/.\-()&]+", " ", text.lower()).split()).strip(" .")


def _english_texts(value):
    """Every English text (and name, URL) inside a stored entry."""
    if isinstance(value, dict):
        if set(value) == {"id", "en"}:
            if isinstance(value["en"], str):  # a text, not a list of aliases
                yield value["en"]
            return
        for key, item in value.items():
            if key in ("name", "url") and isinstance(item, str):
                yield item
            else:
                yield from _english_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _english_texts(item)


@pytest.fixture(scope="module")
def knowledge_text(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"
    load_knowledge(ROOT / "data" / "knowledge", url)
    texts = []
    with session_scope(url) as session:
        for table in m.TABLES.values():
            for (data,) in session.execute(select(table.c.data)):
                texts += list(_english_texts(data))
    return "\n".join(normalise(t) for t in texts)


def test_the_page_yields_facts_from_all_five_sections():
    facts = page_facts(PAGE.read_text(encoding="utf-8"))
    assert len(facts) > 50
    for expected in ("Jakarta Kelapa Gading", "Copy of Employment Agreement", "It has a certificate of domicile."):
        assert expected in facts


@pytest.mark.parametrize("fact", page_facts(PAGE.read_text(encoding="utf-8")))
def test_page_fact_is_in_the_knowledge_base(fact, knowledge_text):
    for part in REWORDED.get(fact, (fact,)):
        assert normalise(part) in knowledge_text, f"not in the knowledge base: {part!r}"


def test_call_center_named_on_the_page_has_its_official_number(knowledge_text):
    assert "Call Center BPJamsostek" in PAGE.read_text(encoding="utf-8")
    assert normalise("BPJAMSOSTEK Call Center") in knowledge_text
