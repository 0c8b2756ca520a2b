"""ERROR and Traceback lines in the cluster's logs, each either explained by an injected fault or a failure.

A fault test opens a window (`faults.window(name, allowed)`) while it breaks something; inside the
window, an ERROR line or a Traceback whose exception lines all match `allowed` is the fault being
reported, not a bug. Everywhere else, and for anything else, an ERROR or Traceback fails the run.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

PROBLEM = re.compile(r"\bERROR\b|\bCRITICAL\b|\[error\s*\]|\[critical\s*\]")
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")
CONTINUATION = ("During handling of the above exception", "The above exception was the direct cause")


@dataclass
class Window:
    name: str
    allowed: re.Pattern
    spans: Dict[Path, Tuple[int, int]]


def problems_in(data: bytes) -> List[Tuple[int, str]]:
    """(byte offset, item) for every ERROR line and every Traceback (its exception lines, joined by ' | ')."""
    raw = data.splitlines(keepends=True)
    lines = [line.decode("utf-8", errors="replace") for line in raw]
    items, offset, index = [], 0, 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("Traceback (most recent call last)"):
            start, exceptions = offset, []
            while index + 1 < len(lines) and not RECORD_START.match(lines[index + 1]):
                offset += len(raw[index])
                index += 1
                line = lines[index]
                stripped = line.rstrip("\n")
                if stripped and not stripped[0].isspace() and not stripped.startswith(("Traceback",) + CONTINUATION):
                    exceptions.append(stripped)
            items.append((start, "Traceback: " + " | ".join(exceptions or ["(no exception line)"])))
        elif PROBLEM.search(line):
            items.append((offset, line.rstrip("\n")))
        offset += len(raw[index])
        index += 1
    return items


class FaultLog:
    def __init__(self, logs: List[Path]) -> None:
        self.logs = logs
        self.windows: List[Window] = []

    def _sizes(self) -> Dict[Path, int]:
        return {log: log.stat().st_size if log.exists() else 0 for log in self.logs}

    @contextmanager
    def window(self, name: str, allowed: str, settle: float = 2.0) -> Iterator[None]:
        """Errors matching `allowed` are expected from here until `settle` seconds after the block."""
        before = self._sizes()
        try:
            yield
        finally:
            time.sleep(settle)
            after = self._sizes()
            self.windows.append(Window(name, re.compile(allowed), {log: (before[log], after[log]) for log in self.logs}))

    def explained_by(self, log: Path, offset: int, item: str) -> Optional[str]:
        for window in self.windows:
            start, end = window.spans.get(log, (0, 0))
            if not (start <= offset < end):
                continue
            if item.startswith("Traceback: "):
                if all(window.allowed.search(part) for part in item[len("Traceback: "):].split(" | ")):
                    return window.name
            elif window.allowed.search(item):
                return window.name
        return None

    def report(self) -> Tuple[List[str], Dict[str, int]]:
        """(unexplained problems, count of expected ones per fault window)."""
        unexplained, expected = [], {}
        for log in self.logs:
            if not log.exists():
                continue
            for offset, item in problems_in(log.read_bytes()):
                name = self.explained_by(log, offset, item)
                if name:
                    expected[name] = expected.get(name, 0) + 1
                else:
                    unexplained.append(f"{log.name}: {item[:400]}")
        return unexplained, expected
