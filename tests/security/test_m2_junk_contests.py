"""M2 of the security review: five junk contests from five e-mail addresses blocked the real owner of a listed
address from contesting it. Contests are no longer capped per listing; the owner always gets through, and the
staff who decide are not flooded (one e-mail per listing under examination)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cyberaide.antiscam import services
from cyberaide.antiscam.models import Category, Contest, Kind, Listing

pytestmark = pytest.mark.django_db

LISTED = "noreply@colissimo-notification.com"


@pytest.fixture
def listing(taxonomy):
    staff = get_user_model().objects.create_user("moderatrice", "moderatrice@cyberaide.example", "x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="decide_contest"))
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.EMAIL, LISTED, LISTED))
    return services.list_indicator(
        indicator=indicator,
        category=Category.PHISHING,
        reason="Adresse d'envoi de faux avis de passage.",
        expires_at=timezone.now() + timezone.timedelta(days=90),
        origin=Listing.Origin.STAFF,
        by=staff,
    )


def contest(client, number, email, remote):
    return client.post(
        reverse("antiscam:contest"),
        {
            "adresse": LISTED,
            "nom": f"Personne {number}",
            "email": email,
            "explication": "Merci de retirer cette adresse.",
            "proprietaire": "on",
        },
        REMOTE_ADDR=remote,
    )


def test_m2_junk_contests_no_longer_shut_the_owner_out(listing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(7):
            response = contest(Client(), number, f"griefer{number}@example.org", f"203.0.{113 + number}.7")
            assert response.status_code == 200
        owner = contest(Client(), "owner", "juridique@colissimo.example", "198.51.100.20")
    assert owner.status_code == 200 and "Contestation envoyée" in owner.content.decode()
    assert Contest.objects.filter(email="juridique@colissimo.example", status=Contest.Status.PENDING).exists()
    assert Contest.objects.filter(status=Contest.Status.PENDING).count() == 8
    to_staff = [message for message in mail.outbox if message.to == ["moderatrice@cyberaide.example"]]
    assert len(to_staff) == 1  # one e-mail for the listing under examination, not one per junk contest
