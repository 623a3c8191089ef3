"""Ranking providers for a victim. Pure Python: the query that gathers candidates lives in ``selectors``.

Order: distance first (in bands, so that a provider 3 km further is not always behind), then quality (a
Bayesian average of ratings, so one 5-star rating does not beat fifty 4.6), then current workload (fewer
open requests first), then a rotation that differs from one victim to the next, so that equal providers
take turns at the top instead of the same few always being shown first.
"""

import hashlib
from dataclasses import dataclass

from cyberaide.core.communes import distance_km

DISTANCE_BANDS_KM = (10, 25, 50, 100, 200)
WORKLOAD_BANDS = (0, 2, 5)
RATING_PRIOR = 4.0
RATING_PRIOR_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    provider_id: int
    lat: float
    lon: float
    covers_area: bool  # the victim's département is in its area, or the victim is within its radius
    remote: bool
    rating_sum: int = 0
    rating_count: int = 0
    open_requests: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    provider_id: int
    distance_km: float
    covers_area: bool
    remote_only: bool
    rating: float | None

    @property
    def outside_area(self) -> bool:
        return not self.covers_area and not self.remote_only


def band(value: float, limits: tuple) -> int:
    return next((index for index, limit in enumerate(limits) if value <= limit), len(limits))


def quality(candidate: Candidate) -> float:
    """Bayesian average rating, rounded to the half point: a coarse tier, not a fine order."""
    average = (candidate.rating_sum + RATING_PRIOR * RATING_PRIOR_WEIGHT) / (
        candidate.rating_count + RATING_PRIOR_WEIGHT
    )
    return round(average * 2) / 2


def rotation(provider_id: int, seed: str) -> bytes:
    return hashlib.blake2b(f"{seed}:{provider_id}".encode(), digest_size=8).digest()


def rank(
    candidates: list[Candidate], *, lat: float, lon: float, seed: str, wanted: int = 5
) -> tuple[list[Match], bool]:
    """Eligible providers (covering the place, or offering remote help) in order, then, when fewer than
    ``wanted`` are eligible, the nearest of the others to widen the search. Returns (matches, widened)."""
    eligible, others = [], []
    for candidate in candidates:
        distance = distance_km(lat, lon, candidate.lat, candidate.lon)
        covering = candidate.covers_area
        key = (
            band(distance, DISTANCE_BANDS_KM),
            -quality(candidate),
            band(candidate.open_requests, WORKLOAD_BANDS),
            rotation(candidate.provider_id, seed),
        )
        match = Match(
            provider_id=candidate.provider_id,
            distance_km=distance,
            covers_area=covering,
            remote_only=not covering and candidate.remote,
            rating=(candidate.rating_sum / candidate.rating_count) if candidate.rating_count else None,
        )
        (eligible if covering or candidate.remote else others).append((key, match))
    eligible.sort(key=lambda pair: pair[0])
    matches = [match for _, match in eligible]
    widened = len(matches) < wanted
    if widened:
        others.sort(key=lambda pair: pair[1].distance_km)
        matches += [match for _, match in others[: wanted - len(matches)]]
    return matches, widened
