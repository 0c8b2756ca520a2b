"""What one session counts as (contained, handoff, abandoned), its turns, fallbacks, answers and ratings,
on small trackers built from Rasa's own events."""

from datetime import date

import pytest
from analytics_events import NOW, RATE_DOWN, RATE_UP, Conversation, local
from rasa.shared.core.events import ConversationPaused, ConversationResumed, SlotSet, UserUttered

from tanya.analytics.definitions import load_definitions
from tanya.analytics.sessions import local_day, session_language, summarise_conversation

DEFINITIONS = load_definitions()
HOUR = 3600


def summarise(conversation: Conversation, now: float = NOW):
    events = [event.as_dict() for event in conversation.events]
    return summarise_conversation(conversation.sender_id, events, DEFINITIONS, now)


def only(conversation: Conversation, now: float = NOW):
    summaries = summarise(conversation, now)
    assert len(summaries) == 1, summaries
    return summaries[0]


def test_an_answered_and_rated_question_is_a_contained_session():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("dokumen BPU apa saja?", "id", intent="ask_documents")
        .bot("action_answer_question", SlotSet("answer_key", "documents:bpu"))
        .user(RATE_UP, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
    )
    assert (session.contained, session.handoff, session.abandoned) == (True, False, False)
    assert [turn.fallback for turn in session.turns] == [False, False]
    assert [(a.topic, a.segment, a.rating) for a in session.answers] == [("documents", "bpu", "up")]
    assert (session.day, session.channel, session.language) == (date(2026, 12, 1), "rest", "id")


def test_action_handoff_makes_a_handoff_and_messages_while_paused_go_to_the_agent():
    session = only(
        Conversation("s", "socketio")
        .session_start("2026-12-01 09:00")
        .user("saya mau bicara dengan petugas", "id", intent="request_human")
        .bot("action_handoff", ConversationPaused())
        .paused_user("halo?")
        .paused_user("masih di sana?")
    )
    assert session.handoff and not session.contained and not session.abandoned
    assert len(session.turns) == 1 and session.agent_messages == 2


def test_a_pause_alone_is_a_handoff_and_after_resume_messages_are_turns_again():
    # A desk may pause the conversation itself (the Chatwoot bridge); resuming gives it back.
    conversation = (
        Conversation("s", "whatsapp")
        .session_start("2026-12-01 09:00")
        .user("tolong bantu", "id")
        .bot("utter_greet", ConversationPaused())
        .paused_user("untuk petugas")
    )
    conversation._add(ConversationResumed())
    conversation.user("terima kasih", "id", intent="thank").bot("utter_you_are_welcome")
    session = only(conversation)
    assert session.handoff
    assert [turn.text for turn in session.turns] == ["tolong bantu", "terima kasih"]
    assert session.agent_messages == 1


def test_the_second_clarification_in_a_row_is_a_handoff():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("qwzx blorp", "en", intent="nlu_fallback")
        .bot("action_clarify")
        .user("zzkq vrrp", "en", intent="nlu_fallback")
        .bot("action_clarify")
    )
    assert session.handoff and not session.abandoned
    assert [turn.fallback for turn in session.turns] == [True, True]


def test_clarifications_with_an_answer_between_them_are_no_handoff_but_a_last_one_unanswered_is_abandoned():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("qwzx", "id", intent="nlu_fallback")
        .bot("action_clarify")
        .user("/ask_segments", "id", intent="ask_segments")
        .bot("action_answer_question", SlotSet("answer_key", "segments:-"))
        .user("blorp", "id", intent="nlu_fallback")
        .bot("action_clarify")
    )
    assert not session.handoff
    assert session.abandoned  # the clarification asked the user something; nobody answered
    assert [turn.fallback for turn in session.turns] == [True, False, True]


def test_a_clarification_looks_back_across_a_session_start_as_the_action_does():
    # ActionClarify's previous_bot_action skips action_session_start: a clarification that ended
    # yesterday's session and another today hand off.
    summaries = summarise(
        Conversation("s", "rest")
        .session_start("2026-11-30 09:00")
        .user("qwzx", "id", intent="nlu_fallback")
        .bot("action_clarify")
        .session_start("2026-12-01 09:00", {"language": "id"})
        .user("blorp", "id", intent="nlu_fallback")
        .bot("action_clarify")
    )
    assert [(s.handoff, s.abandoned) for s in summaries] == [(False, True), (True, False)]


def test_a_stuck_form_that_hands_off_is_a_handoff():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("daftar BPU", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
        .user("saya bingung", "id")
        .form_ends("handoff")
    )
    assert session.handoff and not session.abandoned
    assert session.registration.outcome == "handoff"
    assert session.fallback_turns == 0  # the form answered both messages


def test_an_open_form_is_abandoned_only_once_idle_or_followed_by_a_new_session():
    conversation = (
        Conversation("s", "whatsapp")
        .session_start("2026-12-01 09:00")
        .user("mau daftar", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
    )
    soon, later = local("2026-12-01 09:30"), local("2026-12-01 10:01")
    assert only(conversation, soon).abandoned is False
    assert only(conversation, soon).registration.outcome == "in_progress"
    assert only(conversation, later).abandoned is True
    assert only(conversation, later).registration.outcome == "abandoned"
    conversation.session_start("2026-12-01 09:20").user("halo", "id", intent="greet").bot("utter_greet")
    first, second = summarise(conversation, local("2026-12-01 09:21"))
    assert first.abandoned and not second.abandoned  # a later session means the first one is over


def test_a_question_of_the_assistant_left_unanswered_is_abandoned_and_an_answered_one_is_not():
    asked = (
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("cara daftar gimana?", "id", intent="ask_how_to_register")
        .bot("action_answer_question", SlotSet("pending", {"kind": "segment_choice", "asked": 1}))
    )
    assert only(asked).abandoned
    asked.user("saya pedagang", "id").bot("action_answer_question", SlotSet("pending", None), SlotSet("answer_key", "how_to_register:bpu"))
    assert not only(asked).abandoned and only(asked).contained


def test_a_paused_form_is_contained():
    session = only(
        Conversation("s", "socketio")
        .session_start("2026-12-01 09:00")
        .user("saya mau daftar PU", "id", intent="request_registration")
        .form_start("pu", "reg_company_name")
        .user("nanti saja", "id")
        .form_ends("paused")
    )
    assert session.contained and session.registration.outcome == "paused"


def test_fallback_turns_are_those_answered_by_the_clarification_or_the_out_of_scope_reply():
    session = only(
        Conversation("s", "telegram")
        .session_start("2026-12-01 09:00")
        .user("harga emas?", "id", intent="out_of_scope")
        .bot("utter_out_of_scope")
        .user("klaim JHT?", "id", intent="ask_outside_topic")
        .bot("action_answer_question", SlotSet("answer_key", "outside:-"))  # a referral is an answer
        .user("Budi", "id", intent="nlu_fallback")
        .bot("utter_greet")
        .user("qwzx", "id", intent="nlu_fallback")
        .bot("action_clarify")
    )
    assert [turn.fallback for turn in session.turns] == [True, False, False, True]
    assert session.fallback_turns == 2


def test_a_turn_counts_in_the_language_it_was_answered_in_and_a_session_in_its_most_used_one():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 09:00")
        .user("halo", "id", intent="greet")
        .bot("utter_greet")
        .user("english please", "en", intent="switch_language")
        .bot("utter_language_switched")
        .user("what documents?", intent="ask_documents")  # no language entity: the slot stays English
        .bot("action_answer_question", SlotSet("answer_key", "documents:-"))
        # The form sets the language back within its response: the turn counts in that language.
        .user("Siti", "en")
        .bot("utter_greet", SlotSet("language", "id"))
    )
    assert [turn.language for turn in session.turns] == ["id", "en", "en", "id"]
    assert session.language == "id"  # 2 : 2, the first turn's language breaks the tie
    assert session_language([], "id") == "id"


def test_slots_copied_into_a_new_session_are_not_new_answers_or_ratings():
    first, second = summarise(
        Conversation("s", "rest")
        .session_start("2026-11-30 10:00")
        .user("dokumen BPU?", "id", intent="ask_documents")
        .bot("action_answer_question", SlotSet("answer_key", "documents:bpu"))
        .session_start("2026-12-01 10:00", {"language": "en", "answer_key": "documents:bpu", "rating": "up", "reg_outcome": "handoff"})
        .user("thanks", intent="thank")
        .bot("utter_you_are_welcome")
    )
    assert len(first.answers) == 1 and first.answers[0].rating is None
    assert second.answers == () and not second.handoff
    assert second.turns[0].language == "en"  # the copied language slot is the state, though


def test_a_rating_rates_the_last_answer_even_after_a_session_start_and_the_last_rating_wins():
    first, second = summarise(
        Conversation("s", "rest")
        .session_start("2026-11-30 10:00")
        .user("dokumen BPU?", "id", intent="ask_documents")
        .bot("action_answer_question", SlotSet("answer_key", "documents:bpu"))
        .user("kanal PMI?", "id", intent="ask_channels")
        .bot("action_answer_question", SlotSet("answer_key", "channels:pmi"))
        .user(RATE_UP, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
        .user(RATE_DOWN, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "down"))
        .session_start("2026-12-01 10:00", {"language": "id"})
        .user(RATE_UP, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
    )
    assert [(a.topic, a.rating) for a in first.answers] == [("documents", None), ("channels", "up")]
    assert second.answers == ()


def test_an_invalid_rating_and_a_rating_before_any_answer_count_for_nothing():
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 10:00")
        .user(RATE_UP, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
        .user("dokumen BPU?", "id", intent="ask_documents")
        .bot("action_answer_question", SlotSet("answer_key", "documents:bpu"))
        .user('/rate_answer{"rating":"meh"}', intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", None))
    )
    assert [(a.topic, a.rating) for a in session.answers] == [("documents", None)]


def test_a_session_without_a_user_message_is_not_engaged():
    assert summarise(Conversation("s", "rest").session_start("2026-12-01 10:00")) == []


def test_intents_the_system_triggers_are_not_user_messages():
    conversation = Conversation("s", "rest").session_start("2026-12-01 10:00")
    conversation._add(UserUttered.create_external("EXTERNAL_reminder", input_channel="rest"))
    conversation.bot("utter_greet")
    assert summarise(conversation) == []
    conversation.user("halo", "id", intent="greet").bot("utter_greet")
    conversation._add(UserUttered.create_external("EXTERNAL_reminder"))
    conversation.bot("action_clarify")
    session = only(conversation)
    assert [turn.text for turn in session.turns] == ["halo"] and session.fallback_turns == 0


def test_opening_the_widget_alone_is_neither_engaged_nor_contained():
    """The widget sends "/greet" by itself when it opens (web/widget/tanya-widget.js): an open without a
    word or a press from the user is no conversation (issue 19.7)."""
    opened = Conversation("w", "socketio").session_start("2026-12-01 10:00")
    opened.user("/greet", intent="greet").bot("utter_greet")
    assert summarise(opened) == []
    assert summarise(opened, now=NOW + 48 * HOUR) == []  # nor abandoned, long after


def test_a_widget_conversation_counts_from_the_users_first_message_or_press():
    typed = Conversation("w", "socketio").session_start("2026-12-01 10:00")
    typed.user("/greet", intent="greet").bot("utter_greet")
    started = typed.clock
    typed.user("gimana cara daftar BPU?", "id", intent="ask_registration").bot("action_answer_question", SlotSet("answer_key", "registration:bpu"))
    session = only(typed)
    assert [turn.text for turn in session.turns] == ["gimana cara daftar BPU?"]
    assert session.contained and session.started_at == started and session.channel == "socketio"

    pressed = Conversation("p", "socketio").session_start("2026-12-01 11:00")
    pressed.user("/greet", intent="greet").bot("utter_greet")
    pressed.user('/ask_topic{"topic":"jht"}', intent="ask_topic").bot("action_answer_question", SlotSet("answer_key", "jht:-"))
    assert [turn.text for turn in only(pressed).turns] == ['/ask_topic{"topic":"jht"}'] and only(pressed).contained


def test_a_greeting_typed_on_another_channel_is_the_users():
    conversation = Conversation("r", "rest").session_start("2026-12-01 10:00")
    conversation.user("/greet", intent="greet").bot("utter_greet")
    assert [turn.text for turn in only(conversation).turns] == ["/greet"]


def test_the_day_is_the_local_day_of_the_first_user_message():
    # 06:30 in Jakarta is 23:30 UTC the day before.
    assert local_day(local("2026-12-01 06:30"), DEFINITIONS) == date(2026, 12, 1)
    assert local_day(local("2026-12-01 00:00") - 1, DEFINITIONS) == date(2026, 11, 30)


@pytest.mark.parametrize("outcome, submitted", [("submitted", True), ("duplicate", True), ("cancelled", False)])
def test_the_form_outcome_decides_what_was_submitted(outcome, submitted):
    session = only(
        Conversation("s", "rest")
        .session_start("2026-12-01 10:00")
        .user("daftar", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
        .user("Budi", "id")
        .form_asks("reg_confirm")
        .user("ya", "id", intent="affirm")
        .form_ends("confirmed" if submitted else outcome, outcome)
    )
    registration = session.registration
    assert (registration.started, registration.summary_shown, registration.submitted, registration.outcome) == (True, True, submitted, outcome)
    assert registration.fields == ("reg_full_name",)  # reg_confirm is a step, not a field
    assert registration.confirmed is submitted
