"""The provider's space: what a referenced provider sees, and what others may not."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from tests.helpers import text_of

from .factories import ProviderFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status, allowed", [("accepted", True), ("submitted", False), ("suspended", False)])
def test_the_documentation_space_is_for_referenced_providers_only(client, verified_login, status, allowed):
    provider = ProviderFactory(status=status)
    verified_login(client, provider.owner)
    index = client.get(reverse("providers:documentation"))
    page = client.get(reverse("providers:documentation_page", args=["premiers-gestes-rancongiciel"]))
    assert (index.status_code, page.status_code) == ((200, 200) if allowed else (404, 404))
    if allowed:
        assert "rançongiciel" in text_of(page).lower()


def test_the_documentation_space_is_closed_to_the_public(client):
    response = client.get(reverse("providers:documentation"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_signing_in_asks_for_the_code_and_refuses_a_wrong_one(client):
    user = UserFactory(username="camille@octet.example")
    device = TOTPDeviceFactory(user=user)
    data = {"email": "Camille@Octet.example", "password": "motdepasse-solide-2026"}
    response = client.post(reverse("accounts:login"), {**data, "code": ""})
    assert response.status_code == 400 and "Indiquez le code" in text_of(response)
    response = client.post(reverse("accounts:login"), {**data, "code": "000000"})
    assert response.status_code == 400 and "pas valable" in text_of(response)
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    response = client.post(reverse("accounts:login"), {**data, "code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(reverse("providers:space")).status_code == 200


def test_a_wrong_password_says_so_without_telling_which_part_was_wrong(client):
    UserFactory(username="camille@octet.example")
    response = client.post(
        reverse("accounts:login"), {"email": "camille@octet.example", "password": "faux", "code": "123456"}
    )
    assert response.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect" in text_of(response)


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3/600")
def test_sign_in_attempts_are_rate_limited(client):
    cache.clear()
    UserFactory(username="camille@octet.example")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"email": "camille@octet.example", "password": "faux"})
    response = client.post(reverse("accounts:login"), {"email": "camille@octet.example", "password": "faux"})
    assert response.status_code == 429
    assert "Trop de tentatives" in text_of(response)


def test_an_unsafe_next_address_is_ignored(client):
    user = UserFactory(username="camille@octet.example")
    device = TOTPDeviceFactory(user=user)
    response = client.post(
        reverse("accounts:login") + "?next=https://pirate.example/",
        {
            "email": "camille@octet.example",
            "password": "motdepasse-solide-2026",
            "code": f"{totp(device.bin_key):06d}",
        },
    )
    assert response.url == reverse("accounts:home")


def details(**overrides):
    return {
        "phone": "04 72 11 22 33",
        "public_email": "contact@octet.example",
        "website": "https://octet.example",
        "description": "Nouvelle présentation.",
        "price_statement": "Diagnostic : 70 € HT.",
        "departements": ["69", "42"],
        "radius_km": "20",
        "remote": "on",
        **overrides,
    }


def test_a_referenced_provider_updates_its_practical_details(client, verified_login):
    provider = ProviderFactory(legal_name="Octet SARL")
    verified_login(client, provider.owner)
    response = client.post(reverse("providers:practical_details"), details(legal_name="Autre nom", siret="1"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.description, provider.remote, provider.radius_km) == ("Nouvelle présentation.", True, 20)
    assert provider.departements == ["42", "69"]
    assert provider.legal_name == "Octet SARL"  # reviewed information is not changed here
    assert "Nouvelle présentation." in text_of(client.get(reverse("providers:profile", args=[provider.pk])))


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"description": "<script>alert(1)</script>"}, "balises"),
        ({"departements": [], "radius_km": "0", "remote": ""}, "au moins un département"),
        ({"departements": ["999"]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_practical_details_are_refused_and_nothing_changes(client, verified_login, overrides, message):
    provider = ProviderFactory(description="Avant.")
    verified_login(client, provider.owner)
    response = client.post(reverse("providers:practical_details"), details(**overrides))
    assert response.status_code == 400
    assert message in text_of(response)
    provider.refresh_from_db()
    assert provider.description == "Avant." and provider.departements == ["69"]


def test_only_a_referenced_provider_has_this_page(client, verified_login):
    provider = ProviderFactory(status="submitted")
    verified_login(client, provider.owner)
    assert client.get(reverse("providers:practical_details")).status_code == 404


@pytest.mark.parametrize("status, code", [("accepted", 200), ("suspended", 200), ("submitted", 404)])
def test_the_ratings_page_follows_the_link_shown_in_the_space(client, verified_login, status, code):
    provider = ProviderFactory(status=status)
    verified_login(client, provider.owner)
    assert client.get(reverse("providers:ratings")).status_code == code
