"""GET /api/v1/providers/match and /verify: what partner sites use, with stable error codes."""

import pytest
from django.urls import reverse

from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def match_url():
    return reverse("api:match")


def test_match_lists_providers_in_order_with_distance_and_labels(client, graph_version, match_url):
    ProviderFactory(legal_name="Près", postcode_="69003")
    ProviderFactory(legal_name="Loin", postcode_="38000", areas=["69"])
    response = client.get(match_url, {"audience": "entreprise", "incident": "ransomware", "postcode": "69003"})
    assert response.status_code == 200
    body = response.json()
    assert body["place"] == {"commune": "Lyon", "postcode": "69003", "departement": "69"}
    assert [p["name"] for p in body["providers"]] == ["Près", "Loin"]
    first = body["providers"][0]
    assert first["distance_km"] < 5 and first["labelled"] is False and first["covers_area"] is True
    assert body["widened"] is True and body["eligible_count"] == 2


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({"audience": "entreprise", "incident": "inconnu", "postcode": "69003"}, 404, "unknown_incident"),
        ({"audience": "entreprise", "incident": "ransomware", "postcode": "00000"}, 400, "unknown_place"),
        ({"audience": "martien", "incident": "ransomware", "postcode": "69003"}, 422, "invalid_request"),
        ({"audience": "entreprise", "incident": "ransomware"}, 422, "invalid_request"),
    ],
)
def test_match_bad_input(client, graph_version, match_url, params, status, code):
    response = client.get(match_url, params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_verify_says_labelled_referenced_or_not(client):
    from datetime import timedelta

    from django.utils import timezone

    from cyberaide.providers.models import Label

    labelled = ProviderFactory(legal_name="Alpha Réseaux SAS")
    Label.objects.create(
        provider=labelled, valid_from=timezone.localdate(), valid_until=timezone.localdate() + timedelta(1)
    )
    ProviderFactory(legal_name="Alpha Conseil SARL")
    ProviderFactory(legal_name="Alpha Refusé SARL", status="refused")
    response = client.get(reverse("api:verify"), {"q": "alpha"})
    assert {p["name"]: p["status"] for p in response.json()} == {
        "Alpha Réseaux SAS": "labellise",
        "Alpha Conseil SARL": "reference",
        "Alpha Refusé SARL": "non_reference",
    }
    short = client.get(reverse("api:verify"), {"q": "al"})
    assert short.status_code == 400 and short.json()["error"]["code"] == "query_too_short"


def test_both_endpoints_are_in_the_openapi_page(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/api/v1/providers/match" in schema["paths"] and "/api/v1/providers/verify" in schema["paths"]
