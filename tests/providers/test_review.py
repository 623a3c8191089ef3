"""Staff review applications in the back office; the ExpertCyber label lives only within its validity period."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cyberaide.providers import services
from cyberaide.providers.enums import ProviderStatus
from cyberaide.providers.models import Label, Provider, ProviderTransition
from tests.helpers import text_of

from .factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, verified_login):
    user = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, user)
    return user


def decide(client, provider, action, reason=""):
    return client.post(
        reverse("admin:providers_provider_decision", args=[provider.pk]), {"action": action, "reason": reason}
    )


def test_the_review_page_offers_the_decisions_of_the_current_state(client, staff):
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED)
    page = text_of(client.get(reverse("admin:providers_provider_change", args=[provider.pk])))
    assert "Demander des informations" in page and "Accepter" in page and "Refuser" in page
    assert "Suspendre" not in page


def test_accepting_records_who_when_and_notifies(client, staff, django_capture_on_commit_callbacks):
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED, referenced_since=None)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, provider, "accept")
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.ACCEPTED and provider.referenced_since
    transition = ProviderTransition.objects.get(provider=provider)
    assert (transition.by, transition.from_status, transition.to_status) == (staff, "submitted", "accepted")
    assert mail.outbox[-1].to == [provider.owner.email]
    assert "référencé" in mail.outbox[-1].subject
    assert LogEntry.objects.filter(object_id=str(provider.pk), user=staff).exists()


def test_refusing_without_a_reason_is_refused_and_nothing_changes(client, staff):
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED)
    response = decide(client, provider, "refuse", reason="  ")
    assert "motif est obligatoire" in text_of(client.get(response.url))
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.SUBMITTED
    assert not ProviderTransition.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("status, action", [("draft", "accept"), ("accepted", "accept"), ("refused", "reinstate")])
def test_illegal_transitions_are_refused(client, staff, status, action):
    provider = ProviderFactory(status=status)
    response = decide(client, provider, action, reason="motif")
    assert "impossible" in text_of(client.get(response.url))
    provider.refresh_from_db()
    assert provider.status == status


def test_a_forged_action_is_refused(client, staff):
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED)
    response = decide(client, provider, "submit")  # the provider's action, not staff's
    assert "n'existe pas" in text_of(client.get(response.url))
    assert Provider.objects.get(pk=provider.pk).status == ProviderStatus.SUBMITTED


def test_the_back_office_requires_the_second_factor(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED)
    decide(client, provider, "accept")
    assert Provider.objects.get(pk=provider.pk).status == ProviderStatus.SUBMITTED


def test_a_label_is_granted_and_disappears_when_it_expires(client, staff):
    provider = ProviderFactory(legal_name="Octet Labellisé SAS")
    today = timezone.localdate()
    client.post(
        reverse("admin:providers_provider_label", args=[provider.pk]),
        {"valid_from": today - timedelta(days=729), "valid_until": today},
    )
    assert Label.objects.get(provider=provider).granted_by == staff
    directory = text_of(client.get(reverse("providers:directory"), {"q": "Octet Labellisé"}))
    assert "Labellisé ExpertCyber" in directory
    Label.objects.filter(provider=provider).update(valid_until=today - timedelta(days=1))
    for url, params in [
        (reverse("providers:directory"), {"q": "Octet Labellisé"}),
        (reverse("providers:verify"), {"q": "Octet Labellisé"}),
        (reverse("providers:profile", args=[provider.pk]), {}),
    ]:
        page = text_of(client.get(url, params))
        assert "Octet Labellisé" in page
        assert "Labellisé ExpertCyber" not in page, url


def test_a_label_cannot_be_granted_to_a_provider_who_is_not_referenced(staff):
    provider = ProviderFactory(status=ProviderStatus.SUBMITTED)
    with pytest.raises(services.ApplicationError, match="référencé"):
        services.grant_label(provider, by=staff)
    assert not Label.objects.exists()


def test_revoking_a_label_requires_a_reason(client, staff):
    provider = ProviderFactory()
    services.grant_label(provider, by=staff)
    client.post(reverse("admin:providers_provider_revoke_label", args=[provider.pk]), {"reason": ""})
    assert provider.current_label() is not None
    client.post(reverse("admin:providers_provider_revoke_label", args=[provider.pk]), {"reason": "Audit échoué"})
    assert provider.current_label() is None
