"""Answering, follow-ups, triage, hand-off and clarification through the real actions and knowledge base."""

import pytest
from action_helpers import make_tracker

from actions.answer_actions import ActionAnswerQuestion, ActionRateAnswer
from actions.support_actions import ActionClarify, ActionHandoff, previous_bot_action
from tanya.knowledge import repository


def answer(run, text, intent, entities=None, slots=None, **options):
    return run(ActionAnswerQuestion(), make_tracker(text, intent, entities, slots, **options))


@pytest.mark.parametrize("language", ["id", "en"])
def test_documents_for_a_segment_come_in_one_message_in_the_users_language(kb_url, run, language):
    result = answer(run, "dokumen pmi", "ask_documents", {"segment": "pmi", "facet": "documents"}, {"language": language})
    knowledge = repository.current()
    expected = [d.name.get(language) for g in knowledge.document_groups("pmi") for d in g.documents]
    stages = [s.name.get(language) for s in knowledge.stages()]
    assert len(result.messages) == 1
    assert all(name in result.text for name in expected + stages)
    assert result.slot("topic") == "documents" and result.slot("segment") == "pmi"
    assert result.slot("answer_key") == "documents:pmi"
    assert any(b["payload"].startswith("/rate_answer") for b in result.buttons())


def test_a_topic_without_a_segment_is_answered_for_every_segment_in_a_line_and_remembered(kb_url, run):
    result = answer(run, "dokumennya apa aja", "ask_documents", {"facet": "documents"})
    knowledge = repository.current()
    # One line per segment with its documents, never a bare "which segment?".
    assert all(f"*{segment.short_name.id}*:" in result.text for segment in knowledge.segments())
    assert "NPWP" in result.text and "E-KTP" in result.text
    assert [b["payload"] for b in result.buttons()][:5] == [
        f'/ask_documents{{"segment":"{key}"}}' for key in ("pu", "bpu", "jakon", "pmi", "perisai")
    ]
    pending = result.slot("pending")
    assert pending["kind"] == "segment" and pending["topic"] == "documents"
    # a segment named next answers the remembered question for it
    chosen = answer(run, '/inform{"segment":"bpu"}', "inform", {"segment": "bpu"}, {"pending": pending})
    assert "E-KTP" in chosen.text and "NPWP" not in chosen.text
    assert chosen.slot("pending") is None and chosen.slot("segment") == "bpu"


def test_asking_again_without_a_segment_gets_the_overview_again_not_a_question(kb_url, run):
    pending = {"kind": "segment", "topic": "channels", "facets": ["channels"], "asked": 1}
    result = answer(run, "daftarnya di mana", "ask_channels", {"facet": "channels"}, {"pending": pending})
    knowledge = repository.current()
    assert all(f"*{segment.short_name.id}*:" in result.text for segment in knowledge.segments())
    assert "?" not in result.text.splitlines()[0]


def test_a_message_with_two_questions_about_two_people_answers_each_for_its_person(kb_url, run):
    import json

    subjects = [
        json.dumps({"i": 0, "person": "uncle", "segment": "pu", "basis": "employee", "occupation": None, "stage": None, "age": None}),
        json.dumps({"i": 1, "person": "aunt", "segment": "bpu", "basis": "self_employed", "occupation": None, "stage": None, "age": None}),
    ]
    asks = [json.dumps({"n": 0, "topic": "documents", "subject": 0, "facets": ["documents"]}),
            json.dumps({"n": 1, "topic": "channels", "subject": 1, "facets": ["channels"]})]
    result = answer(run, "my uncle ... and my aunt ...", "ask_documents", {"subject": subjects, "ask": asks}, {"language": "en"})
    text = result.text
    assert "*For your uncle: Wage Recipient Workers (PU)*" in text and "*For your aunt: Non-Wage Recipient Workers (BPU)*" in text
    assert text.index("your uncle") < text.index("Photocopy of TIN") < text.index("your aunt") < text.index("Cermati")


def test_a_question_while_a_choice_is_pending_is_answered(kb_url, run):
    pending = {"kind": "segment", "topic": "documents", "facets": ["documents"], "asked": 1}
    result = answer(run, "syarat kantor perisai", "ask_perisai_office_requirements", {"facet": "perisai_office"},
                    {"pending": pending})
    assert "3 (tiga)" in result.text and result.slot("pending") is None


@pytest.mark.parametrize(
    "age, expected",
    [(45, "masih bisa mendaftar"), (60, "tidak bisa lagi"), (None, "belum mencapai usia 60")],
)
def test_age_question_uses_the_knowledge_rule_and_the_age_given(kb_url, run, age, expected):
    entities = {"facet": "age", **({"age": age} if age else {})}
    result = answer(run, "umur", "ask_eligibility", entities)
    assert expected in result.text and result.slot("segment") == "bpu"


def test_age_question_for_pmi_says_the_page_states_none_and_where_it_applies(kb_url, run):
    result = answer(run, "ada batas usia?", "ask_eligibility", {"facet": "age"}, {"segment": "pmi"})
    assert "tidak menyebut batas usia untuk PMI" in result.text and "BPU" in result.text


def test_requirements_are_documents_and_rules_together(kb_url, run):
    result = answer(run, "syarat daftar BPU", "ask_documents", {"segment": "bpu", "facet": "requirements"})
    assert "E-KTP" in result.text and "60" in result.text and "Perisai" not in result.text


def test_a_channel_kind_is_answered_yes_or_no_with_the_others(kb_url, run):
    yes = answer(run, "bisa di bank?", "ask_channels", {"segment": "bpu", "facet": ["channels", "kind_bank"]})
    assert yes.text.startswith("Ya,") and "SPO" in yes.text and "Cermati" in yes.text
    no = answer(run, "bpu lewat oss?", "ask_channels", {"segment": "bpu", "facet": ["kind_oss"]})
    assert "tidak tercantum" in no.text and "OSS" not in no.text.split("\n")[0][5:]


def test_online_channels_only_when_online_is_asked(kb_url, run):
    result = answer(run, "pu online", "ask_channels", {"segment": "pu", "facet": ["online", "channels"]})
    assert "OSS" in result.text and "PTSP" not in result.text


def test_follow_up_repeats_the_last_topic_for_the_new_segment(kb_url, run):
    result = answer(run, "kalau PMI?", "inform", {"segment": "pmi"}, {"segment": "bpu", "topic": "channels"})
    assert "SISKOTKLN" in result.text and result.slot_after("topic") == "channels"
    assert result.slot("topic") == "<unset>"  # unchanged: not written again


def test_triage_names_only_the_segment_of_the_work(kb_url, run):
    result = answer(
        run, "saya nelayan", "ask_segment_fit",
        {"segment": "bpu", "segment_basis": "occupation", "occupation": "fisherman", "facet": "which_segment"},
    )
    assert "nelayan" in result.text and "BPU" in result.text
    assert not any(word in result.text for word in ("PMI", "Jakon", "Perisai", "migran"))


def test_an_occupation_that_does_not_decide_gets_one_yes_no_question(kb_url, run):
    asked = answer(run, "saya sopir", "ask_segment_fit", {"occupation": "driver", "facet": "which_segment"})
    assert [b["payload"] for b in asked.buttons()] == ["/affirm", "/deny"]
    pending = asked.slot("pending")
    assert pending["kind"] == "employment"
    paid = answer(run, "/affirm", "affirm", slots={"pending": pending})
    assert paid.slot("segment") == "pu" and "pemberi kerja" in paid.text
    own = answer(run, "/deny", "deny", slots={"pending": pending})
    assert own.slot("segment") == "bpu"


def test_outside_topic_says_so_and_gives_the_call_center(kb_url, run):
    result = answer(run, "berapa iuran", "ask_outside_topic", {"outside_topic": "contributions"})
    assert "iuran" in result.text and "175" in result.text and "care@bpjsketenagakerjaan.go.id" in result.text


def test_everyday_words_without_any_context_are_declined(kb_url, run):
    result = answer(run, "how many calories", "ask_how_to_register", {"facet": "how", "anchored": False})
    assert result.messages[0]["response"] == "utter_out_of_scope"


def test_handoff_lists_the_human_channels_from_the_knowledge(kb_url, run):
    result = run(ActionHandoff(), make_tracker("petugas", "request_human", slots={"language": "en"}))
    assert "175" in result.text and "care@bpjsketenagakerjaan.go.id" in result.text


def test_clarify_offers_likely_topics_by_label_never_intent_names(kb_url, run):
    ranking = [{"name": "ask_documents", "confidence": 0.4}, {"name": "greet", "confidence": 0.3}]
    result = run(ActionClarify(), make_tracker("hmm", "nlu_fallback", ranking=ranking))
    titles = [b["title"] for b in result.buttons()]
    assert titles[0] == "Dokumen yang diperlukan" and titles[-1] == "Hubungi petugas"
    assert not any("ask_" in title for title in titles)


def test_a_second_failure_in_a_row_hands_off(kb_url, run):
    before = [{"event": "action", "name": "action_clarify"}, {"event": "bot", "text": "?"}]
    result = run(ActionClarify(), make_tracker("hmm lagi", "nlu_fallback", events=before))
    assert "175" in result.text


def test_previous_bot_action_skips_listening():
    events = [
        {"event": "action", "name": "action_clarify"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "x"},
    ]
    assert previous_bot_action(events) == "action_clarify"
    assert previous_bot_action([{"event": "user", "text": "x"}]) == ""


def test_rating_is_stored_and_thanked(kb_url, run):
    result = run(ActionRateAnswer(), make_tracker('/rate_answer{"rating":"down"}', "rate_answer", {"rating": "down"}))
    assert result.slot("rating") == "down" and "Hubungi petugas" in [b["title"] for b in result.buttons()]


def test_database_failure_becomes_a_polite_apology(tmp_path, monkeypatch, run):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")  # no knowledge tables
    repository.forget()
    result = answer(run, "cara daftar bpu", "ask_how_to_register", {"segment": "bpu"})
    assert result.names == ["knowledge_unavailable"] and result.events == []


def test_changed_slots_writes_only_what_differs():
    from actions.base import changed_slots

    tracker = make_tracker("x", "inform", None, {"segment": "bpu", "topic": "channels"})
    events = changed_slots(tracker, {"segment": "bpu", "topic": "documents", "pending": None})
    assert [(e["name"], e["value"]) for e in events] == [("topic", "documents")]


def test_a_repeated_answer_is_counted_again_but_its_unchanged_context_is_not_rewritten(kb_url, run):
    slots = {"segment": "bpu", "topic": "documents", "answer_key": "documents:bpu"}
    result = answer(run, "dokumen bpu", "ask_documents", {"segment": "bpu", "facet": "documents"}, slots)
    assert result.slot("answer_key") == "documents:bpu"  # the deflection numbers count every answer
    assert result.slot("segment") == result.slot("topic") == "<unset>"
