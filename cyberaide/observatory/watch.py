"""Surge watch: after each refresh of the rollups, run the detector (``surges.py``) on today so far and on
yesterday, record what it finds as ``Surge`` rows and e-mail the staff who follow the observatory.

One incident has at most one current surge: later signals extend it (and replace its evidence when the share is
higher); it ends once ``QUIET_DAYS`` days have passed without a signal. Staff acknowledge it in the back office.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cyberaide.core.mail import absolute, send_after_commit, staff_addresses
from cyberaide.diagnostic.models import IncidentType

from . import surges
from .models import NOT_FOUND, Surge
from .rollups import local_day, paris, totals_by_day

QUIET_DAYS = 2
# Before this much of the day has gone, today's counts are too few to compare.
MIN_ELAPSED = 1 / 24
NOT_FOUND_LABEL = "Situations non trouvées dans le diagnostic"


def day_counts(start: date, end: date) -> dict[date, surges.DayCounts]:
    """Journeys per incident type ("not found" included) for each day from ``start`` to ``end``, from the rollups."""
    return {
        day: surges.DayCounts(day=day, total=sum(by_incident.values()), by_incident=by_incident)
        for day, by_incident in totals_by_day(start, end).items()
    }


def elapsed_fraction(moment: datetime) -> float:
    local = timezone.localtime(moment, paris())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return min(max((local - midnight).total_seconds() / 86400, 0.0), 1.0)


DEFAULT_THRESHOLDS = surges.Thresholds()


def run(*, now: datetime | None = None, thresholds: surges.Thresholds = DEFAULT_THRESHOLDS) -> list[Surge]:
    """Detect on yesterday (complete) and today (so far); returns the surges raised for the first time."""
    now = now or timezone.now()
    today = local_day(now)
    first = today - timedelta(weeks=thresholds.baseline_weeks, days=1)
    counts = day_counts(first, today)
    raised = []
    for day, elapsed in ((today - timedelta(days=1), 1.0), (today, elapsed_fraction(now))):
        if day not in counts or elapsed < MIN_ELAPSED:
            continue
        history = [counts[past] for past in counts if past < day]
        for signal in surges.detect(history, counts[day], elapsed=elapsed, thresholds=thresholds):
            surge = record(signal)
            if surge is not None:
                raised.append(surge)
    end_quiet_surges(today)
    return raised


@transaction.atomic
def record(signal: surges.Signal) -> Surge | None:
    """Extend the incident's current surge (or one that ended within the quiet days: its last days were still
    being counted), or raise a new one and tell staff. Returns the new surge only."""
    evidence = {
        "observed": signal.observed,
        "expected": round(signal.expected, 1),
        "share": signal.share,
        "baseline_share": signal.baseline_share,
        "z_score": round(signal.z_score, 1),
    }
    recent = signal.day - timedelta(days=QUIET_DAYS + 1)
    current = (
        Surge.objects.select_for_update()
        .filter(Q(ended_on__isnull=True) | Q(last_day__gte=recent), incident=signal.incident)
        .order_by(F("ended_on").asc(nulls_first=True), "-last_day")  # the open one first
        .first()
    )
    if current is None:
        try:
            with transaction.atomic():
                surge = Surge.objects.create(
                    incident=signal.incident,
                    label=incident_label(signal.incident)[:200],
                    first_day=signal.day,
                    last_day=signal.day,
                    peak_day=signal.day,
                    **evidence,
                )
        except IntegrityError:  # another run raised it a moment ago
            current = Surge.objects.select_for_update().get(incident=signal.incident, ended_on__isnull=True)
        else:
            notify_staff(surge)
            return surge
    current.ended_on = None
    current.last_day = max(current.last_day, signal.day)
    if signal.share > current.share or signal.day == current.peak_day:
        for name, value in {**evidence, "peak_day": signal.day}.items():
            setattr(current, name, value)
    current.save()
    return None


def end_quiet_surges(today: date) -> int:
    return Surge.objects.filter(ended_on__isnull=True, last_day__lt=today - timedelta(days=QUIET_DAYS)).update(
        ended_on=today
    )


def incident_label(code: str) -> str:
    if code == NOT_FOUND:
        return NOT_FOUND_LABEL
    return IncidentType.objects.filter(code=code).values_list("name", flat=True).first() or code


def notify_staff(surge: Surge) -> None:
    context = {
        "surge": surge,
        "label": surge.label,
        "link": absolute(reverse("admin:observatory_surge_change", args=[surge.pk])),
        "share_percent": round(surge.share * 100),
        "baseline_percent": round(surge.baseline_share * 100, 1),
    }
    for email in staff_addresses("observatory.view_surge"):
        send_after_commit(f"hausse inhabituelle : {context['label']}", "observatory/emails/surge.txt", context, email)
