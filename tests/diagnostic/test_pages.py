"""The victim journey through the web pages, as a browser without JavaScript sees it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cyberaide.diagnostic.composition import compose
from cyberaide.diagnostic.graphs import graph_for_version_id
from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, JourneyRecord, UnmatchedReport

from .paths import first_question, journey_to, path_to, two_step_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(graph_version):
    return graph_for_version_id(graph_version.pk)


def start(client, audience="particulier"):
    response = client.post(reverse("diagnostic:start"), {"audience": audience})
    assert response.status_code == 302
    return DiagnosticSession.objects.latest("pk"), response["Location"]


def answer(client, session, question, choice):
    return client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": choice})


def test_home_offers_the_three_journeys(client):
    response = client.get(reverse("core:home"))
    content = response.content.decode()
    assert response.status_code == 200
    for text in ["Vous êtes victime", "Vous êtes un prestataire", "sécuriser votre structure", "République"]:
        assert text in content
    assert 'href="#content"' in content  # skip link


def test_full_journey_to_a_result(client, graph):
    session, location = start(client)
    first = first_question(graph, "particulier")
    assert location == reverse("diagnostic:question", args=[session.token, first.id])
    page = client.get(location)
    assert escape(first.text) in page.content.decode() and "Question 1 sur" in page.content.decode()
    situation = {"s_credentials": "entered", "s_money": "none"}
    for question, choice in journey_to(graph, "particulier", "phishing", situation):
        response = answer(client, session, question, choice)
        assert response.status_code == 302
    result = DiagnosticResult.objects.get(session=session)
    assert response["Location"] == reverse("diagnostic:result", args=[result.token])
    assert result.situation == situation and result.severity == "high"
    page = client.get(response["Location"]).content.decode()
    assert "Vous semblez être victime de" in page and escape(result.incident.name) in page
    view = compose(result)
    assert view.actions[0].startswith("Changez tout de suite ce mot de passe")  # from the answers, first
    for action in view.actions:
        assert escape(action) in page
    assert "Gravité : Élevée" in page and escape(view.reasons[0]) in page
    assert "Que faire maintenant" in page and "Les preuves à conserver" in page and "Porter plainte" in page
    assert "Les services officiels à contacter" in page and escape(view.services[0].name) in page
    assert 'id="prestataires"' in page and 'name="lieu"' in page  # an account to recover: providers can help
    record = JourneyRecord.objects.get()
    assert (record.audience, record.incident_code, record.outcome_kind) == ("particulier", "phishing", "incident")
    assert record.severity == "high"
    assert record.finished_at is not None and record.started_at.second == 0


def test_result_link_is_unguessable_and_unknown_tokens_are_404(client, graph):
    session, _ = start(client)
    for question, choice in journey_to(graph, "particulier", "ransomware"):
        answer(client, session, question, choice)
    result = DiagnosticResult.objects.get()
    assert len(result.token) >= 32 and result.token != session.token
    assert client.get(reverse("diagnostic:result", args=["a" * 32])).status_code == 404
    assert client.get(reverse("diagnostic:resume", args=["forged-token"])).status_code == 404


def test_printable_and_pdf_summary(client, graph):
    session, _ = start(client, "entreprise")
    for question, choice in journey_to(graph, "entreprise", "ceo_fraud"):
        answer(client, session, question, choice)
    result = DiagnosticResult.objects.get()
    printable = client.get(reverse("diagnostic:result_print", args=[result.token])).content.decode()
    assert "Résumé de votre diagnostic" in printable and result.answers[0]["question"] in printable.replace(
        "&#x27;", "'"
    )
    pdf = client.get(reverse("diagnostic:result_pdf", args=[result.token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_browser_back_shows_the_earlier_question_with_its_answer_and_it_can_be_changed(client, graph):
    session, _ = start(client)
    steps = two_step_path(graph, "particulier")
    assert len(steps) >= 2
    answer(client, session, *steps[0])
    answer(client, session, *steps[1])
    page = client.get(reverse("diagnostic:question", args=[session.token, steps[0][0]])).content.decode()
    assert f'value="{steps[0][1]}" checked' in page
    # Change the first answer: what followed it is forgotten.
    other = next(c.code for c in graph.questions[steps[0][0]].choices_for("particulier") if c.code != steps[0][1])
    answer(client, session, steps[0][0], other)
    session.refresh_from_db()
    assert session.answers == [[steps[0][0], other]] or session.status == "finished"


def test_a_double_submitted_answer_changes_nothing(client, graph):
    session, _ = start(client)
    steps = journey_to(graph, "particulier", "phishing")
    for question, choice in steps:
        answer(client, session, question, choice)
    answer(client, session, *steps[-1])  # the same form posted again
    assert DiagnosticResult.objects.count() == 1


def test_forged_choice_is_refused_and_nothing_changes(client, graph):
    session, location = start(client)
    question = first_question(graph, "particulier").id
    response = answer(client, session, question, "<script>alert(1)</script>")
    assert response.status_code == 422
    assert "Cette réponse ne fait pas partie des choix proposés." in response.content.decode()
    session.refresh_from_db()
    assert session.answers == []


def test_missing_choice_asks_for_one(client, graph):
    session, _ = start(client)
    response = client.post(
        reverse("diagnostic:question", args=[session.token, first_question(graph, "particulier").id])
    )
    assert response.status_code == 422 and "Choisissez une réponse" in response.content.decode()


def test_question_out_of_the_path_is_refused(client, graph):
    session, _ = start(client)
    steps = two_step_path(graph, "particulier")
    response = client.post(reverse("diagnostic:question", args=[session.token, steps[1][0]]), {"choice": steps[1][1]})
    assert response.status_code == 409
    assert "ne fait pas partie de votre parcours" in response.content.decode()
    assert client.get(reverse("diagnostic:question", args=[session.token, "no_such_question"])).status_code == 404
    session.refresh_from_db()
    assert session.answers == []


def test_expired_session_says_so(client, graph):
    session, _ = start(client)
    DiagnosticSession.objects.filter(pk=session.pk).update(updated_at=timezone.now() - timedelta(days=2))
    response = answer(client, session, first_question(graph, "particulier").id, "x")
    assert response.status_code == 410 and "a expiré" in response.content.decode()


def test_audience_is_required(client, graph_version):
    response = client.post(reverse("diagnostic:start"), {"audience": "martien"})
    assert response.status_code == 422 and "Choisissez qui vous êtes" in response.content.decode()
    assert not DiagnosticSession.objects.exists()


def test_operators_of_vital_importance_are_sent_to_anssi(client, graph):
    code = graph.out_of_scope[0].code
    response = client.post(reverse("diagnostic:start"), {"audience": code})
    assert response["Location"] == reverse("diagnostic:out_of_scope", args=[code])
    page = client.get(response["Location"]).content.decode()
    assert "ANSSI" in page
    assert not DiagnosticSession.objects.exists()
    assert JourneyRecord.objects.get().outcome_kind == "out_of_scope"


def test_not_found_route_scrubs_personal_data_and_reaches_staff(client, graph):
    session, _ = start(client)
    answer(client, session, first_question(graph, "particulier").id, "je_ne_trouve_pas")
    text = (
        "On m'appelle du 06 12 34 56 78 pour un remboursement, écrire à arnaque@exemple.fr, "
        "IBAN FR7630006000011234567890189"
    )
    response = client.post(reverse("diagnostic:describe", args=[session.token]), {"description": text, "envoyer": "1"})
    result = DiagnosticResult.objects.get()
    assert response["Location"] == reverse("diagnostic:result", args=[result.token])
    report = UnmatchedReport.objects.get()
    for secret in ["06 12 34 56 78", "arnaque@exemple.fr", "FR76"]:
        assert secret not in report.text and secret not in result.description
    assert "[numéro retiré]" in report.text and "[adresse e-mail retirée]" in report.text
    page = client.get(response["Location"]).content.decode()
    assert "Nos premiers conseils" in page and "Les services officiels à contacter" in page
    assert JourneyRecord.objects.get().outcome_kind == "not_found"


def test_markup_in_the_description_is_refused_and_nothing_is_stored(client, graph):
    session, _ = start(client)
    answer(client, session, first_question(graph, "particulier").id, "je_ne_trouve_pas")
    url = reverse("diagnostic:describe", args=[session.token])
    response = client.post(url, {"description": "<script>x</script>", "envoyer": "1"})
    assert response.status_code == 422 and "code HTML" in response.content.decode()
    assert not UnmatchedReport.objects.exists() and not DiagnosticResult.objects.exists()
    response = client.post(url, {"description": "x" * 2001})
    assert response.status_code == 422 and "2000 caractères" in response.content.decode()


def test_departement_is_recorded_once_and_validated(client, graph):
    session, _ = start(client)
    for question, choice in journey_to(graph, "particulier", "phishing"):
        answer(client, session, question, choice)
    result = DiagnosticResult.objects.get()
    url = reverse("diagnostic:result_departement", args=[result.token])
    assert client.post(url, {"departement": "99"}).status_code == 422
    assert client.post(url, {"departement": "2A"}).status_code == 302
    client.post(url, {"departement": "75"})
    assert JourneyRecord.objects.get().departement == "2A"


def test_no_third_party_request_and_a_strict_csp(client, graph_version):
    response = client.get(reverse("diagnostic:start"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    content = response.content.decode()
    for attribute in ['src="http', "src='http", 'href="//', "url(http"]:
        assert attribute not in content
    assert "<link" in content and 'href="/static/' in content


def test_question_page_query_count(client, graph, django_assert_max_num_queries):
    session, location = start(client)
    with django_assert_max_num_queries(3):
        assert client.get(location).status_code == 200


def test_only_the_browser_that_made_the_journey_may_change_the_answers(client, graph):
    session, _ = start(client)
    for question, choice in journey_to(graph, "particulier", "phishing"):
        answer(client, session, question, choice)
    result_url = reverse("diagnostic:result", args=[DiagnosticResult.objects.get().token])
    session.refresh_from_db()
    change_url = reverse("diagnostic:question", args=[session.token, session.answers[-1][0]])
    assert change_url in client.get(result_url).content.decode()
    assert session.token not in Client().get(result_url).content.decode()  # someone the link was shared with


def test_situation_questions_follow_the_incident_and_refuse_what_was_not_asked(client, graph):
    session, _ = start(client)
    for question, choice in path_to(graph, "particulier", "phishing"):
        response = answer(client, session, question, choice)
    assert response["Location"] == reverse("diagnostic:question", args=[session.token, "s_credentials"])
    page = client.get(response["Location"]).content.decode()
    assert "Nous avons reconnu votre situation" in page and "Hameçonnage" in page
    assert 'value="je_ne_sais_pas"' in page and 'value="je_ne_trouve_pas"' not in page
    session.refresh_from_db()
    before = list(session.answers)
    cases = [
        ("s_credentials", "forged", 422, "ne fait pas partie des choix proposés"),
        ("s_credentials", "je_ne_trouve_pas", 422, "ne fait pas partie des choix proposés"),
        ("s_minor", "minor", 409, "ne fait pas partie de votre parcours"),  # not asked for phishing
        ("s_activity", "stopped", 409, "ne fait pas partie de votre parcours"),  # organisations only
    ]
    for question, choice, status, message in cases:
        response = answer(client, session, question, choice)
        assert response.status_code == status and message in response.content.decode(), question
        session.refresh_from_db()
        assert session.answers == before and not DiagnosticResult.objects.exists()


def test_changing_the_incident_forgets_the_situation_answers(client, graph):
    session, _ = start(client)
    for question, choice in journey_to(graph, "particulier", "phishing", {"s_credentials": "entered"}):
        answer(client, session, question, choice)
    first_result = DiagnosticResult.objects.get()
    assert first_result.situation["s_credentials"] == "entered"
    # Back to the questionnaire's last question, another answer: the situation is asked again for the new incident.
    question, _ = path_to(graph, "particulier", "phishing")[-1]
    other = next(
        c.code
        for c in graph.questions[question].choices_for("particulier")
        if c.outcome and c.outcome != "phishing" and not c.implies
    )
    response = answer(client, session, question, other)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.answers[-1] == [question, other]  # what followed the changed answer is forgotten
    assert "s_credentials" not in dict(session.answers)
