"""Local development secrets in one gitignored file: `python -m tanya.dev_secrets .keys/dev.env`.

Creates the file (mode 600) with the secrets the assistant needs, or adds the ones it lacks; a value
already there is never replaced, since the encryption key may already protect stored data.
Production sets these variables itself (README, Configuration).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

from tanya.registration import crypto

GENERATORS: Dict[str, Callable[[], str]] = {
    crypto.ENV_VAR: crypto.generate_key,
    "ACTION_SERVER_TOKEN": lambda: secrets.token_urlsafe(32),
}


def _names_in(path: Path) -> set:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            names.add(line.split("=", 1)[0].strip())
    return names


def ensure_dev_secrets(path: Path) -> List[str]:
    """Add every missing secret to `path`; returns the names added (empty when nothing was missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two set-up runs racing never both create the file.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    missing = [name for name in GENERATORS if name not in _names_in(path)]
    if missing:
        with open(path, "a", encoding="utf-8") as handle:
            for name in missing:
                handle.write(f"{name}={GENERATORS[name]()}\n")
    os.chmod(path, 0o600)  # the mode given to os.open is reduced by the umask; make it exact
    return missing


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tanya.dev_secrets PATH", file=sys.stderr)
        return 2
    path = Path(args[0]).resolve()
    added = ensure_dev_secrets(path)
    print(f"Development secrets in {path}: " + (f"added {', '.join(added)}" if added else "all present, kept"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
