"""The directory and "Vérifier un prestataire" say plainly who is referenced, labelled, or not."""

import pytest
from django.urls import reverse

from cyberaide.providers.enums import ProviderStatus
from tests.helpers import text_of

from .factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status, shown",
    [
        ("accepted", "Référencé"),
        ("refused", "Non référencé"),
        ("suspended", "Non référencé"),
        ("delisted", "Non référencé"),
        ("submitted", "Non référencé"),
    ],
)
def test_verify_tells_the_status(client, status, shown):
    ProviderFactory(legal_name="Pixel Dépannage EURL", status=status)
    page = text_of(client.get(reverse("providers:verify"), {"q": "pixel dépannage"}))
    assert "Pixel Dépannage EURL" in page
    assert shown in page
    if shown == "Non référencé":
        assert ">Référencé<" not in page


def test_verify_by_siret_and_by_town(client):
    provider = ProviderFactory(legal_name="Réseaux du Rhône SAS")
    assert "Réseaux du Rhône" in text_of(client.get(reverse("providers:verify"), {"q": provider.siret}))
    assert "Réseaux du Rhône" in text_of(client.get(reverse("providers:verify"), {"q": provider.siret[:9]}))
    assert "Réseaux du Rhône" in text_of(client.get(reverse("providers:verify"), {"q": "Lyon"}))


def test_verify_an_unknown_name_says_not_referenced(client):
    page = text_of(client.get(reverse("providers:verify"), {"q": "Arnaque Informatique"}))
    assert "Non référencé" in page


def test_verify_needs_three_characters(client):
    response = client.get(reverse("providers:verify"), {"q": "a"})
    assert response.status_code == 400
    assert "au moins 3 caractères" in text_of(response)


def test_a_draft_is_never_shown_anywhere(client):
    ProviderFactory(legal_name="Brouillon Secret", draft=True)
    assert "Brouillon Secret" not in text_of(client.get(reverse("providers:verify"), {"q": "Brouillon"}))
    assert "Brouillon Secret" not in text_of(client.get(reverse("providers:directory"), {"q": "Brouillon"}))


def test_the_directory_lists_only_referenced_providers_and_filters_by_departement(client):
    ProviderFactory(legal_name="Lyon Info SARL")
    ProviderFactory(legal_name="Paris Info SARL", postcode_="75011", areas=["75"])
    ProviderFactory(legal_name="Suspendu SARL", status=ProviderStatus.SUSPENDED)
    page = text_of(client.get(reverse("providers:directory"), {"departement": "69"}))
    assert "Lyon Info" in page and "Paris Info" not in page and "Suspendu" not in page


def test_the_profile_of_a_provider_who_is_not_referenced_is_not_found(client):
    provider = ProviderFactory(status=ProviderStatus.REFUSED)
    assert client.get(reverse("providers:profile", args=[provider.pk])).status_code == 404
