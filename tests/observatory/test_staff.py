"""The observatory's back office: surges with their evidence, and "je n'ai pas trouvé" descriptions grouped and
turned into a new incident type or a change of the questionnaire. Every action is logged; the public sees none."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from cyberaide.accounts.models import User
from cyberaide.diagnostic.models import GraphVersion, UnmatchedReport
from cyberaide.observatory.models import ReportGroup, Surge

from .helpers import store_rollup

CPF = [
    "appel pour mon compte CPF, mes droits formation allaient etre perdus",
    "sms compte formation CPF vos droits expirent cliquez sur le lien",
    "un conseiller CPF m'a inscrit a une formation sans mon accord avec mes droits",
    "démarchage pour mon cpf formation soit disant gratuite avec mes droits",
]
OTHERS = ["mon ex a installé une application sur mon téléphone", "un voisin utilise mon wifi sans permission"]


@pytest.fixture
def analyst(client, verified_login, db):
    user = User.objects.create_user("analyste", "analyste@cyberaide.example", "x", is_staff=True, is_superuser=True)
    return verified_login(client, user)


@pytest.fixture
def reports(db):
    return [
        UnmatchedReport.objects.create(text=text, audience="particulier", question="quoi", graph_version=1)
        for text in CPF + OTHERS
    ]


@pytest.fixture
def surge(db):
    peak = date(2026, 3, 11)
    store_rollup(
        (peak - timedelta(weeks=week), incident, journeys)
        for week in range(9)
        for incident, journeys in (("sextortion_bluff", 500 if week == 0 else 40), ("phishing", 300))
    )
    return Surge.objects.create(
        incident="sextortion_bluff",
        label="Chantage à la webcam par courriel (sextorsion, sans vraies images)",
        first_day=peak,
        last_day=peak,
        peak_day=peak,
        observed=500,
        expected=40,
        share=500 / 800,
        baseline_share=40 / 340,
        z_score=42,
    )


@pytest.mark.django_db
def test_staff_list_current_and_past_surges_and_read_the_evidence(analyst, surge, taxonomy):
    Surge.objects.create(
        incident="phishing",
        label="Hameçonnage (phishing)",
        first_day=date(2025, 10, 1),
        last_day=date(2025, 10, 3),
        ended_on=date(2025, 10, 6),
        peak_day=date(2025, 10, 2),
        observed=900,
        expected=300,
        share=0.6,
        baseline_share=0.3,
        z_score=20,
    )

    listing = analyst.get(reverse("admin:observatory_surge_changelist"))
    current = analyst.get(reverse("admin:observatory_surge_changelist"), {"etat": "en-cours"})
    detail = analyst.get(reverse("admin:observatory_surge_change", args=[surge.pk]))

    assert listing.status_code == 200
    assert "Chantage à la webcam" in listing.content.decode()
    assert "Terminée le 06/10/2025" in listing.content.decode()
    assert "Hameçonnage" not in current.content.decode()
    page = detail.content.decode()
    assert "62,5 %" in page and "11,8 %" in page
    assert "<td>500</td><td>800</td>" in page.replace("\n", "")  # the peak day in the evidence table


@pytest.mark.django_db
def test_staff_acknowledge_a_surge_with_what_they_did(analyst, surge):
    response = analyst.post(
        reverse("admin:observatory_surge_change", args=[surge.pk]),
        {"note": "Alerte publiée, parcours adapté."},
    )

    assert response.status_code == 302
    surge.refresh_from_db()
    assert surge.acknowledged_by.username == "analyste"
    assert surge.note == "Alerte publiée, parcours adapté."
    assert LogEntry.objects.filter(object_id=str(surge.pk)).exists()


@pytest.mark.django_db
def test_the_back_office_needs_a_staff_account_with_both_factors(client, surge):
    User.objects.create_user("sans-code", "x@cyberaide.example", "x", is_staff=True, is_superuser=True)
    client.login(username="sans-code", password="x")

    response = client.get(reverse("admin:observatory_surge_changelist"))

    assert response.status_code == 302


@pytest.mark.django_db
def test_similar_descriptions_are_proposed_together_and_grouped_by_staff(analyst, reports):
    suggestions = analyst.get(reverse("admin:observatory_reportgroup_suggest"))
    page = suggestions.content.decode()
    assert suggestions.status_code == 200
    assert "4 descriptions" in page and "cpf" in page.lower()
    assert "un voisin utilise mon wifi" not in page

    cpf_ids = ",".join(str(report.pk) for report in reports[:4])
    response = analyst.post(
        reverse("admin:observatory_reportgroup_suggest"), {"name": "Faux conseillers CPF", "reports": cpf_ids}
    )

    group = ReportGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:observatory_reportgroup_change", args=[group.pk])
    assert group.reports.count() == 4
    assert set(UnmatchedReport.objects.filter(groups=group).values_list("status", flat=True)) == {"reviewed"}
    assert LogEntry.objects.filter(object_id=str(group.pk), action_flag=1).exists()
    assert "4 descriptions" not in analyst.get(reverse("admin:observatory_reportgroup_suggest")).content.decode()


@pytest.mark.django_db
def test_descriptions_already_grouped_cannot_be_grouped_again(analyst, reports):
    ids = ",".join(str(report.pk) for report in reports[:4])
    analyst.post(reverse("admin:observatory_reportgroup_suggest"), {"name": "CPF", "reports": ids})

    response = analyst.post(
        reverse("admin:observatory_reportgroup_suggest"), {"name": "Encore", "reports": ids}, follow=True
    )

    assert ReportGroup.objects.count() == 1
    assert "déjà dans un groupe" in response.content.decode()


@pytest.fixture
def group(reports, analyst):
    from cyberaide.observatory import services

    return services.create_group(name="Faux conseillers CPF", report_ids=[r.pk for r in reports[:4]], by=None)


@pytest.mark.django_db
def test_a_group_becomes_a_change_of_the_questionnaire(analyst, group, graph_version):
    response = analyst.post(
        reverse("admin:observatory_reportgroup_decide", args=[group.pk]),
        {"decision": "journey_change", "incident_code": "phishing"},
    )

    draft = GraphVersion.objects.get(status=GraphVersion.Status.DRAFT)
    assert response["Location"] == reverse("admin:diagnostic_graphversion_change", args=[draft.pk])
    assert "Faux conseillers CPF" in draft.note
    assert draft.data == graph_version.data
    group.refresh_from_db()
    assert (group.decision, group.incident_code, group.decided_by.username) == (
        "journey_change",
        "phishing",
        "analyste",
    )
    assert LogEntry.objects.filter(object_id=str(group.pk), change_message__contains="Modification").exists()


@pytest.mark.django_db
def test_a_group_becomes_a_new_incident_type(analyst, group, graph_version):
    response = analyst.post(
        reverse("admin:observatory_reportgroup_decide", args=[group.pk]),
        {"decision": "new_incident", "incident_code": "faux_cpf"},
    )

    assert response["Location"].startswith(reverse("admin:diagnostic_incidenttype_add") + "?code=faux_cpf&name=Faux")
    assert analyst.get(response["Location"]).status_code == 200
    group.refresh_from_db()
    assert (group.decision, group.incident_code) == ("new_incident", "faux_cpf")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "new_incident", "incident_code": ""}, "Donnez le code du nouveau type"),
        ({"decision": "new_incident", "incident_code": "phishing"}, "existe déjà"),
        ({"decision": "journey_change", "incident_code": "inconnu"}, "Aucun type d'incident n'a le code"),
        ({"decision": "open"}, "Sélectionnez un choix valide"),
        ({"decision": "new_incident", "incident_code": "pas un code !"}, "ne doit contenir que des lettres"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(analyst, group, graph_version, data, message):
    response = analyst.post(reverse("admin:observatory_reportgroup_decide", args=[group.pk]), data, follow=True)

    assert message in response.content.decode() or message in str(list(response.context["messages"]))
    group.refresh_from_db()
    assert group.decision == "open"
    assert not GraphVersion.objects.filter(status=GraphVersion.Status.DRAFT).exists()


@pytest.mark.django_db
def test_a_decision_is_taken_once(analyst, group, graph_version):
    url = reverse("admin:observatory_reportgroup_decide", args=[group.pk])
    analyst.post(url, {"decision": "no_action"})

    response = analyst.post(url, {"decision": "journey_change"}, follow=True)

    group.refresh_from_db()
    assert group.decision == "no_action"
    assert "déjà été prise" in response.content.decode()


@pytest.mark.django_db
def test_the_public_never_sees_the_descriptions(client, reports, taxonomy):
    from cyberaide.observatory import publication, rollups

    from .helpers import month_of_journeys, save

    save(*month_of_journeys(date(2026, 1, 1)))
    rollups.rebuild()
    publication.publish(today=date(2026, 3, 1))
    for name in ("observatory:overview", "observatory:open_data", "observatory:cells_csv", "observatory:cells_json"):
        page = client.get(reverse(name)).content.decode()
        assert "parcours" in page.lower()  # the page has its figures...
        assert "droits formation" not in page and "wifi" not in page  # ... and none of the descriptions
    assert client.get(reverse("admin:observatory_reportgroup_suggest")).status_code == 302


@pytest.fixture
def viewer(client, verified_login, db):
    """A member of staff who may read surges and groups, and change nothing."""
    user = User.objects.create_user("lecteur", "lecteur@cyberaide.example", "x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_surge", "view_reportgroup"]))
    return verified_login(client, user)


@pytest.mark.django_db
def test_staff_who_may_only_read_cannot_acknowledge_a_surge(viewer, surge):
    response = viewer.post(
        reverse("admin:observatory_surge_changelist"), {"action": "acknowledge", "_selected_action": [surge.pk]}
    )

    surge.refresh_from_db()
    assert surge.acknowledged_at is None
    assert response.status_code in (200, 302, 403)


@pytest.mark.django_db
def test_grouping_needs_the_right_to_read_descriptions(viewer, reports):
    assert viewer.get(reverse("admin:observatory_reportgroup_suggest")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("reports_field", ["99999999999999999999999", "1,2,x", "", ",".join(["1"] * 6000)])
def test_a_tampered_list_of_descriptions_is_refused_clearly(analyst, reports, reports_field):
    response = analyst.post(
        reverse("admin:observatory_reportgroup_suggest"), {"name": "Essai", "reports": reports_field}, follow=True
    )

    assert response.status_code == 200
    assert not ReportGroup.objects.exists()
    assert any(
        "illisible" in str(message) or "Champ requis" in str(message) for message in response.context["messages"]
    )


@pytest.mark.django_db
def test_a_decision_that_opens_a_draft_needs_the_right_to_edit_the_questionnaire(
    client, verified_login, group, graph_version
):
    user = User.objects.create_user("moderation", "m@cyberaide.example", "x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_reportgroup", "view_reportgroup"]))
    verified_login(client, user)

    client.post(reverse("admin:observatory_reportgroup_decide", args=[group.pk]), {"decision": "journey_change"})

    group.refresh_from_db()
    assert group.decision == "open"
    assert not GraphVersion.objects.filter(status=GraphVersion.Status.DRAFT).exists()


@pytest.mark.django_db
def test_a_draft_that_cannot_be_opened_is_explained_and_nothing_changes(analyst, group, graph_version):
    """A type created earlier but not yet in the questionnaire makes any copy of it invalid."""
    from cyberaide.diagnostic.models import IncidentType

    model = IncidentType.objects.get(code="phishing")
    model.pk, model.code, model.name = None, "faux_cpf", "Faux conseiller CPF"
    model.save()

    response = analyst.post(
        reverse("admin:observatory_reportgroup_decide", args=[group.pk]), {"decision": "journey_change"}, follow=True
    )

    assert "n'a pas pu être ouvert" in str(list(response.context["messages"]))
    group.refresh_from_db()
    assert group.decision == "open"
    assert not GraphVersion.objects.filter(status=GraphVersion.Status.DRAFT).exists()


def test_a_surge_shows_what_its_victims_reported_to_the_anti_scam_filter(analyst, surge):
    from datetime import datetime

    from django.utils import timezone

    from cyberaide.antiscam import services as antiscam
    from cyberaide.antiscam.extract import classify_single
    from cyberaide.antiscam.models import Report

    during = timezone.make_aware(datetime(2026, 3, 11, 15, 0))
    for network in ("203.0.113.1", "198.51.100.1", "192.0.2.1"):
        antiscam.record_reports(
            found=[classify_single("chantage-webcam@example.org")],
            incident_code="sextortion_bluff",
            source=antiscam.source_key(network),
        )
    antiscam.record_reports(
        found=[classify_single("https://autre-arnaque.info/")], incident_code="phishing", source=""
    )
    Report.objects.update(reported_at=during)
    page = analyst.get(reverse("admin:observatory_surge_change", args=[surge.pk])).content.decode()
    assert "chantage-webcam@example.org</a> : 3 signalement(s)" in page
    assert "autre-arnaque.info" not in page
