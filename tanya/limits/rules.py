"""The counting logic of a limit, pure: no clock, no database.

A rule allows `limit` events within a sliding `window`; when the events counted reach the limit the key
may also be locked for `lock` (a pause that outlasts the window's own release). A limit of 0 switches
the rule off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional


@dataclass(frozen=True)
class Rule:
    limit: int
    window: timedelta
    lock: timedelta = timedelta(0)

    @property
    def enabled(self) -> bool:
        return self.limit > 0


def window_start(rule: Rule, now: datetime) -> datetime:
    """The oldest moment whose events still count at `now`."""
    return now - rule.window


def allows(rule: Rule, counted: int) -> bool:
    """One more event fits when `counted` events already happened within the window."""
    return not rule.enabled or counted < rule.limit


def reached(rule: Rule, counted: int) -> bool:
    """`counted` events (the newest included) fill the rule: from now on it refuses."""
    return rule.enabled and counted >= rule.limit


def lock_end(rule: Rule, now: datetime) -> Optional[datetime]:
    """Until when a key that reached the rule at `now` stays locked; None when the rule has no lock."""
    return now + rule.lock if rule.enabled and rule.lock > timedelta(0) else None
