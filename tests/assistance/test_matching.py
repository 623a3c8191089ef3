"""Matching against the database: the right clientele, skills and area; honest widening; journey 3 labels only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cyberaide.assistance.models import AssistanceRequest
from cyberaide.core import communes
from cyberaide.core.expertise import Expertise
from cyberaide.providers.enums import Clientele
from cyberaide.providers.models import Label, mask_of
from cyberaide.providers.selectors import Place, find_matches
from tests.helpers import text_of
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def place(postcode):
    commune = communes.communes_for_postcode(postcode)[0]
    return Place(commune.name, postcode, commune.departement, commune.lat, commune.lon)


def names(found):
    return [provider.legal_name for provider, _ in found.entries]


def test_only_providers_with_the_right_clientele_skills_and_area_are_eligible():
    ProviderFactory(legal_name="Bon")
    ProviderFactory(legal_name="Particuliers seulement", clientele_mask=mask_of([Clientele.PARTICULIERS], Clientele))
    ProviderFactory(legal_name="Sites web seulement", expertise_mask=mask_of([Expertise.WEBSITES], Expertise))
    ProviderFactory(legal_name="Marseille", postcode_="13001", areas=["13"], radius_km=20)
    ProviderFactory(legal_name="Suspendu", status="suspended")
    found = find_matches(audience="entreprise", expertise=("postes_serveurs",), place=place("69003"), seed="s")
    assert found.eligible_count == 1
    assert names(found)[0] == "Bon"
    assert "Suspendu" not in names(found) and "Particuliers seulement" not in names(found)
    assert found.widened  # fewer than 5: the nearest others are added, marked as outside their area
    outside = [p.legal_name for p, m in found.entries if m.outside_area]
    assert outside == ["Marseille"]


def test_a_radius_or_remote_assistance_makes_a_provider_eligible_outside_its_departements():
    ProviderFactory(legal_name="Villeurbanne rayon", postcode_="69100", areas=[], radius_km=10)
    ProviderFactory(legal_name="Lille à distance", postcode_="59000", areas=["59"], radius_km=0, remote=True)
    ProviderFactory(legal_name="Lille sur place", postcode_="59000", areas=["59"], radius_km=0)
    found = find_matches(audience="particulier", expertise=("comptes_messageries",), place=place("69003"), seed="s")
    entries = {p.legal_name: m for p, m in found.entries}
    assert entries["Villeurbanne rayon"].covers_area
    assert entries["Lille à distance"].remote_only
    assert entries["Lille sur place"].outside_area
    assert names(found) == ["Villeurbanne rayon", "Lille à distance", "Lille sur place"]


def test_nearest_first_and_at_least_five_shown():
    for index, postcode in enumerate(["69001", "69002", "69003", "69004", "69005", "69006", "38000"]):
        ProviderFactory(legal_name=f"P{index}", postcode_=postcode, areas=["69", "38"])
    found = find_matches(audience="particulier", expertise=("postes_serveurs",), place=place("69003"), seed="s")
    assert len(found.entries) == 7 and not found.widened
    assert names(found)[-1] == "P6"  # Grenoble, 90 km away


def test_labelled_only_for_journey_three_and_expired_labels_do_not_count():
    today = timezone.localdate()
    labelled = ProviderFactory(legal_name="Labellisé")
    expired = ProviderFactory(legal_name="Label expiré")
    ProviderFactory(legal_name="Sans label")
    Label.objects.create(provider=labelled, valid_from=today, valid_until=today + timedelta(days=730))
    Label.objects.create(
        provider=expired, valid_from=today - timedelta(days=800), valid_until=today - timedelta(days=70)
    )
    found = find_matches(
        audience="collectivite", expertise=("reseaux_telephonie",), place=place("69003"), seed="s", labelled_only=True
    )
    assert names(found) == ["Labellisé"]
    assert found.entries[0][0].labelled


def test_the_result_page_leads_to_the_match_list(client, make_result):
    ProviderFactory(legal_name="Octet Lyon SARL")
    result = make_result()
    page = text_of(client.get(reverse("diagnostic:result", args=[result.token])))
    assert "Voir les prestataires proches" in page
    response = client.get(reverse("assistance:matches", args=[result.token]), {"lieu": "69003 Lyon"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Octet Lyon SARL" in page and "Référencé" in page and "km" in page


def test_an_unknown_place_gets_a_clear_error(client, make_result):
    result = make_result()
    response = client.get(reverse("assistance:matches", args=[result.token]), {"lieu": "Atlantide"})
    assert response.status_code == 400
    assert "Nous ne trouvons pas ce lieu" in text_of(response)


def test_incidents_where_a_provider_cannot_help_say_so(client, make_result):
    result = make_result(incident="fake_bank_adviser", audience="particulier")
    page = text_of(client.get(reverse("diagnostic:result", args=[result.token])))
    assert "un prestataire informatique ne peut pas vous aider" in page


NEEDS = {"audience": "collectivite", "needs": ["reseaux_telephonie"], "size": "10-49", "when": "mois"}


def test_journey_three_offers_labelled_providers_and_sends_a_securing_request(client):
    today = timezone.localdate()
    labelled = ProviderFactory(legal_name="Réseaux Labellisés SAS")
    ProviderFactory(legal_name="Sans Label SARL")
    Label.objects.create(provider=labelled, valid_from=today, valid_until=today + timedelta(days=730))
    response = client.get(reverse("assistance:secure"), {**NEEDS, "lieu": "69003"})
    page = text_of(response)
    assert "Réseaux Labellisés SAS" in page and "Sans Label SARL" not in page
    url = reverse("assistance:secure_request", args=[labelled.pk]) + "?" + response.wsgi_request.GET.urlencode()
    response = client.post(
        url,
        {"contact_name": "Mairie de Test", "contact_email": "dgs@mairie.example", "consent": "on"},
    )
    assert response.status_code == 302
    request = AssistanceRequest.objects.get()
    assert (request.kind, request.audience, request.incident) == ("securisation", "collectivite", None)
    assert ["À sécuriser", "Le réseau, le wifi et la téléphonie"] in request.needs


def test_journey_three_refuses_a_provider_without_a_label(client):
    unlabelled = ProviderFactory()
    query = "audience=entreprise&needs=postes_serveurs&size=1-9&when=mois&lieu=69003"
    url = reverse("assistance:secure_request", args=[unlabelled.pk]) + "?" + query
    response = client.post(url, {"contact_name": "A", "contact_email": "a@exemple.fr", "consent": "on"})
    assert response.status_code == 400
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize(
    "params, message",
    [
        ({**NEEDS, "needs": [], "lieu": "69003"}, "Cochez au moins un élément"),
        ({**NEEDS, "lieu": "Nulle-Part-sur-Mer"}, "Nous ne trouvons pas ce lieu"),
        ({**NEEDS, "audience": "particulier", "lieu": "69003"}, "Sélectionnez un choix valide"),
    ],
)
def test_journey_three_bad_input(client, params, message):
    response = client.get(reverse("assistance:secure"), params)
    assert response.status_code == 400
    assert message in text_of(response)


def test_searching_squares_in_turn_finds_the_same_providers_as_one_search(monkeypatch):
    for index, postcode in enumerate(["69003", "69100", "38000", "42000", "13001", "75011", "97400"]):
        ProviderFactory(legal_name=f"P{index}", postcode_=postcode, areas=[], radius_km=0, remote=index % 2 == 0)
    kwargs = {"audience": "particulier", "expertise": ("postes_serveurs",), "place": place("69003"), "seed": "s"}
    monkeypatch.setattr("cyberaide.providers.selectors.SMALL_NETWORK", 10**9)
    everywhere = find_matches(**kwargs)
    monkeypatch.setattr("cyberaide.providers.selectors.SMALL_NETWORK", 0)
    monkeypatch.setattr("cyberaide.providers.selectors.CANDIDATES", 2)  # forces every square to be tried
    by_squares = find_matches(**kwargs)
    assert names(by_squares)[:2] == names(everywhere)[:2]
    assert by_squares.widened == everywhere.widened


def test_a_busy_provider_comes_after_an_equal_free_one(make_result):
    from .helpers import make_request

    busy = ProviderFactory(legal_name="Occupé")
    ProviderFactory(legal_name="Disponible")
    for _ in range(6):
        make_request(make_result(), busy)
    for seed in ("a", "b", "c", "d"):
        found = find_matches(audience="particulier", expertise=("postes_serveurs",), place=place("69003"), seed=seed)
        assert names(found) == ["Disponible", "Occupé"]
