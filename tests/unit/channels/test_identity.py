"""Conversation ids are channel-scoped and the widget's session ids are the server's own."""

from tanya.channels import identity, web_session


def test_each_channel_prefixes_its_own_ids_so_no_two_channels_share_one():
    ids = {channel: identity.conversation_id(channel, "6281234567890") for channel in identity.PREFIX}
    assert len(set(ids.values())) == len(ids)
    assert {identity.channel_of(value) for value in ids.values()} == set(identity.PREFIX)
    # A client that names another channel's id still gets its own channel's conversation.
    assert identity.channel_of(identity.conversation_id("rest", ids["whatsapp"])) == "rest"
    assert identity.conversation_id("rest", ids["whatsapp"]) != ids["whatsapp"]


def test_app_addresses_are_hashed_deterministically_and_never_appear_in_the_id():
    first = identity.conversation_id("whatsapp", "6281234567890")
    assert first == identity.conversation_id("whatsapp", "6281234567890")
    assert "6281234567890" not in first and "1234567890" not in first
    assert first != identity.conversation_id("whatsapp", "6281234567891")
    assert identity.local_part(identity.conversation_id("rest", "me")) == "me"


def test_ids_no_channel_made_have_no_channel():
    assert identity.channel_of("6281234567890") is None
    assert identity.channel_of("xx:abc") is None


def test_the_server_accepts_only_session_ids_it_issued():
    token = web_session.issue()
    assert web_session.verified(token) == token.split(".")[0]
    assert web_session.issue() != token
    random_part, signature = token.split(".")
    forged = [
        None, 5, "", "6281234567890", random_part, f"{random_part}.{'0' * 32}",
        f"{random_part.swapcase()}.{signature}", token + "x", f"{random_part}.{signature.upper()}",
    ]
    assert [web_session.verified(value) for value in forged] == [None] * len(forged)
