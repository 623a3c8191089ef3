"""H1 of the security review: one actor controlling a few networks had any site, IBAN, phone number or e-mail
address listed as a scam by the automatic rules, in seconds, with no staff review. Victims' reports now only
propose: the indicator goes to the top of the staff queue with its evidence, and nothing is listed or sent to the
browsers. Only a rule staff restricted to look-alikes of a protected brand lists by itself."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cyberaide.antiscam.models import Category, FilterChange, Indicator, Kind, Listing, ListingRule
from cyberaide.diagnostic.services import create_result

pytestmark = pytest.mark.django_db

INNOCENT_SITE = "https://www.boulangerie-honnete-exemple.fr/"
INNOCENT_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def review_rules(graph_version):
    """The demonstration's rules as the review found them, the site rule restricted to look-alikes."""
    for kind, sources, window, lookalikes in (
        (Kind.SITE, 10, 7, True),
        (Kind.PHONE, 15, 14, False),
        (Kind.IBAN, 5, 30, False),
        (Kind.EMAIL, 10, 14, False),
    ):
        ListingRule.objects.create(
            name=f"{kind} {sources}",
            kind=kind,
            min_sources=sources,
            window_days=window,
            category=Category.PHISHING,
            reason="Signalé par de nombreuses victimes.",
            duration_days=90,
            lists_lookalikes=lookalikes,
        )


def attack(elements, networks=10):
    """The review's reproduction: from 10 networks, a free diagnostic result each, then the report form."""
    for i in range(1, networks + 1):
        result = create_result(audience="particulier", incident_code="ransomware")
        response = Client().post(
            reverse("antiscam:report_confirm", args=[result.token]),
            {"element": elements},
            REMOTE_ADDR=f"127.0.{100 + i}.1",
        )
        assert response.status_code == 302


def test_h1_reports_from_many_networks_list_nothing_and_reach_the_staff_queue(review_rules, verified_login):
    attack([INNOCENT_SITE, INNOCENT_IBAN])

    assert not Listing.objects.exists() and not FilterChange.objects.exists()  # nothing listed, nothing to browsers
    for text in (INNOCENT_SITE, INNOCENT_IBAN):
        verdict = Client().post(reverse("antiscam:checker"), {"texte": text}).content.decode()
        assert "cy-verdict--listed" not in verdict and "cy-verdict--suspect" in verdict  # reported, not listed
    site = Indicator.objects.get(kind=Kind.SITE)
    iban = Indicator.objects.get(kind=Kind.IBAN)
    assert site.source_count == 10 and site.proposed_at is not None  # met the rule: proposed, not listed
    assert iban.proposed_at is not None

    staff = get_user_model().objects.create_user("moderatrice", password="x", is_staff=True, is_superuser=True)
    client = Client()
    verified_login(client, staff)
    queue = client.get(reverse("admin:antiscam_indicator_changelist")).content.decode()
    first_rows = queue[queue.index("result_list") :][:6000]
    assert "boulangerie-honnete-exemple.fr" in first_rows and "À examiner depuis le" in first_rows
    evidence = client.get(reverse("admin:antiscam_indicator_change", args=[site.pk])).content.decode().lower()
    assert "signalements par jour (sources indépendantes)" in evidence and "sosie d&#x27;une marque" in evidence
    assert "indicateurs voisins signalés" in evidence


def test_h1_staff_set_a_proposal_aside_and_only_new_sources_bring_it_back(review_rules):
    from cyberaide.antiscam import services

    attack([INNOCENT_IBAN], networks=5)
    iban = Indicator.objects.get(kind=Kind.IBAN)
    services.set_aside(iban)
    iban.refresh_from_db()
    assert iban.proposed_at is None and iban.reviewed_at is not None
    attack([INNOCENT_IBAN], networks=4)  # the same day: not enough new sources since staff looked
    iban.refresh_from_db()
    assert iban.proposed_at is None


def test_h1_a_look_alike_of_a_protected_brand_is_still_listed_by_the_rule_staff_restricted(review_rules):
    attack(["https://suivi-chronopost-frais.info/colis"])
    listing = Listing.objects.get()
    assert listing.origin == Listing.Origin.RULE and listing.indicator.value == "suivi-chronopost-frais.info"


def test_h1_a_rule_cannot_list_numbers_addresses_or_ibans_by_itself(taxonomy):
    from django.core.exceptions import ValidationError

    rule = ListingRule(name="r", kind=Kind.IBAN, min_sources=5, window_days=7, reason="r", lists_lookalikes=True)
    with pytest.raises(ValidationError, match="sosies"):
        rule.full_clean()
