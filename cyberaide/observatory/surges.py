"""Surge detection for staff: is one incident type taking a much bigger part of the victims' journeys today than
usual? Pure Python; the caller gives the daily counts of anonymous journeys per incident type.

Today is compared with the same weekday of the previous weeks (Mondays with Mondays, Sundays with Sundays), so
the weekly rhythm and the weekday mix (companies report on working days) are part of the baseline. The main
measure is the incident's *share* of the day's journeys, not its volume: a quiet August, a busy Monday or a
media day that doubles every kind of traffic leave the shares as they are. An incident raises a signal only if
all four conditions hold:

- enough journeys (``min_count``): a handful of reports is never a wave;
- its share is at least ``min_share_ratio`` times its baseline share;
- its volume is at least ``min_volume_ratio`` times its baseline volume, so that a share rising only because the
  other incidents fell (a public holiday, when companies report nothing) is not a surge;
- the rise of the share is far beyond chance: ``min_z`` binomial standard deviations.

A brand-new incident type has a baseline share of zero: a floor of half a journey over the baseline lets it raise
a signal when its volume is large, and keeps its z-score finite.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

# The baseline share of an incident is at least this many journeys over the baseline's total.
SHARE_FLOOR_JOURNEYS = 0.5
# ... and at most this, so that the binomial variance never vanishes.
MAX_SHARE = 1 - 1e-9


@dataclass(frozen=True)
class DayCounts:
    day: date
    total: int  # all finished journeys that day (every incident and "not found")
    by_incident: Mapping[str, int]  # journeys per incident code that day (missing code = 0)


@dataclass(frozen=True)
class Thresholds:
    baseline_weeks: int = 8  # baseline = the same weekday in each of the previous N weeks
    min_baseline_days: int = 4  # fewer same-weekday days of history: no verdict
    min_count: int = 20  # never raise on fewer journeys than this
    min_share_ratio: float = 2.0  # share must be at least this multiple of the baseline share
    min_volume_ratio: float = 2.0  # and volume at least this multiple of the baseline volume
    # and the share rise must be this many standard deviations (binomial). Higher than a textbook 5: daily shares
    # are over-dispersed (slow drifts, public holidays in the baseline) and the binomial tail is heavier than the
    # normal one for small counts; ordinary traffic reaches about 7 (200 simulated years), a real wave 30 and more.
    min_z: float = 8.0


@dataclass(frozen=True)
class Signal:
    incident: str
    day: date
    observed: int  # journeys of that incident on that day (so far, for a partial day)
    expected: float  # baseline volume for that day (scaled by `elapsed` for a partial day)
    share: float  # observed / total
    baseline_share: float
    z_score: float


@dataclass(frozen=True)
class Episode:
    incident: str
    first_day: date
    last_day: date  # last day with a signal
    peak: Signal  # the signal with the highest share


def day_total(counts: DayCounts) -> int:
    """The day's total, never less than the journeys counted per incident (guards inconsistent data)."""
    return max(counts.total, sum(counts.by_incident.values()))


def baseline_days(history: Sequence[DayCounts], day: date, weeks: int) -> list[DayCounts]:
    """The days of ``history`` falling on the same weekday as ``day`` in the ``weeks`` weeks before it."""
    wanted = {day - timedelta(weeks=week) for week in range(1, weeks + 1)}
    found = {counts.day: counts for counts in history if counts.day in wanted}
    return [found[found_day] for found_day in sorted(found)]


def z_score(observed: int, total: int, share: float) -> float:
    """How many binomial standard deviations ``observed`` out of ``total`` lies above the share ``share``."""
    return (observed - total * share) / math.sqrt(total * share * (1 - share))


def detect(
    history: Sequence[DayCounts], today: DayCounts, *, elapsed: float = 1.0, thresholds: Thresholds = Thresholds()
) -> list[Signal]:
    """The incidents surging ``today``, strongest first (highest z-score).

    ``history`` holds complete days before today, in any order, possibly with gaps (a missing day is no data, not
    zero journeys). ``today`` may be partial: ``elapsed`` is the fraction of the day gone, which scales the
    expected volume (shares need no scaling). Without ``min_baseline_days`` same-weekday days: no verdict, [].
    """
    if not 0 < elapsed <= 1:
        raise ValueError("elapsed must be in (0, 1].")
    days = baseline_days(history, today.day, thresholds.baseline_weeks)
    if len(days) < thresholds.min_baseline_days:
        return []
    baseline_total = sum(day_total(counts) for counts in days)
    total = day_total(today)
    if baseline_total <= 0 or total <= 0:
        return []
    floor = SHARE_FLOOR_JOURNEYS / baseline_total
    signals = []
    for incident, observed in today.by_incident.items():
        if observed < thresholds.min_count:
            continue
        past = sum(counts.by_incident.get(incident, 0) for counts in days)
        baseline_share = min(max(past / baseline_total, floor), MAX_SHARE)
        expected = past / len(days) * elapsed
        share = observed / total
        z = z_score(observed, total, baseline_share)
        if (
            share >= thresholds.min_share_ratio * baseline_share
            and observed >= thresholds.min_volume_ratio * expected
            and z >= thresholds.min_z
        ):
            signals.append(Signal(incident, today.day, observed, expected, share, baseline_share, z))
    signals.sort(key=lambda signal: (-signal.z_score, signal.incident))
    return signals


def replay(days: Sequence[DayCounts], *, thresholds: Thresholds = Thresholds(), quiet_days: int = 2) -> list[Episode]:
    """Run the detector over complete ``days`` (each against the days before it) and group the signals of one
    incident into episodes, an episode ending after ``quiet_days`` consecutive days without a signal.
    Episodes come in order of their first day."""
    ordered = sorted(days, key=lambda counts: counts.day)
    by_day = {counts.day: counts for counts in ordered}
    current: dict[str, Episode] = {}
    episodes = []
    for today in ordered:
        history = [
            by_day[past]
            for week in range(1, thresholds.baseline_weeks + 1)
            if (past := today.day - timedelta(weeks=week)) in by_day
        ]
        for signal in detect(history, today, thresholds=thresholds):
            episode = current.get(signal.incident)
            if episode is not None and (signal.day - episode.last_day).days - 1 < quiet_days:
                peak = signal if signal.share > episode.peak.share else episode.peak
                current[signal.incident] = replace(episode, last_day=signal.day, peak=peak)
            else:
                if episode is not None:
                    episodes.append(episode)
                current[signal.incident] = Episode(signal.incident, signal.day, signal.day, signal)
    episodes.extend(current.values())
    episodes.sort(key=lambda episode: (episode.first_day, episode.incident))
    return episodes
