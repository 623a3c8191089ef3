import pytest
from django.test import override_settings
from django.urls import reverse

from cyberaide.diagnostic.models import DiagnosticSession


@pytest.mark.django_db  # every page shows the active alerts; the home page, the latest advice
@pytest.mark.parametrize("name", ["core:home", "core:never_asked", "core:accessibility", "core:privacy"])
def test_public_pages_render_in_french(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content and "République" in content and 'id="footer"' in content


def test_health(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}


@pytest.mark.django_db
@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_DIAGNOSTIC_START="3/600")
def test_starting_many_diagnostics_is_rate_limited(client, graph_version):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.post(reverse("diagnostic:start"), {"audience": "particulier"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert DiagnosticSession.objects.count() == 3
    response = client.post("/api/v1/diagnostic/sessions", {"audience": "particulier"}, content_type="application/json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"


def test_deploy_checks_pass_in_production_settings(monkeypatch):
    """`check --deploy` with DEBUG off is clean (the same check runs in `make quality`)."""
    import subprocess
    import sys

    env = {
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-like-secret-key-for-this-check-0123456789",
        "ALLOWED_HOSTS": "cyberaide.example",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()
