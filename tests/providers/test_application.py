"""A provider applies: account with two factors, a multi-step application saved as it goes, the charter, submit."""

import pytest
from django.core import mail
from django.urls import reverse

from cyberaide.providers import services
from cyberaide.providers.enums import ProviderStatus
from cyberaide.providers.models import CharterAcceptance, Provider, ProviderTransition
from tests.helpers import text_of

from .factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"  # a well-known valid SIRET format (Luhn), used in documentation examples


@pytest.fixture
def applicant(client, verified_login):
    user = UserFactory()
    verified_login(client, user)
    return user


def fill_application(client):
    steps = {
        "identite": {"legal_name": "Octet Sûr SARL", "siret": "732 829 320 00074", "phone": "04 72 00 00 00"},
        "adresse": {"street": "5 place Bellecour", "postcode": "69002", "commune": "Lyon"},
        "activite": {
            "description": "Dépannage et sécurité informatique à Lyon.",
            "clientele": ["particuliers", "professionnels"],
            "expertise": ["postes_serveurs", "comptes_messageries"],
            "price_statement": "Diagnostic : 60 € HT.",
        },
        "zone": {"departements": ["69", "01"], "radius_km": "40"},
        "charte": {"accept": "on"},
    }
    for step, data in steps.items():
        response = client.post(reverse("providers:application_step", args=[step]), data)
        assert response.status_code == 302, (step, text_of(response)[:2000])


def test_an_application_is_saved_step_by_step_then_submitted(
    client, applicant, charter, django_capture_on_commit_callbacks
):
    fill_application(client)
    provider = Provider.objects.get(owner=applicant)
    assert provider.siret == VALID_SIRET
    assert (provider.commune_name, provider.departement) == ("Lyon", "69")
    assert provider.lat and provider.lon
    assert provider.departements == ["01", "69"]
    assert CharterAcceptance.objects.get(provider=provider).charter == charter
    assert services.missing_steps(provider) == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("providers:submit"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.SUBMITTED
    assert mail.outbox[-1].to == [applicant.email]
    assert "bien reçu" in mail.outbox[-1].body


def test_an_incomplete_application_cannot_be_submitted(client, applicant, charter):
    client.post(
        reverse("providers:application_step", args=["identite"]), {"legal_name": "Octet Sûr", "siret": VALID_SIRET}
    )
    response = client.post(reverse("providers:submit"), follow=True)
    assert "incomplète" in text_of(response)
    assert Provider.objects.get(owner=applicant).status == ProviderStatus.DRAFT


@pytest.mark.parametrize(
    "siret, message",
    [("1234", "14 chiffres"), ("73282932000075", "pas valide"), ("7328293200007A", "14 chiffres")],
)
def test_an_invalid_siret_is_refused_and_nothing_is_saved(client, applicant, siret, message):
    response = client.post(
        reverse("providers:application_step", args=["identite"]), {"legal_name": "Octet Sûr", "siret": siret}
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Provider.objects.exists()


def test_a_siret_already_used_is_refused(client, applicant):
    ProviderFactory(siret=VALID_SIRET)
    response = client.post(
        reverse("providers:application_step", args=["identite"]), {"legal_name": "Copie", "siret": VALID_SIRET}
    )
    assert response.status_code == 400
    assert "déjà référencé" in text_of(response)
    assert not Provider.objects.filter(owner=applicant).exists()


def test_an_unknown_postcode_is_refused(client, applicant):
    ProviderFactory(owner=applicant, draft=True)
    response = client.post(
        reverse("providers:application_step", args=["adresse"]), {"street": "1 rue X", "postcode": "00000"}
    )
    assert response.status_code == 400
    assert "code postal n'existe pas" in text_of(response)
    assert Provider.objects.get(owner=applicant).postcode == "69003"


def test_a_postcode_shared_by_several_communes_asks_which_one(client, applicant):
    ProviderFactory(owner=applicant, draft=True)
    response = client.post(
        reverse("providers:application_step", args=["adresse"]), {"street": "1 rue X", "postcode": "01000"}
    )
    assert response.status_code == 400
    assert "Bourg-en-Bresse" in text_of(response)


def test_markup_in_a_text_field_is_refused(client, applicant):
    response = client.post(
        reverse("providers:application_step", args=["identite"]),
        {"legal_name": "<script>alert(1)</script>", "siret": VALID_SIRET},
    )
    assert response.status_code == 400
    assert "balises" in text_of(response)
    assert not Provider.objects.exists()


def test_a_submitted_application_cannot_be_edited(client, applicant):
    provider = ProviderFactory(owner=applicant, status=ProviderStatus.SUBMITTED, legal_name="Avant")
    response = client.post(
        reverse("providers:application_step", args=["identite"]), {"legal_name": "Après", "siret": provider.siret}
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.legal_name == "Avant"
    with pytest.raises(services.ApplicationError, match="ne peut plus être modifiée"):
        services.update_application(provider, legal_name="Après")


def test_the_application_requires_both_factors(client):
    user = UserFactory()
    client.force_login(user)  # password only
    response = client.get(reverse("providers:application_step", args=["identite"]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:totp_setup")


def test_a_request_for_information_then_resubmission_keeps_the_history(
    client, applicant, charter, django_capture_on_commit_callbacks
):
    fill_application(client)
    client.post(reverse("providers:submit"))
    provider = Provider.objects.get(owner=applicant)
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(provider, "request_info", by=staff, reason="Précisez vos tarifs sur site.")
    assert "Précisez vos tarifs" in mail.outbox[-1].body

    response = client.get(reverse("providers:space"))
    assert "Précisez vos tarifs" in text_of(response)
    client.post(
        reverse("providers:application_step", args=["activite"]),
        {
            "description": "Dépannage et sécurité informatique à Lyon.",
            "clientele": ["particuliers"],
            "expertise": ["postes_serveurs"],
            "price_statement": "Diagnostic 60 € HT ; intervention sur site 80 € HT de l'heure.",
        },
    )
    client.post(reverse("providers:submit"))
    history = list(ProviderTransition.objects.filter(provider=provider).values_list("from_status", "to_status"))
    assert history == [("draft", "submitted"), ("submitted", "info_requested"), ("info_requested", "submitted")]


def test_signup_creates_an_account_then_asks_for_the_second_factor(client):
    response = client.post(
        reverse("providers:signup"),
        {
            "name": "Camille Martin",
            "email": "Camille@Octet.example",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:totp_setup")
    page = client.get(reverse("accounts:totp_setup"))
    assert "<svg" in text_of(page)
    assert client.get(reverse("providers:space")).url == reverse("accounts:totp_setup")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"password1": "court", "password2": "court"}, "trop court"),
        ({"password1": "une-phrase-de-passe-longue", "password2": "autre-chose-longue"}, "pas identiques"),
    ],
)
def test_signup_refuses_weak_or_mismatched_passwords(client, data, message):
    response = client.post(reverse("providers:signup"), {"name": "C M", "email": "c@exemple.fr", **data})
    assert response.status_code == 400
    assert message in text_of(response)
