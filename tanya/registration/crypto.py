"""Encryption at rest and keyed hashes for look-ups, from one key in the environment.

TANYA_SECRET_KEY (urlsafe base64, 32 bytes) is split with HKDF into a Fernet key (encrypt/decrypt NIK,
phone, other answers) and an HMAC key (look up a NIK without storing it). The run command creates a
local development key in .keys/dev.env, which is never committed.

    python -m tanya.registration.crypto --write-dev-key .keys/dev.env
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Tuple

ENV_VAR = "TANYA_SECRET_KEY"


class MissingKeyError(RuntimeError):
    pass


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=4)
def _derive(secret: str) -> Tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    try:
        material = base64.urlsafe_b64decode(secret.encode())
    except (ValueError, TypeError) as error:
        raise MissingKeyError(f"{ENV_VAR} is not valid urlsafe base64") from error
    if len(material) < 32:
        raise MissingKeyError(f"{ENV_VAR} must hold at least 32 bytes")
    derived = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b"tanya-bpjamsostek-v1").derive(material)
    return base64.urlsafe_b64encode(derived[:32]), derived[32:]


def load_keys() -> Tuple[bytes, bytes]:
    secret = os.environ.get(ENV_VAR, "").strip()
    if not secret:
        raise MissingKeyError(f"{ENV_VAR} is not set: the pre-registration store cannot encrypt personal data")
    return _derive(secret)


def encrypt(text: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(load_keys()[0]).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(load_keys()[0]).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """Keyed hash for equality look-ups (same input, same hash; useless without the key)."""
    normalised = " ".join(str(value).split()).upper()
    return hmac.new(load_keys()[1], normalised.encode(), hashlib.sha256).hexdigest()


def write_dev_key(path: Path) -> bool:
    """Create `path` with a fresh key (mode 600) unless it exists. Returns True when created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"{ENV_VAR}={generate_key()}\n")
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Development key for the pre-registration store.")
    parser.add_argument("--write-dev-key", type=Path, required=True, metavar="PATH")
    args = parser.parse_args(argv)
    created = write_dev_key(args.write_dev_key)
    print(f"{'Created' if created else 'Kept existing'} development key: {args.write_dev_key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
