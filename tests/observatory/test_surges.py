"""Surge detection on realistic synthetic traffic: a year of ordinary traffic (weekly rhythm, August, Christmas,
holidays, drifting shares) raises nothing; a wave of webcam blackmail raises on its first day, even in the morning;
media days and seasonal lulls raise nothing. No database: both modules are pure Python."""

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.observatory import synthetic
from cyberaide.observatory.surges import DayCounts, Signal, Thresholds, detect, replay

SEEDS = [3, 11, 29, 47, 83]
START = date(2023, 1, 2)
INCIDENT_CODES = set(
    "phishing scam_sms phone_scam email_spam account_hacking ransomware malware stealer stalkerware fake_tech_support "
    "fake_bank_adviser card_fraud identity_theft cyberharassment sextortion_bluff intimate_image_extortion "
    "romance_scam ceo_fraud fake_invoice data_breach defacement ddos fake_shop p2p_sale_scam investment_scam fake_job "
    "repair_fraud pbx_hacking iot_hacking lost_device illicit_content recovery_scam domain_abuse "
    "system_compromise".split()
)


def scaled(counts: DayCounts, factor: float) -> DayCounts:
    """The same day with every count multiplied by ``factor``: the shares do not move."""
    return DayCounts(
        counts.day, round(counts.total * factor), {code: round(n * factor) for code, n in counts.by_incident.items()}
    )


def on(days: list[DayCounts], day: date) -> DayCounts:
    return next(counts for counts in days if counts.day == day)


def before(days: list[DayCounts], day: date) -> list[DayCounts]:
    return [counts for counts in days if counts.day < day]


def share(counts: DayCounts, incident: str) -> float:
    return counts.by_incident.get(incident, 0) / counts.total


# Ordinary traffic.


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_a_year_of_ordinary_traffic_raises_nothing(seed):
    days = synthetic.ordinary_traffic(START - timedelta(days=seed), 365, seed=seed)
    assert replay(days) == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_monday_peaks_and_the_august_lull_raise_nothing(seed):
    """Mondays made half as busy again, and an August emptier still than usual: volumes move, shares do not."""
    days = synthetic.ordinary_traffic(date(2024, 5, 1), 150, seed=seed)
    busy = [scaled(counts, 1.5) if counts.day.weekday() == 0 else counts for counts in days]
    quiet = [scaled(counts, 0.5) if counts.day.month == 8 else counts for counts in days]
    assert replay(busy) == []
    assert replay(quiet) == []
    # Back to work: September against a baseline of halved August days.
    for counts in quiet:
        if counts.day.month == 9:
            assert detect(before(quiet, counts.day), counts) == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_a_national_media_day_doubling_all_traffic_raises_nothing(seed):
    days = synthetic.ordinary_traffic(START, 120, seed=seed)
    rng = random.Random(seed)
    media_days = {counts.day for counts in rng.sample(days[70:], 5)}
    doubled = [scaled(counts, 2) if counts.day in media_days else counts for counts in days]
    for day in media_days:
        assert detect(before(doubled, day), on(doubled, day)) == []
    assert replay(doubled) == []


def test_an_ordinary_morning_raises_nothing():
    days = synthetic.ordinary_traffic(START, 120, seed=5)
    for counts in days[70:]:
        assert detect(before(days, counts.day), scaled(counts, 0.3), elapsed=0.3) == []


# Waves.


def webcam_blackmail_wave(seed: int, weekday: int) -> tuple[list[DayCounts], date]:
    """Eleven to twelve weeks of ordinary traffic, then webcam blackmail rising to half of all journeys (a quarter
    on the first day), as in January 2019; three weeks of wave."""
    start = START + timedelta(days=seed)
    days = synthetic.ordinary_traffic(start, 15 * 7, seed=seed)
    jump = start + timedelta(days=11 * 7)
    jump += timedelta(days=(weekday - jump.weekday()) % 7)
    return synthetic.with_wave(days, incident="sextortion_bluff", first_day=jump, share=0.5, seed=seed), jump


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_webcam_blackmail_jumping_to_half_of_the_journeys_raises_at_once(seed):
    waved, jump = webcam_blackmail_wave(seed, weekday=seed % 7)
    assert share(on(waved, jump + timedelta(days=1)), "sextortion_bluff") > 0.4
    episodes = replay(waved)
    assert episodes
    assert {episode.incident for episode in episodes} == {"sextortion_bluff"}
    first = episodes[0]
    assert first.first_day in (jump, jump + timedelta(days=1))
    assert first.last_day >= jump + timedelta(days=6)
    assert first.peak.share > 0.4
    assert first.peak.observed >= 2 * first.peak.expected


@pytest.mark.parametrize("weekday", range(7), ids=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
def test_the_first_morning_of_a_wave_already_raises(weekday):
    waved, jump = webcam_blackmail_wave(17, weekday)
    morning = scaled(on(waved, jump), 0.3)
    signals = detect(before(waved, jump), morning, elapsed=0.3)
    assert [signal.incident for signal in signals] == ["sextortion_bluff"]
    signal = signals[0]
    assert signal.day == jump
    assert signal.observed == morning.by_incident["sextortion_bluff"]
    assert signal.share == pytest.approx(signal.observed / morning.total)
    assert signal.share >= 4 * signal.baseline_share
    # The expected volume is that of the same hours on a usual day.
    usual = [on(waved, jump - timedelta(weeks=week)).by_incident["sextortion_bluff"] for week in range(1, 9)]
    assert signal.expected == pytest.approx(0.3 * sum(usual) / 8)


def test_an_episode_ends_after_quiet_days():
    days = synthetic.ordinary_traffic(START, 13 * 7, seed=2)
    jump = START + timedelta(days=10 * 7)
    first = synthetic.with_wave(days, incident="fake_bank_adviser", first_day=jump, share=0.3, ramp_days=1)
    second = synthetic.with_wave(days, incident="fake_bank_adviser", first_day=jump + timedelta(days=10), share=0.3)
    # A three-day wave, a week of ordinary traffic, then the wave again.
    pieces = [
        plain if 3 <= (plain.day - jump).days < 10 else (waved if plain.day < jump + timedelta(days=3) else again)
        for plain, waved, again in zip(days, first, second, strict=True)
    ]
    episodes = replay(pieces)
    assert [(episode.first_day - jump).days for episode in episodes] == [0, 10]
    assert (episodes[0].last_day - jump).days == 2
    # Seven quiet days between the two waves: one episode if it takes eight to end one.
    assert len(replay(pieces, quiet_days=7)) == 2
    assert [episode.first_day for episode in replay(pieces, quiet_days=8)] == [jump]


def test_a_brand_new_incident_raises_when_big_and_not_when_small():
    history = [DayCounts(date(2024, 3, 4) - timedelta(weeks=week), 1000, {"phishing": 300}) for week in range(1, 9)]
    big = DayCounts(date(2024, 3, 4), 1050, {"phishing": 300, "recovery_scam": 50})
    small = DayCounts(date(2024, 3, 4), 1010, {"phishing": 300, "recovery_scam": 10})
    [signal] = detect(history, big)
    assert (signal.incident, signal.observed, signal.expected) == ("recovery_scam", 50, 0)
    assert signal.baseline_share == pytest.approx(0.5 / 8000)
    assert math.isfinite(signal.z_score)
    assert detect(history, small) == []


def test_no_verdict_without_enough_history_of_the_same_weekday():
    today = DayCounts(date(2024, 3, 4), 1000, {"sextortion_bluff": 500})
    same_weekday = [DayCounts(today.day - timedelta(weeks=week), 1000, {"sextortion_bluff": 40}) for week in (1, 2, 3)]
    other_days = [DayCounts(today.day - timedelta(days=day), 1000, {"sextortion_bluff": 40}) for day in range(1, 7)]
    older = [DayCounts(today.day - timedelta(weeks=week), 1000, {"sextortion_bluff": 40}) for week in (9, 10)]
    assert detect(same_weekday + other_days + older, today) == []
    assert detect(same_weekday + [DayCounts(today.day - timedelta(weeks=8), 1000, {})], today) != []
    with pytest.raises(ValueError):
        detect(same_weekday, today, elapsed=0)


# Properties.

DAY = date(2024, 3, 4)
CODES = ("a", "b", "c")
counts_strategy = st.dictionaries(st.sampled_from(CODES), st.integers(0, 400), max_size=3)


@st.composite
def day_counts(draw, day: date) -> DayCounts:
    by_incident = draw(counts_strategy)
    return DayCounts(day, sum(by_incident.values()) + draw(st.integers(0, 300)), by_incident)


@st.composite
def histories(draw) -> list[DayCounts]:
    weeks = draw(st.sets(st.integers(1, 10), max_size=10))
    others = draw(st.sets(st.integers(1, 70).filter(lambda days: days % 7), max_size=5))
    days = [DAY - timedelta(weeks=week) for week in weeks] + [DAY - timedelta(days=days) for days in others]
    return [draw(day_counts(day)) for day in days]


def keeps_every_threshold(signal: Signal, thresholds: Thresholds) -> bool:
    return (
        signal.observed >= thresholds.min_count
        and signal.share >= thresholds.min_share_ratio * signal.baseline_share
        and signal.observed >= thresholds.min_volume_ratio * signal.expected
        and signal.z_score >= thresholds.min_z
    )


thresholds_strategy = st.builds(
    Thresholds,
    min_count=st.integers(1, 40),
    min_share_ratio=st.floats(1, 4),
    min_volume_ratio=st.floats(0, 4),
    min_z=st.floats(0, 10),
)


@settings(max_examples=300, deadline=None)
@given(histories(), day_counts(DAY), thresholds_strategy)
def test_signals_keep_every_threshold_and_come_strongest_first(history, today, thresholds):
    signals = detect(history, today, thresholds=thresholds)
    assert all(keeps_every_threshold(signal, thresholds) for signal in signals)
    assert [signal.z_score for signal in signals] == sorted((signal.z_score for signal in signals), reverse=True)
    # Order, gaps and days outside the baseline do not matter.
    shuffled = list(history)
    random.Random(len(history)).shuffle(shuffled)
    assert detect(shuffled, today, thresholds=thresholds) == signals
    outside = [DayCounts(DAY - timedelta(days=day), 5000, {"a": 4000}) for day in (1, 3, 7 * 11, 7 * 20)]
    assert detect(history + outside, today, thresholds=thresholds) == signals


@settings(max_examples=300, deadline=None)
@given(histories(), day_counts(DAY), st.integers(1, 6))
def test_more_of_the_same_traffic_never_silences_a_signal(history, today, factor):
    """Multiplying every count, of the history and of today, by the same factor keeps the shares and the volume
    ratios and only strengthens the evidence."""
    before_scaling = {signal.incident for signal in detect(history, today)}
    after_scaling = {signal.incident for signal in detect([scaled(c, factor) for c in history], scaled(today, factor))}
    assert before_scaling <= after_scaling


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(1, 5))
def test_a_day_mixed_like_its_baseline_never_raises(history, factor):
    """Today has exactly the baseline's mix (the sum of the same-weekday days, at any scale): nothing rises."""
    baseline = [counts for counts in history if (DAY - counts.day).days % 7 == 0 and (DAY - counts.day).days <= 56]
    by_incident = {code: factor * sum(counts.by_incident.get(code, 0) for counts in baseline) for code in CODES}
    total = factor * sum(counts.total for counts in baseline)
    assert detect(history, DayCounts(DAY, total, by_incident)) == []


# Synthetic traffic.


def test_synthetic_shares_are_a_complete_mix_of_known_incidents():
    assert math.isclose(sum(synthetic.BASE_SHARES.values()), 1.0)
    assert set(synthetic.BASE_SHARES) == INCIDENT_CODES | {""}
    assert synthetic.BASE_SHARES["phishing"] == max(synthetic.BASE_SHARES.values())
    assert all(share > 0 for share in synthetic.BASE_SHARES.values())


def test_synthetic_traffic_is_deterministic_per_seed_and_consistent():
    days = synthetic.ordinary_traffic(START, 60, seed=4)
    assert days == synthetic.ordinary_traffic(START, 60, seed=4)
    assert days != synthetic.ordinary_traffic(START, 60, seed=5)
    assert [counts.day for counts in days] == [START + timedelta(days=offset) for offset in range(60)]
    for counts in days:
        assert "" not in counts.by_incident
        assert set(counts.by_incident) <= INCIDENT_CODES
        assert 0 < sum(counts.by_incident.values()) < counts.total


def test_synthetic_traffic_follows_the_week_and_the_year():
    days = synthetic.ordinary_traffic(date(2023, 1, 1), 365, seed=8)

    def mean_total(keep) -> float:
        totals = [counts.total for counts in days if keep(counts.day)]
        return sum(totals) / len(totals)

    def professional_share(keep) -> float:
        kept = [counts for counts in days if keep(counts.day)]
        professional = sum(n for c in kept for code, n in c.by_incident.items() if code in synthetic.PROFESSIONAL)
        return professional / sum(counts.total for counts in kept)

    workday, weekend = (lambda day: day.weekday() < 5), (lambda day: day.weekday() >= 5)
    assert 1.4 < mean_total(workday) / mean_total(weekend) < 2.1
    assert mean_total(lambda day: day.weekday() == 0) > 1.08 * mean_total(lambda day: 1 <= day.weekday() <= 4)
    assert mean_total(lambda day: day.month == 8) < 0.85 * mean_total(lambda day: day.month in (6, 9))
    assert professional_share(workday) > 2 * professional_share(weekend)
    assert 1000 < mean_total(lambda day: True) < 1300


def test_a_synthetic_wave_reaches_its_share_and_adds_journeys():
    days = synthetic.ordinary_traffic(START, 40, seed=6)
    jump = START + timedelta(days=30)
    waved = synthetic.with_wave(days, incident="sextortion_bluff", first_day=jump, share=0.5, seed=6)
    assert waved == synthetic.with_wave(days, incident="sextortion_bluff", first_day=jump, share=0.5, seed=6)
    assert waved[:30] == days[:30]
    assert 0.2 < share(waved[30], "sextortion_bluff") < 0.3
    for counts, plain in zip(waved[31:], days[31:], strict=True):
        assert 0.45 < share(counts, "sextortion_bluff") < 0.55
        assert counts.total > 1.7 * plain.total
        others = {code: n for code, n in counts.by_incident.items() if code != "sextortion_bluff"}
        assert others == {code: n for code, n in plain.by_incident.items() if code != "sextortion_bluff"}
