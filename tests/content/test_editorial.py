"""Editorial roles in the Wagtail back office: rédacteurs write and submit, modérateurs approve and publish;
everyone there has passed the second factor; what editors type cannot carry a script to readers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cyberaide.accounts.models import User
from cyberaide.content.models import AlertIndexPage, Audience, PracticalSheetPage
from cyberaide.content.setup import EDITORS, MODERATORS, section
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def member(group_name, username):
    user = User.objects.create_user(username=username, email=f"{username}@cyberaide.example", password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(content_tree):
    return member(EDITORS, "redactrice")


@pytest.fixture
def moderator(content_tree):
    return member(MODERATORS, "moderateur")


def page_form(title, action, body_html="<p>Changez vos mots de passe.</p>"):
    data = nested_form_data(
        {
            "title": title,
            "slug": "",
            "intro": "Se protéger simplement.",
            "body": streamfield([("paragraph", rich_text(body_html))]),
            "comments": inline_formset([]),
        }
    )
    data["audiences"] = [Audience.objects.get(code="particuliers").pk]
    data["slug"] = title.lower().replace(" ", "-").replace("à", "a").replace("é", "e")
    data[action] = action
    return data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["content", "practicalsheetpage", parent.pk])


def test_the_back_office_asks_for_sign_in_then_for_the_second_factor(client, editor):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    client.force_login(editor)  # password only, no one-time code yet
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response.url in (reverse("accounts:totp_setup"), reverse("accounts:login") + "?next=%2Fcms%2F")


def test_a_redacteur_cannot_publish_only_submit_for_moderation(client, verified_login, editor):
    verified_login(client, editor)
    parent = section("fiches-pratiques")
    response = client.post(add_url(parent), page_form("Sauvegarder ses photos", "action-publish"))
    assert response.status_code == 302
    draft = PracticalSheetPage.objects.get(title="Sauvegarder ses photos")
    assert not draft.live  # the publish button is not theirs: the page stays a draft

    response = client.post(add_url(parent), page_form("Mettre à jour son téléphone", "action-submit"))
    submitted = PracticalSheetPage.objects.get(title="Mettre à jour son téléphone")
    assert not submitted.live
    assert WorkflowState.objects.get(object_id=str(submitted.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get("/conseils/fiches-pratiques/mettre-a-jour-son-telephone/").status_code == 404


def test_a_moderateur_approves_and_publishes(client, verified_login, editor, moderator):
    verified_login(client, editor)
    client.post(add_url(section("fiches-pratiques")), page_form("Verrouiller son ordinateur", "action-submit"))
    page = PracticalSheetPage.objects.get(title="Verrouiller son ordinateur")
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state

    moderator_client = client.__class__()
    verified_login(moderator_client, moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = moderator_client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_a_moderateur_publishes_an_alert_directly(client, verified_login, moderator):
    verified_login(client, moderator)
    parent = AlertIndexPage.objects.get()
    data = page_form("Faux appels de la police", "action-publish")
    data.update(
        {
            "severity": "critical",
            "banner": "La police ne vous appelle jamais pour récupérer votre argent.",
            "starts_at": "2026-01-01 08:00",
            "ends_at": "2099-01-01 08:00",
            "incident_type": "",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["content", "alertpage", parent.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    alert = Page.objects.get(title="Faux appels de la police").specific
    assert alert.live
    assert "La police ne vous appelle jamais" in client.get(reverse("core:home")).content.decode()


def test_editors_have_no_access_to_other_back_offices(client, verified_login, editor):
    verified_login(client, editor)
    assert client.get(reverse("admin:index")).status_code == 302  # the staff back office
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_script_typed_in_the_editor_never_reaches_readers(client, verified_login, moderator):
    verified_login(client, moderator)
    body = '<p>Bonjour<script>alert("x")</script> <a href="javascript:alert(1)">lien</a> <b onclick="x()">gras</b></p>'
    client.post(add_url(section("fiches-pratiques")), page_form("Fiche piégée", "action-publish", body_html=body))
    page = PracticalSheetPage.objects.get(title="Fiche piégée")
    assert page.live
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "Bonjour" in html


def test_an_editor_signing_in_lands_in_the_editorial_back_office(client, editor):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    editor.set_password("une-phrase-de-passe-longue")
    editor.save()
    device = TOTPDevice.objects.create(user=editor, name="téléphone", confirmed=True)
    response = client.post(
        reverse("accounts:login"),
        {"email": editor.username, "password": "une-phrase-de-passe-longue", "code": f"{totp(device.bin_key):06d}"},
    )
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("wagtailadmin_home")


def test_a_scheduled_alert_can_be_previewed_before_it_starts(client, verified_login, moderator, make_alert):
    from datetime import timedelta

    alert = make_alert(starts_in=timedelta(hours=3))
    assert client.get(alert.url).status_code == 404
    verified_login(client, moderator)
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[alert.pk]))
    assert preview.status_code == 200
    assert alert.intro in text_of(preview)


def test_scheduled_publication_and_revisions(client, moderator, content_tree):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Revision

    page = PracticalSheetPage(title="Publier plus tard", intro="Une fiche programmée.", live=False)
    page.audiences = list(Audience.objects.filter(code="particuliers"))
    section("fiches-pratiques").add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision(user=moderator)
    revision.publish(user=moderator)  # with a date in the future: scheduled, not live
    page.refresh_from_db()
    assert not page.live
    assert client.get("/conseils/fiches-pratiques/publier-plus-tard/").status_code == 404

    # The hour comes (the revision's dates moved back, as if time had passed), and the minute task runs.
    past = timezone.now() - timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200

    page.title = "Publier plus tard (corrigé)"
    page.save_revision(user=moderator).publish(user=moderator)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2


def test_a_redacteur_cannot_replace_a_published_file_a_moderateur_can(client, verified_login, editor, moderator):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title="Guide des communes")
    document.file.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=False)
    document.save()
    url = reverse("wagtaildocs:edit", args=[document.pk])
    verified_login(client, editor)
    assert client.get(url).status_code in (302, 403)
    moderator_client = client.__class__()
    verified_login(moderator_client, moderator)
    assert moderator_client.get(url).status_code == 200


def test_wagtail_front_end_sign_in_is_not_exposed(client, content_tree):
    # It would bypass our sign-in page (second factor, rate limit).
    assert client.get("/conseils/_util/login/").status_code == 404


def test_the_back_office_may_frame_its_own_preview_and_nothing_else_may(client, verified_login, moderator):
    verified_login(client, moderator)
    policy = client.get(reverse("wagtailadmin_home"))["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "frame-ancestors 'none'" in client.get(reverse("core:home"))["Content-Security-Policy"]
