"""Reads of the anti-scam data that other parts of the platform use."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from .models import Indicator, Listing


def most_reported(*, incident_code: str, first_day: date, last_day: date, limit: int = 10) -> list[Indicator]:
    """The indicators victims of one incident type reported most between two days (inclusive), each with
    ``period_reports`` and ``is_listed``: what staff may want to list when the observatory sees a surge."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(first_day, time.min), zone)
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min), zone)
    return list(
        Indicator.objects.filter(
            reports__incident_code=incident_code, reports__reported_at__gte=start, reports__reported_at__lt=end
        )
        .annotate(
            period_reports=Count("reports"),
            is_listed=Exists(Listing.objects.active().filter(indicator=OuterRef("pk"))),
        )
        .order_by("-period_reports", "pk")[:limit]
    )
