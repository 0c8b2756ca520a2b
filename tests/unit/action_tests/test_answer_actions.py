"""Answering, follow-ups, triage, hand-off and clarification actions."""

import pytest
from action_helpers import make_tracker

from actions.answer_actions import ActionAnswerFollowup, ActionAnswerQuestion
from actions.language_actions import ActionDetectLanguage
from actions.support_actions import ActionClarify, ActionHandoff
from actions.triage import ActionTriageSegment
from tanya.db import session_scope
from tanya.knowledge import repository as kb


def test_language_is_detected_and_only_changes_when_it_changes(run):
    assert run(ActionDetectLanguage(), make_tracker("how do I register?")).slot("language") == "en"
    assert run(ActionDetectLanguage(), make_tracker("ok", slots={"language": "en"})).events == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_documents_for_a_segment_in_the_users_language(kb_url, run, language):
    result = run(
        ActionAnswerQuestion(), make_tracker("dokumen pmi", "ask_documents", {"segment": "pmi"}, {"language": language})
    )
    assert result.names == ["documents", "more_about_segment"]
    with session_scope() as session:
        expected = [d.name.get(language) for g in kb.list_document_groups(session, "pmi") for d in g.documents]
        stages = [s.name.get(language) for s in kb.list_pmi_stages(session)]
    assert all(name in result.text for name in expected + stages)
    assert result.slot("topic") == "documents" and result.slot("segment") == "pmi"


def test_missing_segment_is_asked_with_one_button_per_segment(kb_url, run):
    result = run(ActionAnswerQuestion(), make_tracker("dokumennya apa aja", "ask_documents"))
    assert result.names == ["ask_segment"]
    assert [b["payload"] for b in result.buttons()] == [
        f'/inform{{"segment":"{key}"}}' for key in ("pu", "bpu", "jakon", "pmi", "perisai")
    ]
    assert result.slot("topic") == "documents"


def test_age_question_without_segment_finds_bpu(kb_url, run):
    result = run(
        ActionAnswerQuestion(),
        make_tracker("is there an age limit?", "ask_eligibility", {"eligibility_topic": "age"}, {"language": "en"}),
    )
    assert result.names == ["eligibility", "more_about_segment"]
    assert "60" in result.text and result.slot("segment") == "bpu"


def test_age_question_for_pmi_says_the_page_states_none_and_where_it_applies(kb_url, run):
    tracker = make_tracker("ada batas usia?", "ask_eligibility", {"eligibility_topic": "age"}, {"segment": "pmi"})
    result = run(ActionAnswerQuestion(), tracker)
    assert result.names == ["eligibility_topic_not_stated", "eligibility", "more_about_segment"]
    assert "BPU" in result.text


def test_jakon_has_no_document_list_and_says_so(kb_url, run):
    result = run(ActionAnswerQuestion(), make_tracker("dokumen jakon", "ask_documents", {"segment": "jakon"}))
    assert result.names == ["no_documents_listed", "more_about_segment"]


def test_how_to_register_jakon_includes_prerequisite_and_jakarta_branches(kb_url, run):
    result = run(ActionAnswerQuestion(), make_tracker("cara daftar jakon", "ask_how_to_register", {"segment": "jakon"}))
    assert result.names == ["segment_overview", "channels", "jakarta_branches", "eligibility", "more_about_segment"]
    assert "Jakarta Kelapa Gading" in result.text and "ejakon.bpjsketenagakerjaan.go.id" in result.text


def test_perisai_office_requirements_with_definition(kb_url, run):
    result = run(ActionAnswerQuestion(), make_tracker("syarat kantor perisai", "ask_perisai_office_requirements"))
    assert result.names[:2] == ["knowledge_text", "requirements"]
    assert "PKS" in result.text and "6." in result.text and result.slot("segment") == "perisai"


def test_follow_up_repeats_the_last_topic_for_the_new_segment(kb_url, run):
    tracker = make_tracker("kalau untuk PMI?", "inform", {"segment": "pmi"}, {"segment": "bpu", "topic": "channels"})
    result = run(ActionAnswerFollowup(), tracker)
    assert result.names == ["channels", "more_about_segment"]
    assert "SISKOTKLN" in result.text


def test_follow_up_with_an_occupation_triages(kb_url, run):
    result = run(ActionAnswerFollowup(), make_tracker("saya ojol", "inform", {"occupation": "ojol_driver"}))
    assert result.names == ["triage_result", "more_about_segment"] and result.slot("segment") == "bpu"


@pytest.mark.parametrize(
    "entities, names, segment",
    [
        ({"occupation": "caregiver", "country": "Taiwan"}, ["triage_abroad", "more_about_segment"], "pmi"),
        ({"occupation": "factory_worker"}, ["triage_result", "more_about_segment"], "pu"),
        ({"segment": "jakon"}, ["triage_segment", "more_about_segment"], "jakon"),
        ({"occupation": "domestic_worker"}, ["triage_unclear"], "<unset>"),
        ({}, ["ask_occupation"], "<unset>"),
    ],
)
def test_triage(kb_url, run, entities, names, segment):
    result = run(
        ActionTriageSegment(), make_tracker("which segment fits me", "ask_segment_fit", entities, {"language": "en"})
    )
    assert result.names == names and result.slot("segment") == segment


def test_handoff_lists_the_human_channels_from_the_knowledge(kb_url, run):
    result = run(ActionHandoff(), make_tracker("mau bicara dengan petugas", "request_human"))
    assert result.names == ["handoff"]
    assert "Call Center BPJamsostek" in result.text and "Kantor Cabang BPJAMSOSTEK terdekat" in result.text


def test_clarify_offers_likely_topics_by_label_never_intent_names(kb_url, run):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_channels", "confidence": 0.3},
        {"name": "greet", "confidence": 0.1},
    ]
    result = run(
        ActionClarify(), make_tracker("hmm daftar lewat", "nlu_fallback", ranking=ranking, slots={"language": "en"})
    )
    assert result.names == ["clarify"]
    titles = [b["title"] for b in result.buttons()]
    assert titles[0] == "Registration channels" and titles[-1] == "Talk to a person"
    assert not any("_" in title for title in titles)


def test_database_failure_becomes_a_polite_apology(tmp_path, monkeypatch, run):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")  # no knowledge tables
    result = run(ActionAnswerQuestion(), make_tracker("cara daftar bpu", "ask_how_to_register", {"segment": "bpu"}))
    assert result.names == ["knowledge_unavailable"] and result.events == []


def test_how_to_question_with_an_occupation_answers_for_its_segment(kb_url, run):
    tracker = make_tracker("sy driver gojek gmn caranya daftar", "ask_how_to_register", {"occupation": "ojol_driver"})
    result = run(ActionAnswerQuestion(), tracker)
    assert result.names[0] == "segment_overview" and result.slot("segment") == "bpu"


def test_an_occupation_beats_the_remembered_segment(kb_url, run):
    tracker = make_tracker(
        "sy driver gojek gmn caranya", "ask_how_to_register", {"occupation": "ojol_driver"}, {"segment": "jakon"}
    )
    assert run(ActionAnswerQuestion(), tracker).slot("segment") == "bpu"


def test_unknown_stage_shows_all_stages_instead_of_nothing(kb_url, run):
    tracker = make_tracker("before I go", "inform", {"pmi_stage": "before I go"}, {"segment": "pmi", "topic": "documents"})
    result = run(ActionAnswerFollowup(), tracker)
    assert result.names == ["documents", "more_about_segment"]
