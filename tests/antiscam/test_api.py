"""The hash-prefix protocol as a browser uses it: download prefixes, match locally, confirm with full hashes."""

import hashlib
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from cyberaide.antiscam import services
from cyberaide.antiscam.canonical import canonical_url, expression_hash, url_expressions
from cyberaide.antiscam.models import FilterChange, Kind, Listing

pytestmark = pytest.mark.django_db

LIST = "/api/v1/filter/list"
MATCHES = "/api/v1/filter/matches"


def list_site(value, *, days=30, reason="Faux site de l'Assurance maladie."):
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, value, value))
    return services.list_indicator(
        indicator=indicator,
        category="phishing",
        reason=reason,
        expires_at=timezone.now() + timedelta(days=days),
        origin=Listing.Origin.STAFF,
    )


def client_side_hashes(address):
    """What the extension computes before it asks anything."""
    return [expression_hash(expression) for expression in url_expressions(canonical_url(address))]


def apply(prefixes: set, update: dict) -> set:
    if update["full"]:
        return set(update["additions"])
    return (prefixes | set(update["additions"])) - set(update["removals"])


def checksum(prefixes: set) -> str:
    return hashlib.sha256(b"".join(bytes.fromhex(prefix) for prefix in sorted(prefixes))).hexdigest()


def test_a_browser_finds_a_listed_site_with_prefixes_only(client):
    list_site("ameli-carte-vitale.info")
    update = client.get(LIST).json()
    # The list's version is its journal's last change (a database sequence, not a count: it can start above 1).
    assert update["full"] and update["version"] == FilterChange.objects.latest("pk").pk
    local = set(update["additions"])
    assert checksum(local) == update["checksum"]

    computed = client_side_hashes("https://espace.ameli-carte-vitale.info/renouveler?utm_source=sms")
    matching = [full[:4].hex() for full in computed if full[:4].hex() in local]
    assert matching
    response = client.get(MATCHES, {"prefix": matching})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    confirmed = [match for match in body["matches"] if bytes.fromhex(match["hash"]) in computed]
    assert confirmed[0]["reason"] == "Faux site de l'Assurance maladie."
    assert confirmed[0]["category"] == "phishing"
    assert body["cache_seconds"] > 0


def test_an_unlisted_site_matches_nothing(client):
    list_site("ameli-carte-vitale.info")
    local = set(client.get(LIST).json()["additions"])
    computed = client_side_hashes("https://www.boulangerie-exemple.fr/pains")
    assert not [full for full in computed if full[:4].hex() in local]
    # Even asked directly, the prefixes of an unlisted address give no full hash of it.
    body = client.get(MATCHES, {"prefix": [full[:4].hex() for full in computed]}).json()
    assert not {bytes.fromhex(match["hash"]) for match in body["matches"]} & set(computed)


def test_deltas_bring_a_client_to_the_current_list(client):
    first = list_site("faux-colis.info")
    v1 = client.get(LIST).json()
    local = apply(set(), v1)
    list_site("fausse-amende.info")
    list_site("faux-placement.io")
    services.lift_listing(first, by=None, reason="Erreur")
    delta = client.get(LIST, {"since": v1["version"]}).json()
    assert not delta["full"]
    assert delta["removals"] == [expression_hash("faux-colis.info/")[:4].hex()]
    local = apply(local, delta)
    assert checksum(local) == delta["checksum"]
    assert local == set(client.get(LIST).json()["additions"])
    # Nothing changed since: an empty delta.
    again = client.get(LIST, {"since": delta["version"]}).json()
    assert (again["additions"], again["removals"], again["full"]) == ([], [], False)


def test_an_unknown_version_gets_the_whole_list(client):
    list_site("faux-colis.info")
    update = client.get(LIST, {"since": 999}).json()
    assert update["full"] and len(update["additions"]) == 1


def test_an_expired_listing_is_not_confirmed(client):
    listing = list_site("faux-colis.info")
    prefix = expression_hash("faux-colis.info/")[:4].hex()
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(MATCHES, {"prefix": prefix}).json()["matches"] == []


@pytest.mark.parametrize(
    "query, code",
    [
        ({}, "missing_prefix"),
        ({"prefix": "xyz"}, "invalid_prefix"),
        ({"prefix": "a1b2c3"}, "invalid_prefix"),
        ({"prefix": "a1b2c3d4e5"}, "invalid_prefix"),
        ({"prefix": "https://faux-colis.info/"}, "invalid_prefix"),
        ({"prefix": ["a1b2c3d4"] * 31}, "too_many_prefixes"),
    ],
)
def test_bad_lookups_get_a_clear_error(client, query, code):
    response = client.get(MATCHES, query)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_a_negative_version_is_refused(client):
    response = client.get(LIST, {"since": -1})
    assert response.status_code == 422


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_ANTISCAM_LOOKUP="3/60")
def test_lookups_are_rate_limited_per_client(client):
    statuses = [client.get(MATCHES, {"prefix": "a1b2c3d4"}, REMOTE_ADDR="192.0.2.77").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(MATCHES, {"prefix": "a1b2c3d4"}, REMOTE_ADDR="192.0.2.78").status_code == 200


def test_the_protocol_is_in_the_openapi_page(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/filter/list" in paths and "/api/v1/filter/matches" in paths
