"""Pure helpers: clarification choice, rendering."""

from types import SimpleNamespace as NS

from actions.rendering import bullet_list, channel_groups_text, document_groups_text, numbered_list
from actions.support_actions import clarification_intents
from tanya.knowledge.repository import Text


def test_clarification_offers_top_offerable_intents_in_order():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_documents", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "request_human", "confidence": 0.1},
        {"name": "ask_channels", "confidence": 0.05},
        {"name": "ask_eligibility", "confidence": 0.04},
        {"name": "ask_segments", "confidence": 0.01},
    ]
    offerable = {"ask_documents", "ask_channels", "ask_eligibility", "ask_segments", "request_human"}
    assert clarification_intents(ranking, offerable) == ["ask_documents", "ask_channels", "ask_eligibility"]


def test_clarification_falls_back_to_generic_topics():
    offerable = {"ask_how_to_register", "ask_segments", "ask_segment_fit"}
    assert clarification_intents([{"name": "greet"}], offerable) == [
        "ask_how_to_register",
        "ask_segments",
        "ask_segment_fit",
    ]


def test_lists():
    assert bullet_list(["a", "b"]) == "• a\n• b"
    assert numbered_list(["a", "b"]) == "1. a\n2. b"


def test_channel_groups_in_language_with_urls_once():
    groups = [
        NS(
            label=Text("Kanal fisik", "Physical channels"),
            channels=[NS(name=Text("Kantor Cabang", "Branch Office"), url=None)],
        ),
        NS(
            label=Text("Kanal non-fisik", "Non-physical channels"),
            channels=[
                NS(name=Text("Situs", "Website"), url="bpjsketenagakerjaan.go.id/bpu"),
                NS(name=Text("Cermati.com", "Cermati.com"), url="cermati.com"),
            ],
        ),
    ]
    assert channel_groups_text(groups, "en") == (
        "Physical channels:\n• Branch Office\n\nNon-physical channels:\n• Website: bpjsketenagakerjaan.go.id/bpu\n• Cermati.com"
    )
    assert channel_groups_text(groups, "id").startswith("Kanal fisik:\n• Kantor Cabang")


def test_document_groups_with_and_without_stage():
    plain = [NS(stage=None, documents=[NS(name=Text("Fotokopi E-KTP", "Photocopy of E-KTP"))])]
    assert document_groups_text(plain, "en") == "• Photocopy of E-KTP"
    staged = [NS(stage=NS(name=Text("Sebelum berangkat", "Before leaving")), documents=[NS(name=Text("KTP", "ID"))])]
    assert document_groups_text(staged, "id") == "Sebelum berangkat:\n• KTP"
