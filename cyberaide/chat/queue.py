"""The 17Cyber queue: who is served first, where a victim stands, how long it may take. Pure Python.

Most serious first, then the longest waiting; the estimate is deliberately simple and said to be approximate.
"""

import math
from dataclasses import dataclass
from datetime import datetime

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
PRIORITIES_PER_LEVEL = 100  # within a level, the diagnosis's priority orders the queue
DEFAULT_HANDLING_MINUTES = 12


@dataclass(frozen=True, slots=True)
class Waiting:
    id: int
    severity_rank: int
    opened_at: datetime


def severity_rank(severity: str, priority: int = 0) -> int:
    """The rank of a conversation in the queue: its level first, then how urgent the diagnosis says it is."""
    level = SEVERITY_RANK.get(severity, len(SEVERITY_RANK))
    return level * PRIORITIES_PER_LEVEL + min(max(priority, 0), PRIORITIES_PER_LEVEL - 1)


def order_key(item: Waiting) -> tuple:
    return (item.severity_rank, item.opened_at, item.id)


def in_order(items) -> list[Waiting]:
    return sorted(items, key=order_key)


def position_of(item: Waiting, others) -> int:
    """1 for the next one served: the number of waiting conversations served before ``item``, plus one."""
    key = order_key(item)
    return 1 + sum(1 for other in others if other.id != item.id and order_key(other) < key)


def estimated_wait_minutes(position: int, agents_online: int, handling_minutes: float) -> int | None:
    """Rounds of conversations ahead of this one, each lasting a typical conversation; None when nobody is on
    duty (the page then says so rather than promise a time)."""
    if agents_online <= 0:
        return None
    rounds = math.ceil(position / agents_online) - 1
    return max(1, math.ceil(rounds * handling_minutes))
