"""L1 and L5 of the security review: an oversized API body gave a 500 with a traceback (DEBUG) or an HTML 400, and
the private pages whose address is a secret were served without Cache-Control when DEBUG was off."""

import pytest
from django.urls import reverse

from cyberaide.diagnostic.services import create_result

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [200_000, 3_000_000])  # over our limit; over Django's own (2.5 MB)
def test_l1_an_oversized_api_body_gets_the_json_413(client, graph_version, settings, size):
    settings.DEBUG = False
    response = client.post(
        "/api/v1/diagnostic/sessions",
        '{"audience": "particulier", "pad": "' + "x" * size + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_l5_private_pages_are_never_cached(client, graph_version, settings):
    settings.DEBUG = False
    result = create_result(audience="particulier", incident_code="phishing")
    session = client.post(reverse("diagnostic:start"), {"audience": "particulier"})
    api = client.post("/api/v1/diagnostic/sessions", {"audience": "particulier"}, content_type="application/json")
    for response in (
        client.get(reverse("diagnostic:result", args=[result.token])),
        client.get(reverse("diagnostic:result_print", args=[result.token])),
        client.get(reverse("diagnostic:result_pdf", args=[result.token])),
        client.get(session["Location"]),
        client.get(f"/api/v1/diagnostic/sessions/{api.json()['id']}"),
        client.get("/suivi/jeton-inconnu/"),
    ):
        assert "no-store" in response.get("Cache-Control", ""), response.request["PATH_INFO"]
    assert "no-store" not in client.get(reverse("core:home")).get("Cache-Control", "")
