"""Which desk events reach the user: only an agent's public reply; resolving gives the conversation back."""

import pytest

from tanya.channels.chatwoot import agent_text, resolved

REPLY = {"event": "message_created", "message_type": "outgoing", "private": False, "content": " Halo, saya Sari. "}


def test_an_agent_reply_is_delivered_trimmed():
    assert agent_text(REPLY) == "Halo, saya Sari."


@pytest.mark.parametrize(
    "change",
    [
        {"private": True},  # a private note (the bridge's context note, or the agent's own)
        {"message_type": "incoming"},  # the user's own message, forwarded by the bridge
        {"message_type": 0},
        {"message_type": "activity"},  # "Conversation was resolved by Sari"
        {"message_type": "template"},
        {"private": None},
        {"content": "   "},
        {"content": None},
        {"event": "message_updated"},
        {"event": "conversation_created"},
    ],
)
def test_anything_else_is_not_shown_to_the_user(change):
    assert agent_text({**REPLY, **change}) is None


def test_the_integer_message_type_of_older_releases_is_understood():
    assert agent_text({**REPLY, "message_type": 1}) == "Halo, saya Sari."


@pytest.mark.parametrize(
    "payload, expected",
    [
        ({"event": "conversation_status_changed", "status": "resolved"}, True),
        ({"event": "conversation_resolved", "status": "resolved"}, True),
        ({"event": "conversation_status_changed", "status": "open"}, False),
        ({"event": "conversation_status_changed", "status": "pending"}, False),
        ({"event": "conversation_updated", "status": "resolved"}, False),
    ],
)
def test_only_a_resolved_conversation_resumes_the_assistant(payload, expected):
    assert resolved(payload) is expected
