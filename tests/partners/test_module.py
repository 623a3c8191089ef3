"""The partner module: applications, staff decisions, the snippet, who may frame the journey, and posts that
work without the CSRF cookie a partner's frame may not send."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cyberaide.diagnostic.models import DiagnosticSession, JourneyRecord
from cyberaide.partners import services
from cyberaide.partners.models import Partner
from cyberaide.partners.origins import OriginError, normalise_origin, parse_origins
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return Partner.objects.create(
        name="Mairie de Rennes",
        kind=Partner.Kind.COLLECTIVITE,
        website="https://metropole.rennes.example",
        allowed_origins=["https://metropole.rennes.example", "https://www.rennes.example"],
        contact_name="Service numérique",
        contact_email="numerique@rennes.example",
        status=Partner.Status.APPROVED,
    )


def test_origins_are_normalised():
    assert normalise_origin(" HTTPS://Www.Mairie-Exemple.FR/ ") == "https://www.mairie-exemple.fr"
    assert normalise_origin("https://exemple.fr:443") == "https://exemple.fr"
    assert normalise_origin("https://exemple.fr:8443") == "https://exemple.fr:8443"
    assert normalise_origin("http://localhost:8000") == "http://localhost:8000"
    assert normalise_origin("https://mairie-cœur.fr") == "https://xn--mairie-cur-t5b.fr"
    assert parse_origins("https://a.fr\nhttps://a.fr/, https://b.fr") == ["https://a.fr", "https://b.fr"]


@pytest.mark.parametrize(
    "bad",
    [
        "http://mairie.fr",  # not HTTPS
        "https://*.mairie.fr",
        "https://mairie.fr/page",
        "https://mairie.fr/?x=1",
        "javascript:alert(1)",
        "https://user:pass@mairie.fr",
        "mairie.fr",
        "https://mairie.fr:99999",
        "https://exa mple.fr",
        "'self'",
        "https://a.fr; script-src *",
    ],
)
def test_anything_but_a_plain_origin_is_refused(bad):
    with pytest.raises(OriginError):
        parse_origins(bad)


def test_at_most_five_sites():
    with pytest.raises(OriginError, match="5"):
        parse_origins(" ".join(f"https://site{n}.fr" for n in range(6)))


@given(st.text(max_size=60))
def test_whatever_is_typed_an_accepted_origin_is_stable_and_safe_in_a_header(text):
    try:
        origin = normalise_origin(text)
    except OriginError:
        return
    assert normalise_origin(origin) == origin
    assert not any(c in origin for c in " ;,'\"*\n\r") and origin.isascii()


def test_a_partner_applies_and_nothing_is_live_before_staff_approve(client):
    response = client.post(
        reverse("partners:apply"),
        {
            "name": "Assurances du Littoral",
            "kind": "assureur",
            "website": "https://assurances-littoral.example",
            "origins": "https://espace-client.assurances-littoral.example",
            "contact_name": "Jeanne Marin",
            "contact_email": "jeanne.marin@assurances-littoral.example",
            "engagement": "on",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.status == Partner.Status.PENDING
    assert partner.allowed_origins == ["https://espace-client.assurances-littoral.example"]
    assert client.get(reverse("partners:module", args=[partner.key])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("origins", "http://assurances.example", "HTTPS"),
        ("origins", "", "Champ requis"),
        ("name", "<script>alert(1)</script>", "balises"),
        ("engagement", "", "engagement"),
    ],
)
def test_a_bad_application_is_explained_and_nothing_is_saved(client, field, value, error):
    data = {
        "name": "Assurances du Littoral",
        "kind": "assureur",
        "website": "https://assurances-littoral.example",
        "origins": "https://assurances-littoral.example",
        "contact_name": "Jeanne Marin",
        "contact_email": "jeanne@assurances-littoral.example",
        "engagement": "on",
    }
    data[field] = value
    response = client.post(reverse("partners:apply"), {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 422 and error in text_of(response)
    assert not Partner.objects.exists()


def test_applications_are_rate_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_PARTNER_APPLICATION = "1/86400"
    data = {
        "name": "Mairie",
        "kind": "collectivite",
        "website": "https://mairie.example",
        "origins": "https://mairie.example",
        "contact_name": "A",
        "contact_email": "a@mairie.example",
        "engagement": "on",
    }
    assert [client.post(reverse("partners:apply"), data).status_code for _ in range(2)] == [302, 422]
    assert Partner.objects.count() == 1


def test_staff_approval_sends_the_snippet_and_is_logged(
    client, verified_login, partner, django_capture_on_commit_callbacks
):
    from cyberaide.accounts.models import User

    admin_client = verified_login(client, User.objects.create_superuser("revue", password="x"))
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:partners_partner_changelist"), {"action": "approve", "_selected_action": [partner.pk]}
        )
    partner.refresh_from_db()
    assert partner.status == Partner.Status.APPROVED and partner.decided_by.is_superuser
    assert f'data-partner="{partner.key}"' in mail.outbox[0].body and "/embed/v1.js" in mail.outbox[0].body
    assert LogEntry.objects.filter(object_id=str(partner.pk), change_message="Approuvé").exists()


def test_the_script_only_draws_a_frame_to_the_module(client):
    response = client.get(reverse("partners:embed_script"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "/module/" in body and "document.cookie" not in body and "localStorage" not in body


def test_only_the_partners_approved_sites_may_frame_the_journey(client, partner, graph_version):
    response = client.get(reverse("partners:module", args=[partner.key]))
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert (
        "frame-ancestors https://metropole.rennes.example https://www.rennes.example"
        in response["Content-Security-Policy"]
    )
    assert "Proposé par Mairie de Rennes" in text_of(response)
    # The rest of the site cannot be framed by anyone.
    home = client.get(reverse("core:home"))
    assert home["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in home["Content-Security-Policy"]


@pytest.mark.parametrize("key", ["inconnue", "x" * 40, "demo-mairie"])
def test_a_forged_or_unknown_key_gets_no_module(client, key, partner):
    response = client.get(reverse("partners:module", args=[key]))
    assert response.status_code == 404 and "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_suspended_partner_loses_the_module_at_once(client, partner, graph_version):
    services.decide(partner, Partner.Status.SUSPENDED, by=None, note="Module masqué par une publicité")
    assert client.get(reverse("partners:module", args=[partner.key])).status_code == 404


def test_a_journey_started_in_the_module_is_counted_for_the_partner_and_stays_framable(client, partner, graph_version):
    # No CSRF cookie (a partner's frame may not send ours): the browser says the post comes from our own page.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("diagnostic:start"),
        {"audience": "particulier", "partenaire": partner.key},
        headers={"sec-fetch-site": "same-origin"},
    )
    assert response.status_code == 302
    session = DiagnosticSession.objects.get()
    assert session.partner == partner and session.channel == "partenaire"
    assert JourneyRecord.objects.get().partner == partner
    question = csrf_client.get(response.url)
    assert "frame-ancestors https://metropole.rennes.example" in question["Content-Security-Policy"]


def test_a_cross_site_post_is_refused_without_the_cookie_and_with_it_otherwise(client, graph_version):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "https://pirate.example"}, {}):
        response = csrf_client.post(reverse("diagnostic:start"), {"audience": "particulier"}, headers=headers)
        assert response.status_code == 403
    assert not DiagnosticSession.objects.exists()


def test_the_demo_page_embeds_the_module_from_the_other_local_name(client, settings, partner):
    from cyberaide.partners.demo import create_demo_partner

    create_demo_partner(8000)
    response = client.get(reverse("partners:demo"), HTTP_HOST="localhost:8000")
    assert 'src="http://127.0.0.1:8000/embed/v1.js" data-partner="demo-mairie"' in response.content.decode()
    settings.PARTNER_DEMO_PAGE = False
    assert client.get(reverse("partners:demo")).status_code == 404
