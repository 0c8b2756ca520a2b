"""Resolving topic and segment from intent, entities and remembered context."""

from actions.topics import (
    CHANNELS,
    DOCUMENTS,
    ELIGIBILITY,
    HOW_TO_REGISTER,
    JAKON_BRANCHES,
    PERISAI_OFFICE_REQUIREMENTS,
    PERISAI_REQUIREMENTS,
    SEGMENTS,
    resolve_question,
)


def test_entity_beats_remembered_segment():
    q = resolve_question("ask_documents", {"segment": "pmi"}, {"segment": "bpu"})
    assert (q.topic, q.segment) == (DOCUMENTS, "pmi")


def test_remembered_segment_answers_follow_up_topic():
    q = resolve_question("ask_eligibility", {"eligibility_topic": "age"}, {"segment": "bpu", "topic": DOCUMENTS})
    assert (q.topic, q.segment, q.eligibility_topic) == (ELIGIBILITY, "bpu", "age")


def test_bare_follow_up_repeats_last_topic_for_new_segment():
    q = resolve_question("inform", {"segment": "pmi"}, {"segment": "bpu", "topic": CHANNELS})
    assert (q.topic, q.segment) == (CHANNELS, "pmi")


def test_bare_follow_up_without_history_explains_registration():
    q = resolve_question("inform", {"segment": "jakon"}, {})
    assert (q.topic, q.segment) == (HOW_TO_REGISTER, "jakon")


def test_stage_means_pmi_documents():
    q = resolve_question("inform", {"pmi_stage": "extension"}, {"segment": "bpu", "topic": HOW_TO_REGISTER})
    assert (q.topic, q.segment, q.pmi_stage) == (DOCUMENTS, "pmi", "extension")


def test_missing_segment_is_flagged():
    q = resolve_question("ask_documents", {}, {})
    assert q.needs_segment and q.segment is None


def test_segment_free_topics_do_not_need_a_segment():
    for intent, topic, segment in [
        ("ask_perisai_requirements", PERISAI_REQUIREMENTS, "perisai"),
        ("ask_perisai_office_requirements", PERISAI_OFFICE_REQUIREMENTS, "perisai"),
        ("ask_jakon_branches", JAKON_BRANCHES, "jakon"),
    ]:
        q = resolve_question(intent, {}, {"segment": "bpu"})
        assert (q.topic, q.segment, q.needs_segment) == (topic, segment, False)


def test_perisai_eligibility_is_its_requirement_list():
    q = resolve_question("ask_eligibility", {"segment": "perisai"}, {})
    assert q.topic == PERISAI_REQUIREMENTS


def test_segment_list_versus_one_segment():
    assert resolve_question("ask_segments", {}, {"segment": "pu"}).topic == SEGMENTS
    q = resolve_question("ask_segments", {"segment": "bpu"}, {})
    assert (q.topic, q.segment) == (HOW_TO_REGISTER, "bpu")
