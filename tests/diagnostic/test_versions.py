"""Versions over time: one published before the rules existed, a service removed after publication, and what an
alert's victim is asked."""

import pytest
from django.urls import reverse

from cyberaide.diagnostic import graphs
from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, GraphVersion, OfficialService

from .paths import journey_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_cache():
    graphs._published.clear()
    graphs._pk_of_number.clear()
    yield
    graphs._published.clear()
    graphs._pk_of_number.clear()


def test_a_version_published_before_the_rules_asks_the_situation_with_the_shipped_rules(client, taxonomy, fresh_cache):
    data, _, _ = graphs.read_default_version()
    old = GraphVersion.objects.create(number=1, data=data, status=GraphVersion.Status.PUBLISHED)
    content = graphs.content_for_version_id(old.pk)
    assert content.graph.rules is graphs.shipped_content().graph.rules  # the same in every process
    client.post(reverse("diagnostic:start"), {"audience": "entreprise"})
    session = DiagnosticSession.objects.get()
    for question, choice in journey_to(content.graph, "entreprise", "ransomware", {"s_activity": "stopped"}):
        client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": choice})
    result = DiagnosticResult.objects.get()
    assert result.severity == "critical" and "csirt" in result.service_codes
    page = client.get(reverse("diagnostic:result", args=[result.token])).content.decode()
    assert "Parler maintenant à un policier ou un gendarme" in page and "Les preuves à conserver" in page


def test_removing_a_service_after_publication_breaks_nothing(client, graph_version, fresh_cache):
    OfficialService.objects.filter(code="bloctel").delete()  # no longer protected by a foreign key
    graphs._published.clear()
    client.post(reverse("diagnostic:start"), {"audience": "particulier"})
    session = DiagnosticSession.objects.get()
    graph = graphs.graph_for_version_id(graph_version.pk)
    for question, choice in journey_to(graph, "particulier", "phone_scam", {"s_money": "none"}):
        response = client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": choice})
    result = DiagnosticResult.objects.get()
    assert "bloctel" in result.service_codes  # what the rules said
    page = client.get(response["Location"]).content.decode()
    assert "Bloctel – refuser le démarchage" not in page and "33700 – signaler" in page  # the cards that remain


def test_a_result_made_before_the_rules_shows_no_empty_severity(client, graph_version):
    from cyberaide.diagnostic.models import IncidentType

    result = DiagnosticResult.objects.create(
        audience="particulier", incident=IncidentType.objects.get(code="phishing"), graph_version=graph_version.number
    )
    page = client.get(reverse("diagnostic:result", args=[result.token])).content.decode()
    assert "Gravité :" not in page and "Que faire maintenant" in page


def test_an_alerts_victim_is_asked_about_their_situation_and_nothing_is_assumed(client, graph_version):
    from cyberaide.diagnostic import services

    progress = services.start_session(
        audience="particulier", incident="fake_bank_adviser", from_alert="Vague de faux conseillers bancaires"
    )
    session = progress.session
    assert progress.step.question.id == "s_money" and session.answers == []  # not « money was sent »
    for question, choice in [("s_money", "none"), ("s_device", "untouched")]:
        client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": choice})
    result = DiagnosticResult.objects.get()
    assert (result.severity, result.chat_offered) == ("low", False)
    assert result.answers[0] == {"question": "Vous venez de l'alerte", "answer": "Vague de faux conseillers bancaires"}
    assert [line["question"] for line in result.answers[1:]] == [
        "Avez-vous payé, fait un virement ou donné des informations bancaires ?",
        "Avez-vous installé une application ou laissé quelqu'un prendre la main sur votre appareil ?",
    ]
