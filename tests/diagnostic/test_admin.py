"""Staff edit and publish the questionnaire in the back office, behind two-factor authentication."""

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
        {"note": "Reformulation", "data_text": yaml.safe_dump(data, allow_unicode=True)},
    )
    assert response.status_code == 302
    draft = GraphVersion.objects.get(number=graph_version.number + 1)
    assert draft.status == "draft"
    response = staff_client.post(reverse("admin:diagnostic_graphversion_publish", args=[draft.pk]))
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
        {"note": "cassé", "data_text": yaml.safe_dump(data, allow_unicode=True)},
    )
    assert response.status_code == 200
    assert "Boucle dans le parcours" in response.content.decode()
    assert GraphVersion.objects.count() == 1


def test_publishing_an_invalid_draft_is_refused(staff_client, graph_version):
    data = yaml.safe_load(graphs.export_graph(graph_version))
    draft = GraphVersion.objects.create(number=99, data={**data, "questions": {}})  # bypassing the form on purpose
    response = staff_client.post(reverse("admin:diagnostic_graphversion_publish", args=[draft.pk]), follow=True)
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
    assert GraphVersion.objects.get(number=graph_version.number + 1).data == graph_version.data


def test_importing_an_unreadable_file_is_refused(staff_client, graph_version):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        reverse("admin:diagnostic_graphversion_import"),
        {"file": SimpleUploadedFile("q.yaml", b"questions: [unclosed")},
    )
    assert "n&#x27;est pas un YAML ou un JSON lisible" in response.content.decode()
    assert GraphVersion.objects.count() == 1
