"""Reads of the prevention content: what a visitor may see now, the banner's alerts, pages for an incident."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import AlertPage, ContentPage, ReflexSheetPage, ThreatArticlePage, visible_now

BANNER_CACHE_KEY = "content:alert-banner:v1"


@dataclass(frozen=True)
class BannerAlert:
    id: int
    title: str
    banner: str
    severity: str
    url: str
    starts_at: datetime
    ends_at: datetime
    incident_code: str


def latest_pages(count: int):
    return visible_now(ContentPage.objects.not_type(AlertPage)).order_by("-first_published_at").specific()[:count]


def filter_by_audience(pages, audience_code: str):
    if audience_code:
        pages = pages.filter(audiences__code=audience_code)
    return pages


def active_alert_pages(now=None):
    now = now or timezone.now()
    return visible_now(AlertPage.objects.filter(starts_at__lte=now, ends_at__gt=now)).order_by("-starts_at")


def _published_alerts() -> list[BannerAlert]:
    """Every published alert that has not ended yet, including those still to start.

    Cached: the start and end are compared with the clock on each request, so a scheduled alert shows on time
    even from the cache. Publishing or unpublishing an alert clears the cache (signals.py).
    """
    alerts = cache.get(BANNER_CACHE_KEY)
    if alerts is None:
        alerts = [
            BannerAlert(
                id=page.pk,
                title=page.title,
                banner=page.banner,
                severity=page.severity,
                url=page.url,
                starts_at=page.starts_at,
                ends_at=page.ends_at,
                incident_code=page.incident_type.code if page.incident_type_id else "",
            )
            for page in visible_now(AlertPage.objects.filter(ends_at__gt=timezone.now()))
            .select_related("incident_type")
            .order_by("-starts_at")
        ]
        cache.set(BANNER_CACHE_KEY, alerts, settings.ALERT_BANNER_CACHE_SECONDS)
    return alerts


def banner_alerts(now=None) -> list[BannerAlert]:
    now = now or timezone.now()
    return [alert for alert in _published_alerts() if alert.starts_at <= now < alert.ends_at]


def forget_banner_alerts() -> None:
    cache.delete(BANNER_CACHE_KEY)


def reflex_sheet_for(incident) -> ReflexSheetPage | None:
    return visible_now(ReflexSheetPage.objects.filter(incident_types=incident)).order_by("pk").first()


def sheets_for_incident(incident) -> dict:
    """The fiche réflexe and the threat articles a result page shows for an incident type."""
    if incident is None:
        return {"reflex_sheet": None, "articles": []}
    reflex = reflex_sheet_for(incident)
    articles = list(visible_now(ThreatArticlePage.objects.filter(incident_types=incident)).order_by("-pk")[:2])
    return {"reflex_sheet": reflex, "articles": articles}
