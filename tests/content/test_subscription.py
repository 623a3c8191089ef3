"""Alert e-mails: double opt-in, one-click unsubscription that keeps nothing, and refusals that change nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cyberaide.content.models import AlertSubscription
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SUBSCRIBE = "content:alerts_subscribe"


def subscribe(client, email, **extra):
    return client.post(reverse(SUBSCRIBE), {"email": email}, **extra)


def link_in(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", message.body).group(1)


def test_subscription_needs_the_owner_confirmation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "Lea.Martin@Exemple.fr")
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in text_of(response)
    subscription = AlertSubscription.objects.get()
    assert subscription.email == "lea.martin@exemple.fr"
    assert subscription.confirmed_at is None
    assert mail.outbox[0].to == ["lea.martin@exemple.fr"]
    confirm_path = link_in(mail.outbox[0])

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert "Confirmer mon abonnement" in text_of(client.get(confirm_path))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = client.post(confirm_path)
    assert "Abonnement confirmé" in text_of(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_one_click_unsubscription_deletes_the_address(client):
    subscription = AlertSubscription.objects.create(email="lea@exemple.fr", confirmed_at=timezone.now())
    url = reverse("content:alerts_unsubscribe", args=[subscription.key])
    assert "Me désabonner" in text_of(client.get(url))
    assert AlertSubscription.objects.exists()
    # What a mail client sends for RFC 8058 one-click unsubscription: a POST without any CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AlertSubscription.objects.filter(email="lea@exemple.fr").exists()
    assert AlertSubscription.objects.count() == 0
    # A second click is not an error.
    assert client.post(url).status_code == 200


@pytest.mark.parametrize(
    "email, error",
    [
        ("", "Indiquez votre adresse électronique."),
        ("lea", "Cette adresse électronique n'est pas valable."),
        ("lea@", "Cette adresse électronique n'est pas valable."),
        ("lea@exemple", "Cette adresse électronique n'est pas valable."),
        ("lea@@exemple.fr", "Cette adresse électronique n'est pas valable."),
        ("<script>@exemple.fr", "Cette adresse électronique n'est pas valable."),
        ("lea@exemple.fr\nBcc: autre@exemple.fr", "Cette adresse électronique n'est pas valable."),
        ("a" * 250 + "@exemple.fr", "Cette adresse électronique est trop longue."),
    ],
)
def test_malformed_addresses_are_refused_and_nothing_is_stored(client, email, error):
    response = subscribe(client, email)
    assert response.status_code == 400
    assert error in text_of(response)
    assert AlertSubscription.objects.count() == 0
    assert mail.outbox == []


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_ALERT_SUBSCRIPTION="3/3600")
def test_repeated_subscription_attempts_are_rate_limited(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            assert subscribe(client, f"personne{number}@exemple.fr", REMOTE_ADDR="203.0.113.9").status_code == 200
        response = subscribe(client, "encore@exemple.fr", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Trop de demandes d'abonnement" in text_of(response)
    assert not AlertSubscription.objects.filter(email="encore@exemple.fr").exists()
    assert len(mail.outbox) == 3
    # Another connection is not affected.
    assert subscribe(client, "autre@exemple.fr", REMOTE_ADDR="198.51.100.4").status_code == 200


def test_the_answer_does_not_reveal_an_existing_subscription(client, django_capture_on_commit_callbacks):
    AlertSubscription.objects.create(email="lea@exemple.fr", confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, "lea@exemple.fr")
        unknown = subscribe(client, "nouveau@exemple.fr")
    assert text_of(known) == text_of(unknown).replace("nouveau@exemple.fr", "lea@exemple.fr")
    assert [message.to for message in mail.outbox] == [["nouveau@exemple.fr"]]  # the subscriber is not bothered
    assert AlertSubscription.objects.count() == 2


def test_an_expired_confirmation_link_is_refused(client):
    subscription = AlertSubscription.objects.create(email="lea@exemple.fr")
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - timedelta(days=8))
    url = reverse("content:alerts_confirm", args=[subscription.key])
    assert client.post(url).status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.get(reverse("content:alerts_confirm", args=["forged-key"])).status_code == 404


def test_unconfirmed_addresses_are_purged_after_their_retention(db):
    old = AlertSubscription.objects.create(email="oubli@exemple.fr")
    AlertSubscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = AlertSubscription.objects.create(email="recent@exemple.fr")
    kept = AlertSubscription.objects.create(email="abonne@exemple.fr", confirmed_at=timezone.now())
    AlertSubscription.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=400))
    call_command("purge_personal_data")
    assert set(AlertSubscription.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}


def test_a_pending_address_gets_one_confirmation_an_hour_whoever_asks(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
            assert subscribe(client, "cible@exemple.fr", REMOTE_ADDR=address).status_code == 200
    assert len(mail.outbox) == 1
    AlertSubscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "cible@exemple.fr")
    assert len(mail.outbox) == 2
