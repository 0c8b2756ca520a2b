"""Encryption at rest and keyed look-up hashes from TANYA_SECRET_KEY; the development-key command."""

import base64
import hashlib
import re

import pytest
from cryptography.fernet import InvalidToken
from reg_helpers import TEST_KEY

from tanya.registration import crypto

NIK = "3201011708900001"


@pytest.mark.parametrize(
    "text", [NIK, "+6281234567890", '{"nama": "Siti Aminah", "kota": "Yogyakarta"}', "José 李", ""]
)
def test_encrypt_round_trip(text):
    token = crypto.encrypt(text)
    assert crypto.decrypt(token) == text
    assert text not in token or not text
    assert crypto.encrypt(text) != token  # a fresh random IV every time: equal values do not look equal


def test_token_from_another_key_is_refused(monkeypatch):
    token = crypto.encrypt(NIK)
    monkeypatch.setenv(crypto.ENV_VAR, crypto.generate_key())
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_lookup_hash_is_stable_normalised_and_keyed(monkeypatch):
    digest = crypto.lookup_hash(NIK)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and NIK not in digest  # an HMAC-SHA256 hex digest, not the NIK
    assert crypto.lookup_hash(NIK) == digest
    assert crypto.lookup_hash(f"  {NIK} ") == digest
    assert crypto.lookup_hash("pt maju  jaya") == crypto.lookup_hash("PT Maju Jaya")
    assert crypto.lookup_hash("3201011708900002") != digest
    assert hashlib.sha256(NIK.encode()).hexdigest() != digest  # keyed: not a plain hash anyone can recompute
    monkeypatch.setenv(crypto.ENV_VAR, crypto.generate_key())
    assert crypto.lookup_hash(NIK) != digest
    monkeypatch.setenv(crypto.ENV_VAR, TEST_KEY)
    assert crypto.lookup_hash(NIK) == digest


def test_lookup_hash_value_is_pinned():
    """A changed derivation would orphan every stored hash and ciphertext: fail loudly here instead."""
    assert crypto.lookup_hash(NIK) == "2fd76651c6f5707fbafd9565a99936fabdd1082a0fd8ecad355d79d00923b603"


def test_one_variable_gives_two_different_sub_keys():
    keys = crypto.load_keys()
    assert base64.urlsafe_b64decode(keys.fernet) != keys.hmac
    assert len(keys.hmac) == 32 and len(base64.urlsafe_b64decode(keys.fernet)) == 32


def test_generated_keys_are_fresh_32_byte_urlsafe_keys(monkeypatch):
    first, second = crypto.generate_key(), crypto.generate_key()
    assert first != second
    assert len(base64.urlsafe_b64decode(first)) == 32
    monkeypatch.setenv(crypto.ENV_VAR, first)
    assert crypto.decrypt(crypto.encrypt("ok")) == "ok"


@pytest.mark.parametrize("call", [crypto.load_keys, lambda: crypto.encrypt("x"), lambda: crypto.lookup_hash("x")])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_key_is_a_clear_error(monkeypatch, call, value):
    if value is None:
        monkeypatch.delenv(crypto.ENV_VAR)
    else:
        monkeypatch.setenv(crypto.ENV_VAR, value)
    with pytest.raises(crypto.MissingKeyError, match="TANYA_SECRET_KEY is not set"):
        call()


@pytest.mark.parametrize(
    "value, message",
    [
        ("not base64!!", "not urlsafe base64"),
        (base64.urlsafe_b64encode(b"too short").decode(), "at least 32 bytes"),
    ],
)
def test_unusable_key_is_a_clear_error_that_never_shows_the_key(monkeypatch, value, message):
    monkeypatch.setenv(crypto.ENV_VAR, value)
    with pytest.raises(crypto.InvalidKeyError, match=message) as raised:
        crypto.encrypt("x")
    assert value not in str(raised.value)
    assert isinstance(raised.value, crypto.MissingKeyError)  # callers catch one error type


def test_key_without_base64_padding_is_accepted(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, TEST_KEY.rstrip("="))
    padded = crypto.lookup_hash(NIK)
    monkeypatch.setenv(crypto.ENV_VAR, TEST_KEY)
    assert crypto.lookup_hash(NIK) == padded


def test_a_sealed_value_opens_only_in_its_own_conversation():
    token = crypto.seal("3201011708900001", "conversation-a")
    assert crypto.unseal(token, "conversation-a") == "3201011708900001"
    assert crypto.unseal(token, "conversation-b") is None
    assert crypto.unseal(crypto.encrypt("3201011708900001"), "conversation-a") is None  # not sealed at all
    for junk in (None, "", "not a token", 5, {"x": 1}):
        assert crypto.unseal(junk, "conversation-a") is None
