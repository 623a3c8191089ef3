"""Statistical secrecy: which counts of the public observatory may be published.

Every public figure is built from *cells*: the journeys of one month, one audience (or all audiences together),
and one value of one dimension (an incident type, a region…). The cells of one dimension for one month and
audience form a *relation*: they add up to a total that is public, or could be worked out from other tables.
A cell under the threshold (11, the rule the INSEE applies to people) is shown as "< 11" (``SMALL``). Hiding it
alone is not enough, since the total minus the published cells would give it back, so more cells are hidden
(``SECRET``) until, for every small cell, what the relation lets anyone deduce is no better than "0 to 10".

With ``R`` the sum of the hidden cells of a relation (always deducible), ``k`` the number of small ones and ``s``
the number of secret ones (each known to be at least the threshold, since it is not marked small):

- with at least one secret cell, a small cell can reach at most ``R − 11·s``: this must be at least 10;
- with small cells only, a small cell is at least ``R − 10·(k − 1)``: this must be 0 or less, and at most ``R``:
  this must be at least 10;
- ``R = 0`` only reveals zeros, which are no one's secret.

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
    """Whether the hidden cells of one relation keep every small cell within "0 to threshold − 1"."""
    hidden = [key for key, status in statuses.items() if status != Status.PUBLISHED]
    small = sum(1 for key in hidden if statuses[key] == Status.SMALL)
    secret = len(hidden) - small
    total = sum(values[key] for key in hidden)
    ceiling = threshold - 1
    if small == 0 or total == 0:
        return True
    if secret:
        return total - threshold * secret >= ceiling
    return total >= ceiling and total - ceiling * (small - 1) <= 0


def protect(
    values: Mapping[str, int], *, threshold: int = THRESHOLD, hidden: frozenset[str] = frozenset()
) -> dict[str, Status] | None:
    """The status of each cell of one relation, or None if it cannot be protected.

    ``hidden`` are cells the caller already had to hide (they are secret, or small if under the threshold).
    More cells are hidden smallest first, which keeps the most informative figures public.
    """
    statuses = {
        key: Status.SMALL if value < threshold else Status.SECRET if key in hidden else Status.PUBLISHED
        for key, value in values.items()
    }
    while not is_protected(values, statuses, threshold=threshold):
        candidates = sorted((value, key) for key, value in values.items() if statuses[key] == Status.PUBLISHED)
        if not candidates:
            return None
        statuses[_cheapest(candidates, values, statuses, threshold)] = Status.SECRET
    return statuses


def _cheapest(candidates: list[tuple[int, str]], values, statuses, threshold: int) -> str:
    """The smallest published cell whose hiding protects the relation at once, else the largest one (it brings
    the most margin for the next round)."""
    for _, key in candidates:
        trial = {**statuses, key: Status.SECRET}
        if is_protected(values, trial, threshold=threshold):
            return key
    return candidates[-1][1]


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
