"""Chatwoot's webhook signature: only fresh requests signed with the secret over "{timestamp}.{body}"."""

import hashlib
import hmac

import pytest

from tanya.handoff import signature

SECRET = "webhook-secret"
BODY = b'{"event":"message_created","content":"Halo"}'
NOW = 1_800_000_000.0
STAMP = str(int(NOW))


def chatwoot_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Written from Chatwoot's documentation, independently of the code under test."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_a_good_signature_is_accepted():
    assert signature.verify(SECRET, BODY, chatwoot_signature(SECRET, STAMP, BODY), STAMP, now=NOW)
    assert signature.sign(SECRET, STAMP, BODY) == chatwoot_signature(SECRET, STAMP, BODY)


def test_the_bare_hex_digest_is_accepted_too():
    bare = chatwoot_signature(SECRET, STAMP, BODY)[len("sha256="):]
    assert signature.verify(SECRET, BODY, bare, STAMP, now=NOW)


@pytest.mark.parametrize(
    "sig, stamp, body",
    [
        (chatwoot_signature("another-secret", STAMP, BODY), STAMP, BODY),  # wrong secret
        (chatwoot_signature(SECRET, STAMP, BODY), STAMP, BODY + b" "),  # body changed after signing
        (chatwoot_signature(SECRET, str(int(NOW) - 1), BODY), STAMP, BODY),  # signed for another time
        ("sha256=" + "0" * 64, STAMP, BODY),
        ("garbage", STAMP, BODY),
    ],
)
def test_a_wrong_signature_is_refused(sig, stamp, body):
    assert not signature.verify(SECRET, body, sig, stamp, now=NOW)


@pytest.mark.parametrize("sig, stamp", [(None, STAMP), ("", STAMP), (chatwoot_signature(SECRET, STAMP, BODY), None), (None, None)])
def test_an_unsigned_request_is_refused(sig, stamp):
    assert not signature.verify(SECRET, BODY, sig, stamp, now=NOW)


def test_without_a_configured_secret_everything_is_refused():
    assert not signature.verify("", BODY, chatwoot_signature("", STAMP, BODY), STAMP, now=NOW)


@pytest.mark.parametrize("age, accepted", [(299, True), (300, True), (301, False), (3600, False), (-301, False), (-60, True)])
def test_stale_or_future_timestamps_are_refused(age, accepted):
    stamp = str(int(NOW) - age)
    assert signature.verify(SECRET, BODY, chatwoot_signature(SECRET, stamp, BODY), stamp, now=NOW) is accepted


@pytest.mark.parametrize("stamp", ["1.8e9", "-1800000000", "soon", "１８００００００００"])
def test_a_timestamp_that_is_not_unix_seconds_is_refused(stamp):
    assert not signature.verify(SECRET, BODY, chatwoot_signature(SECRET, stamp, BODY), stamp, now=NOW)
