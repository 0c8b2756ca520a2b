"""An agent-desk event is claimed once in the database by every key that identifies it."""

from tanya.channels import seen_messages
from tanya.channels.chatwoot import CHANNEL, replay_keys

PAYLOAD = {"event": "message_created", "id": 5001, "content": "halo", "message_type": "outgoing", "private": False}


def test_the_keys_of_an_event():
    assert replay_keys("d-1", "sha256=ABC", PAYLOAD) == ["signature:abc", "delivery:d-1", "message:5001"]
    assert replay_keys(None, "abc", {"event": "conversation_status_changed", "id": 9}) == ["signature:abc"]
    assert replay_keys(None, "abc", {"event": "message_created", "id": True}) == ["signature:abc"]


def test_a_replay_under_a_new_delivery_id_or_a_retry_under_a_new_signature_is_refused(migrated_db):
    assert seen_messages.claim_all(CHANNEL, replay_keys("d-1", "sig-1", PAYLOAD), migrated_db)
    assert not seen_messages.claim_all(CHANNEL, replay_keys("d-2", "sig-1", PAYLOAD), migrated_db)  # captured and replayed
    assert not seen_messages.claim_all(CHANNEL, replay_keys("d-1", "sig-2", PAYLOAD), migrated_db)  # Chatwoot's retry
    assert not seen_messages.claim_all(CHANNEL, replay_keys("d-3", "sig-3", PAYLOAD), migrated_db)  # the same message
    # a refused claim took nothing: the new keys of the refused requests are still free
    assert seen_messages.claim_all(CHANNEL, ["delivery:d-2", "signature:sig-3"], migrated_db)


def test_a_released_event_can_be_taken_again(migrated_db):
    keys = replay_keys("d-9", "sig-9", {**PAYLOAD, "id": 7})
    assert seen_messages.claim_all(CHANNEL, keys, migrated_db)
    seen_messages.release(CHANNEL, keys, migrated_db)
    assert seen_messages.claim_all(CHANNEL, keys, migrated_db)
    assert seen_messages.claim("whatsapp", "signature:sig-9", migrated_db)  # channels do not mix
