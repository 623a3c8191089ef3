"""Realistic synthetic daily traffic, for the tests and the benchmark of the surge detector. Pure Python.

A day's number of finished journeys follows the weekday (Monday is the busiest day, Sunday the quietest), the
year (August and the end of December are quiet, October is the cybersecurity awareness month), a few public
holidays, a slow trend and an over-dispersed noise (gamma-Poisson, as real traffic is noisier than Poisson).
The journeys are then shared between incident types: professional types (ransomware, CEO fraud…) weigh more on
working days, and every share drifts slowly at random within ±25 %. ``with_wave`` then lays a scam wave over it.
"""

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

from cyberaide.observatory.surges import DayCounts

# The mix of what victims report in France; "" is a journey that found no incident ("not found").
BASE_SHARES: dict[str, float] = {
    "phishing": 0.305,
    "account_hacking": 0.12,
    "fake_tech_support": 0.07,
    "data_breach": 0.05,
    "scam_sms": 0.048,
    "sextortion_bluff": 0.04,
    "phone_scam": 0.04,
    "fake_shop": 0.035,
    "card_fraud": 0.035,
    "fake_bank_adviser": 0.03,
    "email_spam": 0.02,
    "identity_theft": 0.02,
    "cyberharassment": 0.015,
    "p2p_sale_scam": 0.015,
    "malware": 0.012,
    "investment_scam": 0.012,
    "ransomware": 0.01,
    "romance_scam": 0.008,
    "intimate_image_extortion": 0.008,
    "fake_invoice": 0.008,
    "fake_job": 0.006,
    "ceo_fraud": 0.006,
    "system_compromise": 0.006,
    "stealer": 0.005,
    "repair_fraud": 0.004,
    "lost_device": 0.004,
    "stalkerware": 0.003,
    "recovery_scam": 0.003,
    "illicit_content": 0.003,
    "iot_hacking": 0.002,
    "defacement": 0.002,
    "ddos": 0.002,
    "domain_abuse": 0.002,
    "pbx_hacking": 0.001,
    "": 0.05,
}

# Incident types that mostly hit companies, associations and town halls: reported on working days.
PROFESSIONAL = frozenset(
    "ransomware ceo_fraud fake_invoice defacement ddos domain_abuse system_compromise pbx_hacking".split()
)
PROFESSIONAL_WORKDAY = 1.4
PROFESSIONAL_DAY_OFF = 0.5

# Monday to Sunday.
WEEKDAY_FACTORS = (1.25, 1.12, 1.1, 1.08, 1.05, 0.7, 0.6)
HOLIDAY_FACTOR = 0.65
# Fixed-date French public holidays (month, day); Easter Monday, Ascension and Whit Monday are left out.
HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)})

# Day-to-day over-dispersion: the expected traffic is multiplied by Gamma(shape, 1 / shape), sd ≈ 13 %.
GAMMA_SHAPE = 60.0
# Slow drift of each share: a random walk of the logarithm, reflected within ±25 %.
DRIFT_STEP = 0.015
DRIFT_BOUND = math.log(1.25)
# Below this mean, counts are drawn from a Poisson law; above it, from its normal approximation.
POISSON_EXACT_BELOW = 30.0


def is_day_off(day: date) -> bool:
    return day.weekday() >= 5 or (day.month, day.day) in HOLIDAYS


def yearly_factor(day: date) -> float:
    """Slightly busier in winter, quiet in August and at the end of December, busier in October."""
    factor = 1 + 0.05 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)
    if day.month == 8:
        factor *= 0.75
    elif day.month == 10:
        factor *= 1.1
    elif day.month == 12 and day.day >= 18:
        factor *= 0.8
    return factor


def day_factor(day: date) -> float:
    factor = WEEKDAY_FACTORS[day.weekday()] * yearly_factor(day)
    if (day.month, day.day) in HOLIDAYS:
        factor = min(factor, HOLIDAY_FACTOR)
    return factor


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: exact for small means, its rounded normal approximation above ``POISSON_EXACT_BELOW``."""
    if mean <= 0:
        return 0
    if mean >= POISSON_EXACT_BELOW:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def binomial(rng: random.Random, trials: int, probability: float) -> int:
    """A binomial draw through its Poisson or normal approximation (fast for thousands of trials)."""
    if trials <= 0 or probability <= 0:
        return 0
    if probability >= 1:
        return trials
    mean = trials * probability
    if mean < POISSON_EXACT_BELOW:
        return min(trials, poisson(rng, mean))
    if trials - mean < POISSON_EXACT_BELOW:
        return trials - min(trials, poisson(rng, trials - mean))
    draw = round(rng.gauss(mean, math.sqrt(mean * (1 - probability))))
    return min(trials, max(0, draw))


def multinomial(rng: random.Random, trials: int, shares: dict[str, float]) -> dict[str, int]:
    """Share ``trials`` between the keys of ``shares`` (summing to 1) by successive conditional binomials."""
    counts: dict[str, int] = {}
    left, mass = trials, sum(shares.values())
    keys = list(shares)
    for key in keys[:-1]:
        count = binomial(rng, left, shares[key] / mass) if mass > 0 else 0
        counts[key] = count
        left -= count
        mass -= shares[key]
    counts[keys[-1]] = left
    return counts


def _reflect(value: float, bound: float) -> float:
    while abs(value) > bound:
        value = math.copysign(2 * bound, value) - value
    return value


def day_shares(day: date, drift: dict[str, float]) -> dict[str, float]:
    """The shares of one day: the base mix, moved by the drift and the working-day effect, renormalised."""
    professional = PROFESSIONAL_DAY_OFF if is_day_off(day) else PROFESSIONAL_WORKDAY
    raw = {
        code: share * math.exp(drift[code]) * (professional if code in PROFESSIONAL else 1.0)
        for code, share in BASE_SHARES.items()
    }
    mass = sum(raw.values())
    return {code: value / mass for code, value in raw.items()}


def ordinary_traffic(start: date, days: int, *, seed: int = 0, daily_mean: float = 1150.0) -> list[DayCounts]:
    """``days`` consecutive days of ordinary traffic from ``start``: no wave, only the usual rhythms and noise."""
    rng = random.Random(seed)
    slope = rng.uniform(-0.1, 0.1)  # the trend over a year
    drift = {code: rng.uniform(-DRIFT_BOUND, DRIFT_BOUND) / 2 for code in BASE_SHARES}
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        trend = 1 + slope * (offset / 365 - 0.5)
        mean = daily_mean * day_factor(day) * trend * rng.gammavariate(GAMMA_SHAPE, 1 / GAMMA_SHAPE)
        total = poisson(rng, mean)
        counts = multinomial(rng, total, day_shares(day, drift))
        by_incident = {code: count for code, count in counts.items() if code}
        result.append(DayCounts(day=day, total=total, by_incident=by_incident))
        for code in drift:
            drift[code] = _reflect(drift[code] + rng.gauss(0, DRIFT_STEP), DRIFT_BOUND)
    return result


def with_wave(
    days: Sequence[DayCounts], *, incident: str, first_day: date, share: float, seed: int = 0, ramp_days: int = 2
) -> list[DayCounts]:
    """``days`` with a wave of ``incident`` from ``first_day`` on: its share of the day's journeys climbs to
    ``share`` over ``ramp_days`` days (with two: half of it on the first day, all of it from the second), then stays.

    A wave adds journeys: the other incidents keep their numbers, so their shares shrink proportionally, and the
    day's total becomes ``old total × (1 − old share) / (1 − share)``, the wave's journeys being drawn at random.
    """
    if not 0 <= share < 1:
        raise ValueError("A wave's share must be in [0, 1).")
    rng = random.Random(seed)
    ramp = max(1, ramp_days)
    result = []
    for counts in sorted(days, key=lambda counts: counts.day):
        elapsed = (counts.day - first_day).days
        if elapsed < 0:
            result.append(counts)
            continue
        target = share * min(1.0, (elapsed + 1) / ramp)
        before = counts.by_incident.get(incident, 0)
        others = max(counts.total, sum(counts.by_incident.values())) - before
        observed = max(before, poisson(rng, others * target / (1 - target)))
        by_incident = {**counts.by_incident, incident: observed}
        result.append(DayCounts(day=counts.day, total=others + observed, by_incident=by_incident))
    return result
