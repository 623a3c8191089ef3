"""Search, in French, over the seed content: the right pages come first."""

import pytest
from django.urls import reverse

from cyberaide.content.search import search
from cyberaide.content.search_text import normalise
from cyberaide.content.seed import load_content
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(graph_version):
    load_content()


def top_slugs(query, count=2):
    return [page.slug for page in search(query).pages[:count]]


@pytest.mark.parametrize(
    "query, expected_first",
    [
        # The parcel-SMS wave: its threat article and the fiche réflexe on fraudulent SMS.
        ("arnaque colis", {"arnaque-au-colis-faux-sms-livraison", "sms-frauduleux-arnaque-colis-que-faire"}),
        ("Arnaque au COLIS", {"arnaque-au-colis-faux-sms-livraison", "sms-frauduleux-arnaque-colis-que-faire"}),
        # A stolen password: the fiche réflexe on account hacking first.
        ("mot de passe volé", {"compte-pirate-mot-de-passe-vole-que-faire"}),
        ("mots de passe voles", {"compte-pirate-mot-de-passe-vole-que-faire"}),
        # Ransomware at the town hall: the article on communes and the fiche réflexe on ransomware.
        ("rançongiciel mairie", {"rancongiciel-mairie-petites-communes", "rancongiciel-que-faire"}),
        ("rancongiciel mairies", {"rancongiciel-mairie-petites-communes", "rancongiciel-que-faire"}),
    ],
)
def test_the_right_pages_come_first(seeded, query, expected_first):
    first = top_slugs(query, count=len(expected_first))
    assert set(first) == expected_first, first


def test_incident_types_are_searched_too(seeded):
    match = search("rançongiciel").incidents[0]
    assert match.incident.code == "ransomware"
    assert match.reflex_sheet.slug == "rancongiciel-que-faire"


def test_french_words_meet_their_variants():
    assert normalise("Mot de passe volé !") == normalise("mots de passe voles")
    assert normalise("Rançongiciel à la mairie") == normalise("rancongiciels mairies")
    assert normalise("le la les de du des") == ""


def test_search_page_lists_results_and_matching_incidents(client, seeded):
    response = client.get(reverse("content:search"), {"q": "arnaque colis"})
    text = text_of(response)
    assert response.status_code == 200
    assert "résultats pour « arnaque colis »" in text
    assert "Arnaque au colis" in text
    assert "Vous êtes peut-être victime de" in text


@pytest.mark.parametrize(
    "query", ["", "   ", "le la les", "zzzzqqqq", "<script>alert(1)</script>", "'; DROP TABLE x; --"]
)
def test_empty_or_odd_queries_answer_calmly(client, seeded, query):
    response = client.get(reverse("content:search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_oversized_query_is_refused_clearly(client, seeded):
    response = client.post(reverse("content:search"), {"q": "arnaque " * 2501})
    assert response.status_code == 400
    assert "Votre recherche est trop longue : 20000 caractères au plus" in text_of(response)


def test_a_pasted_message_is_searched_and_its_situation_suggested(client, seeded):
    sms = (
        "J'ai reçu ce SMS : « Votre colis n'a pas pu être livré, des frais de réexpédition de 1,99 EUR sont à "
        "régler sur https://colis-suivi-livraison.example/ avant demain, sinon il sera retourné à l'expéditeur. » "
        "C'est une arnaque ? Je n'attends pourtant rien en ce moment et je n'ai rien commandé depuis des semaines. "
    ) * 2
    assert len(sms) > 200
    response = client.post(reverse("content:search"), {"q": sms})
    text = text_of(response)
    assert response.status_code == 200
    assert "Vous êtes peut-être victime de" in text
    assert text.index("SMS frauduleux") < text.index("résultat")
    assert f"{reverse('diagnostic:start')}?situation=scam_sms" in response.content.decode()


def test_expired_pages_are_not_found(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from cyberaide.content.models import ContentPage

    page = ContentPage.objects.get(slug="compte-pirate-mot-de-passe-vole-que-faire")
    ContentPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert "compte-pirate-mot-de-passe-vole-que-faire" not in top_slugs("mot de passe volé", count=30)


def test_seed_content_covers_every_incident_type_and_every_page_type(seeded):
    from cyberaide.content.models import ContentPage, KitPage, ReflexSheetPage
    from cyberaide.diagnostic.models import IncidentType

    assert ContentPage.objects.live().count() >= 40
    without_sheet = [
        incident.code
        for incident in IncidentType.objects.all()
        if not ReflexSheetPage.objects.live().filter(incident_types=incident).exists()
    ]
    assert without_sheet == []
    kinds = {type(page).__name__ for page in ContentPage.objects.live().specific()}
    assert kinds >= {
        "ReflexSheetPage",
        "PracticalSheetPage",
        "ThreatArticlePage",
        "MemoPage",
        "VideoPage",
        "GuidePage",
        "CampaignPage",
        "AlertPage",
    }
    assert KitPage.objects.get().items.count() >= 5
    # Loading again changes nothing.
    count = ContentPage.objects.count()
    load_content()
    assert ContentPage.objects.count() == count


def test_a_flood_of_searches_is_rate_limited(client, seeded, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_SEARCH = "2/600"
    for _ in range(2):
        assert client.get(reverse("content:search"), {"q": "colis"}).status_code == 200
    response = client.get(reverse("content:search"), {"q": "colis"})
    assert response.status_code == 429
    assert "Trop de recherches" in text_of(response)


@pytest.mark.parametrize(
    "query, incidents",
    [
        ("arnaque colis", ["scam_sms"]),
        ("mot de passe volé", ["account_hacking", "stealer"]),
        ("rançongiciel mairie", ["ransomware"]),
        ("sauvegarde", []),
    ],
)
def test_the_incident_a_query_is_about_comes_first_with_its_fiche(seeded, query, incidents):
    matches = search(query).incidents
    assert [match.incident.code for match in matches][: len(incidents)] == incidents
    assert all(match.reflex_sheet is not None for match in matches)
    if query == "arnaque colis":  # one common word ("arnaque") does not bring every scam along
        assert len(matches) == 1
