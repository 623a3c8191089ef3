"""Staff edit and publish the questionnaire in the back office, behind two-factor authentication."""

import re

import pytest
import yaml
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.diagnostic import graphs
from cyberaide.diagnostic.models import DiagnosticSession, GraphVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, graph_version):
    user = User.objects.create_user("editrice", password="motdepasse-solide-2026", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    response = client.post(
        reverse("accounts:login"),
        {"email": "editrice", "password": "motdepasse-solide-2026", "code": f"{totp(device.bin_key):06d}"},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:home"), response.content.decode()[:2000]
    assert client.get(response.url).url == reverse("admin:index")
    client.user = user
    return client


def test_back_office_requires_a_one_time_code(client, graph_version):
    User.objects.create_user("sans2fa", password="motdepasse-solide-2026", is_staff=True, is_superuser=True)
    client.login(username="sans2fa", password="motdepasse-solide-2026")
    response = client.get(reverse("admin:diagnostic_graphversion_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_publish_a_new_version_and_running_sessions_keep_theirs(staff_client, graph_version, client):
    session = DiagnosticSession.objects.create(graph_version=graph_version, audience="particulier")
    data = yaml.safe_load(graphs.export_graph(graph_version))
    data["questions"][data["audiences"][0]["start"]]["text"] = "Que se passe-t-il ? (nouvelle formulation)"
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_add"),
        {"note": "Reformulation", "data_text": yaml.safe_dump(data, allow_unicode=True), "rules_text": ""},
    )
    assert response.status_code == 302
    draft = GraphVersion.objects.get(number=graph_version.number + 1)
    assert draft.status == "draft"
    assert (draft.rules, draft.advice) == (graph_version.rules, graph_version.advice)  # taken from the published
    page = staff_client.get(reverse("admin:diagnostic_graphversion_publish", args=[draft.pk])).content.decode()
    assert "Aucune situation ne change" in page  # a rewording offers nothing new
    response = publish(staff_client, draft)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == staff_client.user
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message="Version publiée").exists()
    assert graphs.current_version().pk == draft.pk
    session.refresh_from_db()
    assert session.graph_version_id == graph_version.pk  # a journey finishes on the version it started with


def test_invalid_graph_is_refused_with_french_errors_and_nothing_is_saved(staff_client, graph_version):
    data = yaml.safe_load(graphs.export_graph(graph_version))
    start = data["audiences"][0]["start"]
    data["questions"][start]["choices"][0] = {"code": "boucle", "label": "Boucle", "next": start}
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_add"),
        {"note": "cassé", "data_text": yaml.safe_dump(data, allow_unicode=True), "rules_text": ""},
    )
    assert response.status_code == 200
    assert "Boucle dans le parcours" in response.content.decode()
    assert GraphVersion.objects.count() == 1


def test_publishing_an_invalid_draft_is_refused(staff_client, graph_version):
    data = yaml.safe_load(graphs.export_graph(graph_version))
    draft = GraphVersion.objects.create(  # bypassing the form on purpose
        number=99, data={**data, "questions": {}}, rules=graph_version.rules, advice=graph_version.advice
    )
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_publish", args=[draft.pk]),
        {"digest": graphs.digest(draft)},
        follow=True,
    )
    assert "aucune question" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and graphs.current_version().pk == graph_version.pk


def test_published_version_is_frozen(staff_client, graph_version):
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_change", args=[graph_version.pk]), {"note": "x", "data_text": "{}"}
    )
    assert response.status_code == 403
    graph_version.note = "changed"
    with pytest.raises(Exception, match="ne peut plus être modifiée"):
        graph_version.save()


def test_export_then_import_gives_the_same_questionnaire(staff_client, graph_version):
    exported = staff_client.get(reverse("admin:diagnostic_graphversion_export", args=[graph_version.pk]))
    assert exported["Content-Type"].startswith("application/yaml")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("q.yaml", exported.content)
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_import"), {"file": upload, "note": "aller-retour"}
    )
    assert response.status_code == 302
    imported = GraphVersion.objects.get(number=graph_version.number + 1)
    assert (imported.data, imported.rules, imported.advice) == (
        graph_version.data,
        graph_version.rules,
        graph_version.advice,
    )


def test_importing_an_unreadable_file_is_refused(staff_client, graph_version):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_import"),
        {"file": SimpleUploadedFile("q.yaml", b"questions: [unclosed")},
    )
    assert "n&#x27;est pas un YAML ou un JSON lisible" in response.content.decode()
    assert GraphVersion.objects.count() == 1


def publish(client, draft):
    """As staff do: look at what changes, then publish what was shown."""
    url = reverse("admin:diagnostic_graphversion_publish", args=[draft.pk])
    page = client.get(url).content.decode()
    seen = re.search(r'name="digest" value="([0-9a-f]+)"', page)
    return client.post(url, {"digest": seen.group(1) if seen else ""})


@pytest.fixture
def draft(staff_client, graph_version):
    response = staff_client.post(reverse("admin:diagnostic_graphversion_copy", args=[graph_version.pk]))
    assert response.status_code == 302
    return GraphVersion.objects.get(number=graph_version.number + 1)


def post_rules(staff_client, draft, rules):
    return staff_client.post(
        reverse("admin:diagnostic_graphversion_change", args=[draft.pk]),
        {
            "note": "Règles",
            "data_text": graphs.export_graph(draft),
            "rules_text": yaml.safe_dump(rules, allow_unicode=True),
        },
    )


def test_staff_change_a_rule_see_what_it_changes_then_publish(staff_client, draft, graph_version):
    rules = yaml.safe_load(graphs.export_rules(draft))
    rules["incidents"]["fake_charity"]["severity"] = "medium"
    assert post_rules(staff_client, draft, rules).status_code == 302
    draft.refresh_from_db()
    assert draft.rules["incidents"]["fake_charity"]["severity"] == "medium"
    change_page = staff_client.get(reverse("admin:diagnostic_graphversion_change", args=[draft.pk])).content.decode()
    assert "Voir ce qui change, puis publier" in change_page
    page = staff_client.get(reverse("admin:diagnostic_graphversion_publish", args=[draft.pk])).content.decode()
    assert "Fausse cagnotte" in page and "Gravité : Faible" in page and "Gravité : Modérée" in page
    assert "Rançongiciel" not in page  # only what changes is listed
    publish(staff_client, draft)
    assert graphs.current_version().pk == draft.pk


def test_what_is_published_is_what_was_compared(staff_client, draft, graph_version):
    url = reverse("admin:diagnostic_graphversion_publish", args=[draft.pk])
    seen = re.search(r'name="digest" value="([0-9a-f]+)"', staff_client.get(url).content.decode()).group(1)
    rules = yaml.safe_load(graphs.export_rules(draft))
    rules["incidents"]["email_spam"]["severity"] = "medium"  # someone changes the draft meanwhile
    assert post_rules(staff_client, draft, rules).status_code == 302
    page = staff_client.post(url, {"digest": seen}, follow=True).content.decode()
    assert "Le brouillon a été modifié depuis que vous avez vu ce qui change" in page
    assert graphs.current_version().pk == graph_version.pk
    assert publish(staff_client, draft).status_code == 302  # after looking again
    assert graphs.current_version().pk == draft.pk


def test_the_note_of_a_draft_is_kept_when_it_is_saved(staff_client, draft):
    rules = yaml.safe_load(graphs.export_rules(draft))
    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_change", args=[draft.pk]),
        {
            "note": "Vague de faux QR codes",
            "data_text": graphs.export_graph(draft),
            "rules_text": yaml.safe_dump(rules, allow_unicode=True),
        },
    )
    assert response.status_code == 302
    assert GraphVersion.objects.get(pk=draft.pk).note == "Vague de faux QR codes"


def test_a_draft_can_wait_for_the_texts_of_a_new_incident_but_is_not_published_without_them(
    staff_client, draft, graph_version
):
    from cyberaide.diagnostic.models import IncidentType

    advice = {code: texts for code, texts in draft.advice.items() if code != "fake_charity"}
    graphs.save_draft(draft, advice=advice)  # a draft is saved with texts still to write
    page = staff_client.get(reverse("admin:diagnostic_graphversion_change", args=[draft.pk])).content.decode()
    assert "à écrire" in page
    publishing = staff_client.get(reverse("admin:diagnostic_graphversion_publish", args=[draft.pk])).content.decode()
    assert "Textes à écrire avant de publier" in publishing and "Fausse cagnotte" in publishing
    response = publish(staff_client, draft)
    assert graphs.current_version().pk == graph_version.pk
    url = reverse("admin:diagnostic_graphversion_advice", args=[draft.pk, "fake_charity"])
    assert staff_client.get(url).status_code == 200
    texts = graph_version.advice["fake_charity"]["particulier"]
    response = staff_client.post(
        url,
        {
            "particulier-summary": texts["summary"],
            "particulier-actions": "\n".join(texts["actions"]),
            "particulier-evidence": "\n".join(texts["evidence"]),
            "particulier-complaint_how": texts["complaint_how"],
        },
    )
    assert response.status_code == 302
    assert publish(staff_client, draft).status_code == 302
    assert graphs.current_version().pk == draft.pk
    assert IncidentType.objects.filter(code="fake_charity").exists()


@pytest.mark.parametrize(
    "break_rules, message",
    [
        (
            lambda r: r["questions"]["s_money"].update(ask_if={"s_money_when": ["recent"]}),
            "Boucle entre les questions",
        ),
        (lambda r: r["incidents"]["phishing"]["services"]["particulier"].append("inconnu"), "« inconnu » est inconnu"),
        (lambda r: r["incidents"]["ceo_fraud"].pop("severity"), "pas de gravité pour les entreprises"),
        (lambda r: r["incidents"]["fake_rental"].update(providers=["postes_serveurs"]), "fraude pure"),
        (lambda r: r["incidents"]["ceo_fraud"].update(services=["thesee"]), "« thesee » est proposé aux entreprises"),
    ],
)
def test_a_broken_rule_file_is_refused_and_nothing_changes(staff_client, draft, graph_version, break_rules, message):
    rules = yaml.safe_load(graphs.export_rules(draft))
    break_rules(rules)
    response = post_rules(staff_client, draft, rules)
    assert response.status_code == 200 and message in response.content.decode().replace("&#x27;", "'")
    stored = GraphVersion.objects.get(pk=draft.pk)
    assert stored.rules == graph_version.rules  # the draft is untouched
    assert graphs.current_version().pk == graph_version.pk  # and so is the published version


def test_staff_edit_an_incidents_texts_in_a_draft(staff_client, draft, graph_version):
    url = reverse("admin:diagnostic_graphversion_advice", args=[draft.pk, "ceo_fraud"])
    page = staff_client.get(url).content.decode()
    assert "Pour les professionnels" in page and "Pour les particuliers" not in page
    texts = draft.advice["ceo_fraud"]["professionnel"]
    form = {
        "professionnel-summary": "Un escroc a imité votre dirigeant.",
        "professionnel-actions": "Appelez la banque.\n\nPrévenez la direction.\n",
        "professionnel-evidence": "\n".join(texts["evidence"]),
        "professionnel-complaint_how": texts["complaint_how"],
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.advice["ceo_fraud"]["professionnel"]["actions"] == ["Appelez la banque.", "Prévenez la direction."]
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message__startswith="Textes modifiés").exists()
    assert graph_version.advice == GraphVersion.objects.get(pk=graph_version.pk).advice
    # Empty texts or markup are refused, and the draft keeps what it had.
    for bad in ({**form, "professionnel-summary": ""}, {**form, "professionnel-actions": "<script>x</script>"}):
        assert staff_client.post(url, bad).status_code == 422
    draft.refresh_from_db()
    assert draft.advice["ceo_fraud"]["professionnel"]["summary"] == "Un escroc a imité votre dirigeant."


def test_published_texts_cannot_be_edited(staff_client, graph_version):
    url = reverse("admin:diagnostic_graphversion_advice", args=[graph_version.pk, "ceo_fraud"])
    response = staff_client.post(url, {"professionnel-summary": "x"})
    assert response.status_code == 302
    assert GraphVersion.objects.get(pk=graph_version.pk).advice == graph_version.advice
