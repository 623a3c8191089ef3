"""A victim sends a request, the provider answers, reports; the victim rates; staff moderate. And who may see what."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cyberaide.assistance import services
from cyberaide.assistance.models import AssistanceRequest, InterventionReport, Rating, RequestEvent
from cyberaide.providers.models import Provider
from tests.helpers import text_of
from tests.providers.factories import ProviderFactory, UserFactory

from .helpers import make_request

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Claire Dubois",
    "contact_email": "claire@exemple.fr",
    "contact_phone": "06 12 34 56 78",
    "message": "Nos postes affichent une demande de rançon.",
    "consent": "on",
}


@pytest.fixture
def provider():
    return ProviderFactory(legal_name="Octet Lyon SARL")


@pytest.fixture
def result(make_result):
    return make_result()


def send_request(client, result, provider, **overrides):
    url = reverse("assistance:new_request", args=[result.token, provider.pk])
    return client.post(url + "?lieu=69003", {**CONTACT, "lieu": "69003", **overrides})


def follow_up_token(response) -> str:
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_request_is_sent_with_consent_and_both_sides_are_told(
    client, result, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_request(client, result, provider)
    assert response.status_code == 302
    request = AssistanceRequest.objects.get()
    assert (request.status, request.provider, request.incident.code) == ("new", provider, "ransomware")
    assert request.consent_at and request.respond_by > timezone.now() + timedelta(hours=47)
    token = follow_up_token(response)
    assert token not in request.follow_up_token_hash  # only its hash is stored
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(["claire@exemple.fr", provider.owner.email])
    victim_mail = next(m for m in mail.outbox if m.to == ["claire@exemple.fr"])
    assert f"/suivi/{token}/" in victim_mail.body
    page = text_of(client.get(response.url))
    assert request.reference in page and "Nouvelle" in page


def test_without_consent_nothing_is_sent(client, result, provider):
    response = send_request(client, result, provider, consent="")
    assert response.status_code == 400
    assert "Cochez la case" in text_of(response)
    assert not AssistanceRequest.objects.exists()


def test_markup_in_the_message_is_refused(client, result, provider):
    response = send_request(client, result, provider, message="<img src=x onerror=alert(1)>")
    assert response.status_code == 400
    assert not AssistanceRequest.objects.exists()


def test_a_provider_that_does_not_fit_cannot_be_chosen(client, make_result, provider):
    result = make_result(incident="phone_scam", audience="particulier")  # no IT skill helps here
    other = ProviderFactory(clientele_mask=0b010)  # professionals only
    locked_out = make_result(
        audience="particulier", incident="account_hacking", situation={"s_recovered": "locked_out"}
    )
    response = send_request(client, locked_out, other)
    assert response.status_code == 400
    assert "ne peut pas recevoir cette demande" in text_of(response)
    assert send_request(client, result, provider).status_code == 404  # no provider is offered for a phone scam
    assert not AssistanceRequest.objects.exists()


def test_a_provider_who_is_not_referenced_cannot_be_chosen(client, result):
    suspended = ProviderFactory(status="suspended")
    assert send_request(client, result, suspended).status_code == 404
    assert not AssistanceRequest.objects.exists()


def provider_client(client, verified_login, provider):
    return verified_login(client, provider.owner)


def test_the_provider_accepts_works_and_closes_with_a_report(client, verified_login, result, provider):
    request, token = make_request(result, provider)
    provider_client(client, verified_login, provider)
    action = reverse("assistance:provider_request_action", args=[request.reference])
    client.post(action, {"action": "accept"})
    client.post(action, {"action": "start"})
    response = client.post(
        reverse("assistance:provider_request_report", args=[request.reference]),
        {"incident_confirmed": "0", "incident": "", "actions": "Restauration", "outcome": "resolved"},
    )
    assert response.status_code == 400
    assert "de quel incident il s'agissait" in text_of(response)
    client.post(
        reverse("assistance:provider_request_report", args=[request.reference]),
        {
            "incident_confirmed": "0",
            "incident": result.incident.pk,
            "actions": "Restauration depuis la sauvegarde",
            "outcome": "resolved",
            "sector": "commerce",
        },
    )
    request.refresh_from_db()
    assert request.status == "closed"
    assert InterventionReport.objects.get(request=request).outcome == "resolved"
    actions = list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))
    assert actions == ["create", "accept", "start", "close"]


def test_declining_requires_a_reason_and_lets_the_victim_choose_another(client, verified_login, result, provider):
    request, token = make_request(result, provider)
    provider_client(client, verified_login, provider)
    action = reverse("assistance:provider_request_action", args=[request.reference])
    client.post(action, {"action": "decline", "reason": ""})
    assert AssistanceRequest.objects.get(pk=request.pk).status == "new"
    client.post(action, {"action": "decline", "reason": "Nous ne nous déplaçons pas à Lyon 3e."})
    assert AssistanceRequest.objects.get(pk=request.pk).status == "declined"

    client.logout()
    page = text_of(client.get(reverse("assistance:follow_up", args=[token])))
    assert "Nous ne nous déplaçons pas" in page and "Choisir un autre prestataire" in page
    response = client.post(reverse("assistance:choose_another", args=[token]))
    matches = text_of(client.get(response.url))
    assert "Octet Lyon SARL" not in matches  # the one who declined is not offered again
    second = ProviderFactory(legal_name="Deuxième SARL")
    send_request(client, result, second)
    assert AssistanceRequest.objects.get(provider=second).replaces_id == request.pk


@pytest.mark.parametrize("action", ["accept", "close", "rate", "expire", "delete"])
def test_actions_out_of_order_or_forged_are_refused(client, verified_login, result, provider, action):
    request, _ = make_request(result, provider)
    provider_client(client, verified_login, provider)
    if action == "accept":
        services.provider_action(request, "accept", provider=provider, by=provider.owner)
    response = client.post(
        reverse("assistance:provider_request_action", args=[request.reference]), {"action": action}, follow=True
    )
    assert any(word in text_of(response) for word in ("impossible", "n'existe pas", "Vous ne pouvez pas"))
    assert AssistanceRequest.objects.get(pk=request.pk).status == ("accepted" if action == "accept" else "new")


def test_a_provider_never_sees_or_changes_another_providers_request(client, verified_login, result, provider):
    request, _ = make_request(result, provider)
    intruder = ProviderFactory()
    verified_login(client, intruder.owner)
    assert client.get(reverse("assistance:provider_request", args=[request.reference])).status_code == 404
    response = client.post(
        reverse("assistance:provider_request_action", args=[request.reference]), {"action": "accept"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("assistance:provider_request_report", args=[request.reference]),
        {"incident_confirmed": "1", "actions": "x", "outcome": "resolved"},
    )
    assert response.status_code == 404
    assert request.reference not in text_of(client.get(reverse("providers:requests_fragment")))
    assert AssistanceRequest.objects.get(pk=request.pk).status == "new"
    with pytest.raises(services.AssistanceError, match="pas la vôtre"):
        services.provider_action(request, "accept", provider=intruder, by=intruder.owner)


def test_the_provider_space_requires_both_factors(client, result, provider):
    request, _ = make_request(result, provider)
    client.force_login(provider.owner)  # password only
    response = client.get(reverse("assistance:provider_request", args=[request.reference]))
    assert response.status_code == 302


def test_a_guessed_follow_up_link_finds_nothing(client, result, provider):
    make_request(result, provider)
    assert client.get(reverse("assistance:follow_up", args=["devine-" + "x" * 36])).status_code == 404
    assert client.post(reverse("assistance:rate", args=["devine"]), {"score": "5"}).status_code == 404


def close(request, provider):
    for action in ("accept", "start"):
        services.provider_action(request, action, provider=provider, by=provider.owner)
    services.close_with_report(
        request,
        provider=provider,
        by=provider.owner,
        incident_confirmed=True,
        incident=None,
        actions="Nettoyage",
        outcome="resolved",
    )


def test_rating_then_moderation_then_the_rating_shows(client, verified_login, result, provider):
    request, token = make_request(result, provider)
    response = client.post(reverse("assistance:rate", args=[token]), {"score": "5"})
    assert response.status_code == 400
    assert "quand le prestataire l'aura clôturée" in text_of(response)
    assert not Rating.objects.exists()

    close(request, provider)
    client.post(reverse("assistance:rate", args=[token]), {"score": "4", "comment": "Efficace et clair."})
    rating = Rating.objects.get()
    assert rating.status == "pending"
    profile = reverse("providers:profile", args=[provider.pk])
    assert "Efficace et clair" not in text_of(client.get(profile))

    again = client.post(reverse("assistance:rate", args=[token]), {"score": "1"})
    assert again.status_code == 400
    assert "déjà donné votre avis" in text_of(again)
    assert Rating.objects.get().score == 4

    staff = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, staff)
    client.post(reverse("admin:assistance_rating_moderate", args=[rating.pk]), {"decision": "publish"})
    client.logout()
    assert "Efficace et clair" in text_of(client.get(profile))
    provider = Provider.objects.get(pk=provider.pk)
    assert (provider.rating_sum, provider.rating_count) == (4, 1)


def test_rejecting_a_rating_needs_a_reason_and_keeps_it_hidden(client, verified_login, result, provider):
    request, token = make_request(result, provider)
    close(request, provider)
    rating = services.rate(request, score=1, comment="Nul, contactez plutôt 06 00 00 00 00")
    staff = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, staff)
    client.post(reverse("admin:assistance_rating_moderate", args=[rating.pk]), {"decision": "reject"})
    assert Rating.objects.get().status == "pending"
    client.post(
        reverse("admin:assistance_rating_moderate", args=[rating.pk]),
        {"decision": "reject", "reason": "Coordonnées personnelles"},
    )
    assert Rating.objects.get().status == "rejected"
    assert Provider.objects.get(pk=provider.pk).rating_count == 0


@pytest.mark.parametrize("score", ["0", "6", "cinq", ""])
def test_an_out_of_range_score_is_refused(client, result, provider, score):
    request, token = make_request(result, provider)
    close(request, provider)
    response = client.post(reverse("assistance:rate", args=[token]), {"score": score})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_an_unanswered_request_expires_and_the_victim_may_choose_another(
    client, result, provider, django_capture_on_commit_callbacks
):
    request, token = make_request(result, provider)
    AssistanceRequest.objects.filter(pk=request.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue() == 1
    assert AssistanceRequest.objects.get(pk=request.pk).status == "expired"
    assert {m.to[0] for m in mail.outbox} == {"claire@exemple.fr", provider.owner.email}
    page = text_of(client.get(reverse("assistance:follow_up", args=[token])))
    assert "n'a pas répondu à temps" in page and "Choisir un autre prestataire" in page
    assert services.expire_overdue() == 0


def test_a_late_answer_expires_the_request_instead(result, provider):
    request, _ = make_request(result, provider)
    AssistanceRequest.objects.filter(pk=request.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.AssistanceError, match="délai de réponse est dépassé"):
        services.provider_action(request, "accept", provider=provider, by=provider.owner)
    assert AssistanceRequest.objects.get(pk=request.pk).status == "expired"


def test_contact_details_are_erased_after_the_retention_period(result, provider, settings):
    request, _ = make_request(result, provider)
    close(request, provider)
    AssistanceRequest.objects.filter(pk=request.pk).update(ended_at=timezone.now() - timedelta(days=400))
    assert services.erase_old_contacts() == 1
    request.refresh_from_db()
    assert (request.contact_name, request.contact_email, request.message) == ("", "", "")
    assert request.incident.code == "ransomware"  # what the observatory needs stays


@pytest.mark.django_db
def test_sending_requests_is_rate_limited(client, result, provider, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_ENABLED, settings.RATELIMIT_ASSISTANCE_REQUEST = True, "2/3600"
    others = [ProviderFactory() for _ in range(3)]
    for other in others[:2]:
        assert send_request(client, result, other).status_code == 302
    response = send_request(client, result, others[2])
    assert response.status_code == 400
    assert "Trop de demandes" in text_of(response)
    assert AssistanceRequest.objects.count() == 2


def test_a_follow_up_link_reused_after_the_end_changes_nothing(client, result, provider):
    request, token = make_request(result, provider)
    close(request, provider)
    services.rate(request, score=4)
    response = client.post(reverse("assistance:choose_another", args=[token]), follow=True)
    assert "Cette demande est terminée" in text_of(response)
    assert "Choisir un autre prestataire" not in text_of(response)
    again = client.post(reverse("assistance:rate", args=[token]), {"score": "5"})
    assert again.status_code == 400
    assert Rating.objects.get().score == 4
    assert AssistanceRequest.objects.get(pk=request.pk).status == "rated"
    page = text_of(client.get(reverse("assistance:follow_up", args=[token])))
    assert "claire@exemple.fr" not in page  # the victim's own details are never echoed on the link's page
