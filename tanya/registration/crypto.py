"""Encryption at rest and keyed hashes for look-ups, from one key in the environment.

TANYA_SECRET_KEY (urlsafe base64 of at least 32 random bytes, e.g. from generate_key()) is expanded
with HKDF into two sub-keys: a Fernet key (encrypt/decrypt the NIK, phone and other answers) and an
HMAC-SHA256 key (find a NIK or a reference's date of birth again without storing it). Changing the
key makes everything stored with the old one unreadable.

The set-up creates a local development key that is never committed (tanya.dev_secrets).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache
from typing import NamedTuple

ENV_VAR = "TANYA_SECRET_KEY"
MIN_KEY_BYTES = 32
# Changing this label changes both sub-keys (and so orphans every stored ciphertext and hash).
_HKDF_INFO = b"tanya-bpjamsostek-v1"


class MissingKeyError(RuntimeError):
    """TANYA_SECRET_KEY is unset, or unusable (InvalidKeyError): nothing can be encrypted or read."""


class InvalidKeyError(MissingKeyError):
    """TANYA_SECRET_KEY is set but is not urlsafe base64 of at least 32 bytes."""


class Keys(NamedTuple):
    fernet: bytes  # urlsafe-base64 Fernet key
    hmac: bytes  # raw HMAC-SHA256 key


def generate_key() -> str:
    """A fresh value for TANYA_SECRET_KEY (32 random bytes, urlsafe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _decode(secret: str) -> bytes:
    padded = secret + "=" * (-len(secret) % 4)
    try:
        material = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidKeyError(f"{ENV_VAR} is not urlsafe base64 (create one with generate_key())") from error
    if len(material) < MIN_KEY_BYTES:
        raise InvalidKeyError(f"{ENV_VAR} must decode to at least {MIN_KEY_BYTES} bytes, not {len(material)}")
    return material


@lru_cache(maxsize=4)
def _derive(secret: str) -> Keys:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_HKDF_INFO).derive(_decode(secret))
    return Keys(fernet=base64.urlsafe_b64encode(derived[:32]), hmac=derived[32:])


def load_keys() -> Keys:
    """The two sub-keys derived from TANYA_SECRET_KEY; MissingKeyError when it is unset or unusable."""
    from tanya.settings import get_settings

    secret = get_settings().secret_key.strip()
    if not secret:
        raise MissingKeyError(
            f"{ENV_VAR} is not set: personal data cannot be encrypted or read. "
            "For local development run: python -m tanya.dev_secrets .keys/dev.env"
        )
    return _derive(secret)


@lru_cache(maxsize=4)
def _fernet(key: bytes):
    from cryptography.fernet import Fernet

    return Fernet(key)


def encrypt(text: str) -> str:
    """Authenticated encryption (Fernet token, ASCII); a new random token every call."""
    return _fernet(load_keys().fernet).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text inside `token`; cryptography.fernet.InvalidToken if it was not made with this key."""
    return _fernet(load_keys().fernet).decrypt(token.encode("ascii")).decode("utf-8")


def normalise_for_lookup(value: object) -> str:
    """Same hash for the same value however it was typed: whitespace collapsed, case ignored."""
    return " ".join(str(value).split()).upper()


def lookup_hash(value: object) -> str:
    """Keyed HMAC-SHA256 (hex) of the normalised value: stable for equality look-ups, useless without the key."""
    return hmac.new(load_keys().hmac, normalise_for_lookup(value).encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_digest(text: str) -> str:
    """Keyed HMAC-SHA256 (hex) of `text` exactly as given: for ids and signatures, not typed values."""
    return hmac.new(load_keys().hmac, text.encode("utf-8"), hashlib.sha256).hexdigest()


# -- values held in a conversation's slots -------------------------------------------------------------
_SEAL_SEPARATOR = "\x1f"


def seal(value: str, conversation: str) -> str:
    """Encrypt `value` for one conversation: only unseal() with the same conversation id reads it back.

    Slots are the conversation's state, sent to the action server on every turn; a ciphertext copied into
    another conversation's slots (or typed into a hand-made request) must not be decrypted there.
    """
    return encrypt(f"{lookup_hash('conversation|' + conversation)}{_SEAL_SEPARATOR}{value}")


def unseal(token: object, conversation: str) -> "str | None":
    """The value sealed for `conversation`, or None for anything else (another conversation, a forged or
    damaged token, a value that is not a token at all)."""
    from cryptography.fernet import InvalidToken

    if not isinstance(token, str) or not token:
        return None
    try:
        clear = decrypt(token)
    except (InvalidToken, ValueError, UnicodeError):
        return None
    owner, separator, value = clear.partition(_SEAL_SEPARATOR)
    if not separator or not hmac.compare_digest(owner, lookup_hash("conversation|" + conversation)):
        return None
    return value
