"""Each page type renders in the DSFR layout, links back to the diagnostic, and is never served once expired or
unpublished."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cyberaide.content.models import (
    CampaignPage,
    ContentHomePage,
    GuidePage,
    MemoPage,
    PracticalSheetPage,
    ReflexSheetPage,
    ThreatArticlePage,
    VideoPage,
)
from cyberaide.diagnostic.services import create_result
from tests.helpers import text_of

from .conftest import body, publish, section

pytestmark = pytest.mark.django_db


def make_page(kind, document):
    common = {"intro": "Un chapeau clair pour les victimes.", "body": body()}
    pages = {
        "reflex": (
            "fiches-reflexes",
            ReflexSheetPage(title="Hameçonnage : que faire ?", slug="hameconnage", **common),
        ),
        "practical": ("fiches-pratiques", PracticalSheetPage(title="Bien gérer ses mots de passe", **common)),
        "article": ("menaces", ThreatArticlePage(title="Arnaque au faux colis", **common)),
        "memo": ("ressources", MemoPage(title="Les dix bons réflexes", text_alternative="Réflexe un : …", **common)),
        "video": ("ressources", VideoPage(title="Le faux conseiller", transcript="Narratrice : bonjour.", **common)),
        "guide": ("ressources", GuidePage(title="Guide des communes", document=document(), **common)),
        "campaign": (
            "campagnes",
            CampaignPage(title="Cybermoi/s", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31), **common),
        ),
    }
    section_slug, page = pages[kind]
    return publish(section(section_slug), page, incidents=["phishing"])


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("reflex", "Fiche réflexe"),
        ("practical", "Fiche pratique"),
        ("article", "Article sur une menace"),
        ("memo", "Le mémo en texte"),
        ("video", "Transcription de la vidéo"),
        ("guide", "Télécharger le guide"),
        ("campaign", "Campagne du 1er octobre 2026 au 31 octobre 2026"),
    ],
)
def test_each_content_type_renders_with_its_blocks_and_a_way_to_the_diagnostic(
    client, content_tree, document, kind, expected
):
    page = make_page(kind, document)
    response = client.get(page.url)
    text = text_of(response)
    assert response.status_code == 200
    assert f"<h1>{page.title}</h1>" in text
    assert expected in text
    assert '<ol class="cy-steps"><li>Ne répondez pas.</li>' in text
    assert "fr-callout" in text and "En cas de danger immédiat" in text
    assert reverse("diagnostic:start") in text and "Faire un diagnostic" in text
    assert "Particuliers" in text  # its audience tag


def test_alert_page_renders_its_severity_and_period(client, make_alert):
    alert = make_alert(severity="critical")
    text = text_of(client.get(alert.url))
    assert "Alerte forte" in text
    assert "Alerte en cours depuis le" in text


def test_index_pages_list_what_they_hold(client, content_tree, document):
    reflex = make_page("reflex", document)
    home = ContentHomePage.objects.get()
    assert home.url == "/conseils/"
    home_text = text_of(client.get(home.url))
    assert "Fiches réflexes" in home_text and reflex.title in home_text
    section_text = text_of(client.get(section("fiches-reflexes").url))
    assert reflex.title in section_text


def test_a_section_filters_by_audience(client, content_tree):
    for_people = publish(section("fiches-pratiques"), PracticalSheetPage(title="Pour les particuliers", intro="x"))
    for_towns = publish(
        section("fiches-pratiques"),
        PracticalSheetPage(title="Pour les mairies", intro="x"),
        audiences=["collectivites"],
    )
    text = text_of(client.get(section("fiches-pratiques").url + "?public=collectivites"))
    assert for_towns.title in text
    assert for_people.title not in text


def test_kit_page_offers_each_item_and_the_whole_kit_under_the_open_licence(client, kit_page):
    text = text_of(client.get(kit_page.url))
    assert "Licence Ouverte Etalab 2.0" in text
    assert "Affiche mots de passe" in text and "Fiche hameçonnage" in text
    response = client.get(kit_page.url + "kit-complet/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="kit-sensibilisation-cyberaide.zip"'
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names == ["01-affiche-mots-de-passe.pdf", "02-fiche-hameconnage.pdf", "LICENCE.txt"]
    assert archive.read(names[0]) == b"%PDF-1.4 Affiche mots de passe"
    assert "Etalab 2.0" in archive.read("LICENCE.txt").decode()

    # A changed item makes a new archive; the same content is served from the one already built.
    item = kit_page.items.first()
    item.title = "Affiche mots de passe (2026)"
    item.save()
    response = client.get(kit_page.url + "kit-complet/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names[0] == "01-affiche-mots-de-passe-2026.pdf"


def test_an_expired_page_is_not_reachable_even_before_the_scheduler_unpublishes_it(client, content_tree, document):
    page = make_page("practical", document)
    assert client.get(page.url).status_code == 200
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save()
    assert client.get(page.url).status_code == 404
    assert page.title not in text_of(client.get(section("fiches-pratiques").url))


def test_an_unpublished_or_draft_page_is_not_reachable(client, content_tree, document):
    page = make_page("article", document)
    url = page.url
    page.unpublish()
    assert client.get(url).status_code == 404
    draft = ThreatArticlePage(title="Brouillon secret", intro="Pas encore relu.", live=False)
    section("menaces").add_child(instance=draft)
    assert client.get("/conseils/menaces/brouillon-secret/").status_code == 404


def test_the_result_page_shows_the_incident_fiche_reflexe_and_threat_article(client, graph_version, content_tree):

    fiche = publish(
        section("fiches-reflexes"),
        ReflexSheetPage(title="Hameçonnage : que faire ?", intro="x"),
        incidents=["phishing"],
    )
    article = publish(
        section("menaces"), ThreatArticlePage(title="La vague de faux colis", intro="y"), incidents=["phishing"]
    )
    other = publish(
        section("fiches-reflexes"),
        ReflexSheetPage(title="Rançongiciel : que faire ?", intro="z"),
        incidents=["ransomware"],
    )
    result = create_result(audience="particulier", incident_code="phishing")
    text = text_of(client.get(reverse("diagnostic:result", args=[result.token])))
    assert "Pour aller plus loin" in text
    assert f'href="{fiche.url}"' in text and f'href="{article.url}"' in text
    assert other.title not in text


def test_script_in_a_page_field_is_shown_as_text_never_run(client, content_tree):
    page = publish(
        section("fiches-pratiques"),
        PracticalSheetPage(title="<script>alert(1)</script>Titre", intro="<img src=x onerror=alert(1)>"),
    )
    text = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Titre" in text
    assert "<img src=x" not in text


def test_the_home_page_offers_the_latest_advice_and_the_alerts(client, content_tree, document):
    page = make_page("practical", document)
    text = text_of(client.get(reverse("core:home")))
    assert "Se protéger" in text
    assert f'href="{page.url}"' in text
    for url in ["/conseils/", "/conseils/alertes/", "/conseils/kit-de-sensibilisation/"]:
        assert f'href="{url}"' in text
        assert client.get(url).status_code == 200


def test_an_expired_section_or_kit_is_not_reachable(client, kit_page):
    rubric = section("fiches-pratiques")
    for page in (rubric, kit_page):
        page.expire_at = timezone.now() - timedelta(minutes=1)
        page.save()
    assert client.get(rubric.url).status_code == 404
    assert client.get(kit_page.url).status_code == 404
    assert client.get(kit_page.url + "kit-complet/").status_code == 404


# Wagtail leaves the temporary file of a new rendition to the garbage collector (not our code).
@pytest.mark.filterwarnings("ignore:Unclosed file <tempfile.SpooledTemporaryFile:ResourceWarning")
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function SpooledTemporaryFile:pytest.PytestUnraisableExceptionWarning"
)
def test_a_memo_image_is_described_and_its_full_text_follows(client, content_tree):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PillowImage.new("RGB", (40, 30), "white").save(buffer, "PNG")
    image = get_image_model()(title="Mémo", file=ImageFile(buffer, name="memo.png"))
    image.save()
    memo = publish(
        section("ressources"),
        MemoPage(
            title="Les dix bons réflexes", intro="x", text_alternative="Réflexe un : ne cliquez pas.", image=image
        ),
    )
    text = text_of(client.get(memo.url))
    assert 'alt="Les dix bons réflexes (le texte complet du mémo suit l\'image)"' in text
    assert "Réflexe un : ne cliquez pas." in text
