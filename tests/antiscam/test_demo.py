from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from cyberaide.accounts.models import User
from cyberaide.antiscam import filterlist
from cyberaide.antiscam.canonical import expression_hash, hash_prefix
from cyberaide.antiscam.demo import DEMO_LISTED_SITE, DEMO_LISTED_URL, IMPORT_SOURCE, create_demo_filter
from cyberaide.antiscam.extract import classify_single
from cyberaide.antiscam.models import (
    Contest,
    FilterChange,
    ImportBatch,
    Indicator,
    Kind,
    Listing,
    ListingRule,
    Report,
    TrustedDomain,
)
from cyberaide.antiscam.services import listed_expression


@pytest.fixture
def staff_user(db):
    return User.objects.create_user("equipe", "equipe@cyberaide.example", "x", is_staff=True, is_superuser=True)


def check_filter_has_listings_of_every_origin_and_state(demo):
    listings = Listing.objects.all()
    for origin in Listing.Origin.values:
        assert listings.active().filter(origin=origin).exists(), origin
    assert listings.filter(origin=Listing.Origin.STAFF).count() >= 20
    assert listings.active().filter(origin=Listing.Origin.RULE).count() >= 3
    assert listings.filter(status=Listing.Status.EXPIRED).exists()
    lifted = listings.filter(status=Listing.Status.LIFTED)
    assert lifted.filter(contests__status=Contest.Status.UPHELD).exists()
    assert Contest.objects.filter(status=Contest.Status.REJECTED).exists()
    assert Contest.objects.filter(status=Contest.Status.PENDING).count() == 2
    assert demo["pending_contests"] == 2
    # Every listing of a web address carries its expression; an active one has no twin.
    for listing in listings.select_related("indicator"):
        assert listing.expression == listed_expression(listing.indicator)
    assert not listings.active().values("indicator").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert TrustedDomain.objects.filter(domain="google.com").exists()
    assert set(ListingRule.objects.values_list("kind", flat=True)) == {Kind.SITE, Kind.PHONE, Kind.IBAN, Kind.EMAIL}
    assert mail.outbox == []


def check_import_shows_skipped_lines(demo):
    batch = ImportBatch.objects.get(source=IMPORT_SOURCE)
    reasons = [line["raison"] for line in batch.skipped]
    assert reasons.count("illisible") == 2
    assert reasons.count("domaine de confiance") == 1
    assert reasons.count("déjà sur la liste") == 1
    assert batch.line_count == 30
    assert batch.listed_count == batch.line_count - len(batch.skipped) == demo["import_listings"]


def check_documented_site_and_page_are_listed_and_in_the_browser_list(demo):
    site = Indicator.objects.get(kind=Kind.SITE, value=DEMO_LISTED_SITE)
    site_listing = Listing.objects.active().get(indicator=site)
    assert site_listing.origin == Listing.Origin.STAFF
    assert site_listing.category == "phishing"
    assert site.report_count > 100
    page = Indicator.objects.get(kind=Kind.URL, value=classify_single(DEMO_LISTED_URL).value)
    assert Listing.objects.active().filter(indicator=page).exists()
    assert page.report_count > 100

    update = filterlist.list_update(0)
    assert update.full
    for listing in (site_listing, Listing.objects.active().get(indicator=page)):
        assert hash_prefix(expression_hash(listing.expression)).hex() in update.additions
    # The journal agrees with the listings: what was added and not removed is exactly what is listed.
    journal = {}
    for change in FilterChange.objects.order_by("pk"):
        journal[change.full_hash] = change.added
    listed = set(Listing.objects.active().exclude(full_hash="").values_list("full_hash", flat=True))
    assert {full_hash for full_hash, added in journal.items() if added} == listed


def check_indicators_have_consistent_counters(demo):
    assert 100 <= demo["reported_indicators"] <= 140
    assert demo["reports"] == Report.objects.count() > 1500
    counted = Indicator.objects.annotate(
        reports_=Count("reports"),
        sources_=Count("reports__source_key", distinct=True, filter=~Q(reports__source_key="")),
    )
    for indicator in counted:
        assert indicator.report_count == indicator.reports_, indicator
        assert indicator.source_count == indicator.sources_, indicator
        if indicator.report_count:
            assert indicator.first_reported_at <= indicator.last_reported_at
    sizes = sorted(
        Indicator.objects.filter(kind__in=[Kind.PHONE, Kind.EMAIL, Kind.IBAN, Kind.SITE]).values_list(
            "report_count", flat=True
        )
    )
    assert sizes[-1] >= 300 and sizes[len(sizes) // 2] <= 20
    # Reported over the last 90 days, never in the future.
    now = timezone.now()
    dates = Report.objects.aggregate(first=Min("reported_at"), last=Max("reported_at"))
    assert now - timedelta(days=90) <= dates["first"] < dates["last"] <= now
    assert dates["last"] - dates["first"] > timedelta(days=80)


@pytest.mark.django_db
def test_demo_filter(staff_user):
    """One test: the demonstration takes a few seconds to create."""
    demo = create_demo_filter(staff_user)
    check_filter_has_listings_of_every_origin_and_state(demo)
    check_import_shows_skipped_lines(demo)
    check_documented_site_and_page_are_listed_and_in_the_browser_list(demo)
    check_indicators_have_consistent_counters(demo)

    # Loaded once: a second call creates nothing.
    counts = {model: model.objects.count() for model in (Indicator, Report, Listing, FilterChange, Contest)}
    assert set(create_demo_filter(staff_user).values()) == {0}
    assert {model: model.objects.count() for model in counts} == counts
