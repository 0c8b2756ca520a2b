"""The Chatwoot client against the fake desk (real HTTP on loopback): the documented calls and failures."""

import pytest

from tanya.handoff.chatwoot_client import ChatwootClient, ChatwootConfig, ChatwootError
from tests.fakes import chatwoot as fake_chatwoot
from tests.support.stack import free_port


def client_for(desk, token=fake_chatwoot.TOKEN, account=fake_chatwoot.ACCOUNT_ID):
    return ChatwootClient(ChatwootConfig(desk.url, token, account, fake_chatwoot.INBOX_ID, timeout=3))


def test_contact_conversation_note_and_status_follow_the_contract(desk):
    client = client_for(desk)
    before = len(desk.requests)
    assert client.find_contact("tanya-rest-client-test") is None
    contact = client.create_contact("tanya-rest-client-test", "Pengguna rest t1")
    assert client.find_contact("tanya-rest-client-test")["id"] == contact["id"]
    assert client.find_contact("tanya-rest-client") is None  # a partial match is another contact
    conversation_id = client.create_conversation(contact["id"], "tanya-rest-client-test", {"tanya_channel": "rest"})
    client.post_message(conversation_id, "context", "outgoing", private=True)
    client.post_message(conversation_id, "hello", "incoming")
    client.set_status(conversation_id, "open")

    calls = desk.requests[before:]
    assert [(r.method, r.path.split("/accounts/3/")[1]) for r in calls] == [
        ("GET", "contacts/search"),
        ("POST", "contacts"),
        ("GET", "contacts/search"),
        ("GET", "contacts/search"),
        ("POST", "conversations"),
        (("POST", f"conversations/{conversation_id}/messages")),
        (("POST", f"conversations/{conversation_id}/messages")),
        (("POST", f"conversations/{conversation_id}/toggle_status")),
    ]
    assert all(r.headers.get("api_access_token") == fake_chatwoot.TOKEN for r in calls)
    assert calls[0].query == {"q": ["tanya-rest-client-test"]}
    assert calls[1].body == {"inbox_id": 7, "name": "Pengguna rest t1", "identifier": "tanya-rest-client-test"}
    assert calls[4].body == {
        "inbox_id": 7, "contact_id": contact["id"], "source_id": "tanya-rest-client-test", "status": "pending",
        "custom_attributes": {"tanya_channel": "rest"},
    }
    assert calls[5].body == {"content": "context", "message_type": "outgoing", "private": True}
    assert calls[7].body == {"status": "open"}
    conversation = desk.conversations[conversation_id]
    assert conversation.status == "open"
    assert [(m["content"], m["message_type"], m["private"]) for m in conversation.messages] == [
        ("context", "outgoing", True), ("hello", "incoming", False)
    ]


def test_a_wrong_token_is_refused_and_the_error_does_not_show_it(desk):
    with pytest.raises(ChatwootError, match="HTTP 401") as raised:
        client_for(desk, token="stolen-or-stale").find_contact("anyone")
    assert "stolen-or-stale" not in str(raised.value)
    assert desk.requests[-1].headers.get("api_access_token") == "stolen-or-stale"


def test_the_fake_answers_401_without_the_header(desk):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{desk.url}/api/v1/accounts/3/contacts/search?q=x", timeout=5)
    assert raised.value.code == 401


def test_another_account_is_not_found(desk):
    with pytest.raises(ChatwootError, match="HTTP 404"):
        client_for(desk, account="999").find_contact("anyone")


def test_an_unreachable_desk_is_a_chatwoot_error():
    config = ChatwootConfig(f"http://127.0.0.1:{free_port()}", "t", "3", "7", timeout=2)
    with pytest.raises(ChatwootError, match="unreachable"):
        ChatwootClient(config).set_status(1, "open")


def test_a_desk_that_is_down_is_a_chatwoot_error(desk):
    desk.outage(True)
    try:
        with pytest.raises(ChatwootError, match="HTTP 503"):
            client_for(desk).post_message(1, "x")
    finally:
        desk.outage(False)


def test_an_unknown_conversation_is_an_error(desk):
    with pytest.raises(ChatwootError, match="post message: HTTP 404"):
        client_for(desk).post_message(999999, "x")
