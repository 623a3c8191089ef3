"""Statistical secrecy: which counts of the public observatory may be published.

Every public figure is built from *cells*: the journeys of one month, one audience (or all audiences together),
and one value of one dimension (an incident type, a region…). The cells of one dimension for one month and
audience form a *relation*: they add up to a total that is public, or could be worked out from other tables.
A cell under the threshold (11, the rule the INSEE applies to people) is shown as "< 11" (``SMALL``). Hiding it
alone is not enough, since the total minus the published cells would give it back, so more cells are hidden
(``SECRET``) until, for every small cell, what the relation lets anyone deduce is no better than "0 to 10".

With ``R`` the sum of the hidden cells of a relation (always deducible), ``k`` the number of small ones, ``s``
the number of secret ones (each known to be at least the threshold, since it is not marked small, and at most
the smallest published cell, since cells are hidden smallest first) and ``P`` that smallest published cell:

- a small cell can reach at most ``R − 11·s``: this must be at least 10;
- a small cell is at least ``R − 10·(k − 1) − P·s``: this must be 0 or less.

Cells belong to exactly one relation and relations share only their totals, which are public, so protecting
each relation protects every combination of filters and every subtraction from a total. When no choice of cells
can protect a relation, :func:`protect` says so and the caller leaves the relation out (``publication``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 11


class Status(StrEnum):
    PUBLISHED = "publie"
    SMALL = "moins_de_11"
    SECRET = "secret"  # noqa: S105 (a statistical status, not a password)


def is_protected(values: Mapping[str, int], statuses: Mapping[str, Status], *, threshold: int = THRESHOLD) -> bool:
    """Whether, from the public total, the published cells and the marks, every small cell of one relation could
    still be anything from 0 to ``threshold − 1``.

    The attacker knows each small cell is 0 to ``threshold − 1``, each secret cell at least ``threshold`` and, since
    cells are hidden smallest first, at most the smallest published cell (``ceiling_of_secrets``); the hidden cells
    add up to ``remainder``. A small cell can reach ``threshold − 1`` only if the secret cells can be as low as
    ``threshold`` each; it can be 0 only if the other cells can hold the whole remainder.
    """
    small = [key for key, status in statuses.items() if status == Status.SMALL]
    if not small:
        return True
    secret = [key for key, status in statuses.items() if status == Status.SECRET]
    published = [values[key] for key, status in statuses.items() if status == Status.PUBLISHED]
    remainder = sum(values[key] for key in (*small, *secret))
    top = threshold - 1
    ceiling_of_secrets = min(published, default=remainder)
    can_reach_top = remainder - threshold * len(secret) >= top
    can_be_zero = remainder <= top * (len(small) - 1) + ceiling_of_secrets * len(secret)
    return can_reach_top and can_be_zero


def protect(
    values: Mapping[str, int], *, threshold: int = THRESHOLD, hidden: frozenset[str] = frozenset()
) -> dict[str, Status] | None:
    """The status of each cell of one relation, or None if it cannot be protected.

    ``hidden`` are cells the caller already had to hide (they are secret, or small if under the threshold). More
    cells are hidden in a fixed order, smallest first (ties by key), until the relation is protected: the order
    does not depend on the small cells, so which cells are hidden tells nothing about them beyond what
    :func:`is_protected` allows. A relation with a small cell always hides at least one more cell, even when the
    small cells are zeros: whether a relation needed more hiding must not tell whether its small cells are empty.
    """
    statuses = {
        key: Status.SMALL if value < threshold else Status.SECRET if key in hidden else Status.PUBLISHED
        for key, value in values.items()
    }
    queue = sorted((value, key) for key, value in values.items() if statuses[key] == Status.PUBLISHED)
    while not is_protected(values, statuses, threshold=threshold):
        if not queue:
            return None
        _, key = queue.pop(0)
        statuses[key] = Status.SECRET
    return statuses


@dataclass(frozen=True)
class Figure:
    """A published figure made of one or more cells (several months, several audiences)."""

    value: int  # the sum of the published cells
    cells: int  # how many cells it covers
    hidden: int  # how many of them are not published (marked or left out)
    small_only: bool  # every hidden cell is marked "< 11"
    secret_only: bool = False  # every hidden cell is marked "secret"

    @property
    def complete(self) -> bool:
        return self.hidden == 0

    @property
    def is_published(self) -> bool:
        return self.hidden < self.cells

    @property
    def chart_value(self) -> int | None:
        return self.value if self.is_published else None


def combine(cells: list[tuple[int | None, Status | None]]) -> Figure:
    """Add up cells as published: hidden cells count for nothing, and the figure says it is partial. A status of
    None is a cell that was left out of the publication."""
    hidden = [status for _, status in cells if status != Status.PUBLISHED]
    return Figure(
        value=sum(value or 0 for value, status in cells if status == Status.PUBLISHED),
        cells=len(cells),
        hidden=len(hidden),
        small_only=bool(hidden) and all(status == Status.SMALL for status in hidden),
        secret_only=bool(hidden) and all(status == Status.SECRET for status in hidden),
    )
