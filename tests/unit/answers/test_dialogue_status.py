"""After a status check that found nothing, "what now?" gets the status flow's next step; any other
question is answered as usual (the failed check is no topic to follow up on)."""

from tanya.answers.dialogue import Context, Turn, plan_turn
from tanya.understanding import topics as T


def test_what_now_after_a_failed_check_is_the_next_step():
    plan = plan_turn(Turn("ask_how_to_register", {}, 8, status_trouble="next"), Context(None, T.STATUS_TOPIC, None))
    assert plan.action == "utter" and plan.response == "status_help_next"


def test_a_lost_reference_after_a_failed_check():
    plan = plan_turn(Turn("ask_documents", {}, 6, status_trouble="lost"), Context(None, T.STATUS_TOPIC, None))
    assert plan.response == "status_help_lost"


def test_another_question_after_a_failed_check_is_answered_for_itself():
    plan = plan_turn(Turn("ask_documents", {"segment": ["bpu"], "facet": ["documents"]}, 5), Context(None, T.STATUS_TOPIC, None))
    assert plan.action == "answer" and plan.question.topic != T.STATUS_TOPIC and plan.question.segment == "bpu"


def test_trouble_words_without_a_failed_check_change_nothing():
    plan = plan_turn(Turn("ask_documents", {"segment": ["bpu"], "facet": ["documents"]}, 5, status_trouble="next"), Context())
    assert plan.action == "answer" and plan.question.segment == "bpu"
