"""The free-text triage: the corpus, the classifier, what a victim's words lead to on the pages and over the API,
and how staff teach it."""

from collections import Counter

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaide.diagnostic import engine, suggestions, triage
from cyberaide.diagnostic.graphs import graph_for_version_id
from cyberaide.diagnostic.models import (
    DiagnosticResult,
    DiagnosticSession,
    JourneyRecord,
    TriageModel,
    UnmatchedReport,
)
from tests.helpers import text_of

from .paths import first_question

FAKE_ADVISER = "un faux conseiller de ma banque m'a fait valider des virements hier, mon compte est vide"
MIN_PER_INCIDENT = 40


@pytest.fixture(scope="module")
def corpus(incident_audiences):
    return triage.load_shipped(incident_audiences)


@pytest.fixture(scope="module")
def shipped_model(corpus):
    """The model of the shipped corpus, as the site uses it when staff have put none in service."""
    return suggestions.trained(corpus)


@pytest.fixture
def graph(graph_version):
    return graph_for_version_id(graph_version.pk)


def nothing_stored():
    return (
        not DiagnosticSession.objects.exists()
        and not UnmatchedReport.objects.exists()
        and not JourneyRecord.objects.exists()
        and not DiagnosticResult.objects.exists()
    )


# The corpus


def test_the_corpus_covers_every_incident_type_for_every_audience_it_concerns(corpus, incident_audiences):
    per_incident = Counter(example.incident for example in corpus)
    assert set(per_incident) == set(incident_audiences)
    assert min(per_incident.values()) >= MIN_PER_INCIDENT, per_incident.most_common()[-5:]
    for code, audiences in incident_audiences.items():
        groups = Counter(engine.GROUP_OF[e.audience] for e in corpus if e.incident == code)
        for group in {engine.GROUP_OF[audience] for audience in audiences}:
            assert groups[group] >= 8, (code, group, groups)


def test_the_corpus_is_varied_as_victims_write(corpus):
    texts = [example.text for example in corpus]
    short = sum(len(text.split()) <= 10 for text in texts)
    no_accents = sum(not any(char in text for char in "éèêàçùâîôû") for text in texts)
    assert short / len(texts) > 0.15 and no_accents / len(texts) > 0.2
    assert len(set(triage.story_groups(corpus))) > 0.95 * len(corpus)  # nearly every description its own story


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"phishingg": [{"audience": "particulier", "text": "un lien"}]}, "type d'incident inconnu « phishingg »"),
        ({"stalkerware": [{"audience": "entreprise", "text": "un espion"}]}, "le public « entreprise »"),
        ({"phishing": [{"audience": "particulier", "text": "a", "writer": "x"}]}, "exactement « audience »"),
        ({"phishing": [{"audience": "particulier", "text": "  "}]}, "description vide"),
        (["phishing"], "doit associer des codes"),
    ],
)
def test_a_broken_corpus_file_is_refused_with_the_reason(data, problem, incident_audiences):
    with pytest.raises(triage.InvalidCorpus) as refused:
        triage.parse(data, "essai.yaml", incident_audiences)
    assert any(problem in message for message in refused.value.problems), refused.value.problems


# The classifier


def test_the_same_corpus_trains_the_same_model(corpus):
    sample = corpus[::5]
    assert triage.train(sample).fingerprint() == triage.train(list(sample)).fingerprint()
    assert triage.train(sample).fingerprint() != triage.train(sample[1:]).fingerprint()


def test_the_command_trains_the_same_model_from_the_same_corpus(db, settings, tmp_path, capsys, shipped_model):
    # In an empty cache folder the command really trains; the model it gets is the one trained before, elsewhere.
    settings.TRIAGE_CACHE_DIR = tmp_path
    call_command("train_triage", folds=0)
    model = TriageModel.objects.get()
    assert model.fingerprint == shipped_model.fingerprint() and list(tmp_path.glob("*.joblib"))
    assert model.examples == len(suggestions.corpus()) and not model.active
    assert "Non mis en service" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text, incident",
    [
        (FAKE_ADVISER, "fake_bank_adviser"),
        ("mes fichiers sont tous chiffrés et un message demande une rançon en bitcoin", "ransomware"),
        ("g recu un sms pr un colis a payer 1,99e jai mis ma cb", "scam_sms"),
        ("on me menace de publier une vidéo de moi nue si je paie pas", "intimate_image_extortion"),
    ],
)
def test_clear_descriptions_get_their_situation_first(shipped_model, text, incident):
    analysis = shipped_model.analyse(triage.check(text).scrubbed, None)
    assert analysis.suggestions[0].incident == incident
    assert not analysis.low_confidence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_text_gets_an_answer_never_an_error(shipped_model, text):
    try:
        checked = triage.check(text)
    except triage.Refused as refused:
        assert refused.code in triage.text.REFUSALS and refused.message
        return
    analysis = shipped_model.analyse(checked.scrubbed, {"phishing", "ransomware", "fake_shop"})
    assert len(analysis.suggestions) <= 3
    assert all(s.incident in {"phishing", "ransomware", "fake_shop"} for s in analysis.suggestions)
    assert all(0 <= s.confidence <= 1 for s in analysis.suggestions)
    assert sum(s.confidence for s in analysis.suggestions) <= 1.0001


# Bad input: a clear answer, nothing stored

BAD_INPUTS = [
    ("", "empty", "Écrivez quelques mots"),
    ("rançongiciel", "too_short", "Un seul mot ne suffit pas"),
    ("arnaque " * 2501, "too_long", "dépasse 20\u202f000 caractères"),
    ("\x00\x01\x02PK\x03\x04 binaire", "not_text", "ne ressemble pas à du texte"),
    ("My bank account was hacked and all my money is gone", "not_understood", "autre langue"),
    ("Mein Bankkonto wurde gehackt und mein Geld ist weg", "not_understood", "autre langue"),
    ("jean.dupont@exemple.fr", "no_description", "qu'une adresse ou un numéro"),
    ("4970 1012 3456 7895", "no_description", "qu'une adresse ou un numéro"),
]


@pytest.mark.parametrize("text, code, message", BAD_INPUTS)
def test_bad_input_on_the_first_page_gets_a_clear_answer_and_nothing_is_stored(client, graph, text, code, message):
    response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "description": text})
    if code == "empty":  # no description: the questionnaire, as without the triage
        assert response.status_code == 302
        assert response["Location"].endswith(f"/question/{first_question(graph, 'particulier').id}/")
        return
    page = text_of(response)
    assert response.status_code == 422 and message in page
    assert "Répondre aux questions" in page
    assert nothing_stored()


@pytest.mark.parametrize("text, code, message", BAD_INPUTS)
def test_bad_input_over_the_api_gets_a_clear_answer_and_nothing_is_stored(client, graph_version, text, code, message):
    response = client.post(
        "/api/v1/diagnostic/triage", {"audience": "particulier", "text": text}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["suggestions"] == [] and body["low_confidence"] is True
    assert body["refused"]["code"] == code
    assert nothing_stored()


def test_the_victims_text_is_never_logged(client, graph_version, caplog):
    caplog.set_level("DEBUG")
    client.post(
        reverse("diagnostic:start"),
        {"audience": "particulier", "description": "mon voisin Jean-Michel Secretnom a piraté mon compte"},
    )
    assert "Secretnom" not in caplog.text


# Choosing a suggestion


def suggest(client, text, audience="particulier"):
    response = client.post(reverse("diagnostic:start"), {"audience": audience, "description": text})
    assert response.status_code == 200
    return text_of(response)


def test_the_first_page_suggests_three_situations_with_how_sure_it_is(client, graph):
    page = suggest(client, FAKE_ADVISER)
    assert page.count("C'est ma situation") == 3
    assert "Faux conseiller bancaire" in page and "Très probable (" in page
    assert "Aucune ne correspond : répondre aux questions" in page
    assert FAKE_ADVISER in page  # shown back, to complete it
    assert nothing_stored()


def test_aucune_ne_correspond_continues_with_the_questionnaire(client, graph):
    response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "situation": ""})
    assert response["Location"].endswith(f"/question/{first_question(graph, 'particulier').id}/")
    assert DiagnosticSession.objects.get().suggested_incident == ""


def test_a_suggestion_continues_at_its_situation_questions(client, graph):
    response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "situation": "fake_bank_adviser"})
    session = DiagnosticSession.objects.get()
    step = engine.resolve(graph, engine.State("particulier", (), "fake_bank_adviser"))
    assert response["Location"].endswith(f"/question/{step.question.id}/") and step.is_situation
    page = text_of(client.get(response["Location"]))
    assert "Vous avez choisi, d'après votre description : <strong>Faux conseiller bancaire</strong>" in page
    assert session.suggested_incident == "fake_bank_adviser"


def test_answers_filled_in_from_a_suggestion_are_shown_and_can_be_changed(client, graph):
    path = engine.neutral_path(graph, "particulier", "stalkerware")
    assert path
    response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "situation": "stalkerware"})
    session = DiagnosticSession.objects.get()
    assert [tuple(pair) for pair in session.answers] == list(path)
    page = text_of(client.get(response["Location"]))
    first = graph.question_for("particulier", path[0][0])
    assert "Réponses déduites de votre choix" in page and first.text in page
    change = reverse("diagnostic:question", args=[session.token, path[0][0]])
    assert f'href="{change}"' in client.get(response["Location"]).content.decode()
    # Changing the first filled-in answer goes back to the questionnaire from there.
    other = next(c.code for c in first.choices_for("particulier") if c.code != path[0][1] and not c.is_not_found)
    client.post(change, {"choice": other})
    session.refresh_from_db()
    assert session.answers[0] == [path[0][0], other]


def walk_not_knowing(graph, state):
    """The situation questions asked to a victim who answers « je ne sais pas » to each, and the outcome."""
    asked = []
    while isinstance(step := engine.resolve(graph, state), engine.QuestionStep):
        assert step.is_situation, step.question.id
        asked.append(step.question.id)
        state = engine.answer(graph, state, step.question.id, engine.UNKNOWN_CHOICE)
    return asked, step


def test_every_suggestion_asks_every_situation_question_and_assumes_nothing(graph):
    """For every audience and incident, the journey continued from a suggestion asks the situation questions a
    victim entering at the incident is asked, and ends with the same assessment: nothing was assumed."""
    for audience in engine.AUDIENCE_CODES:
        for incident in graph.outcomes_for(audience):
            asked, entered = walk_not_knowing(graph, engine.State(audience, (), incident))
            asked_after, suggested = walk_not_knowing(graph, engine.suggested_entry(graph, audience, incident))
            assert asked_after == asked and suggested.incident == incident, (audience, incident)
            assessed = [engine.assess(graph.rules, incident, audience, step.known) for step in (entered, suggested)]
            assert assessed[0] == assessed[1], (audience, incident)


def test_a_suggestion_for_another_audience_falls_back_to_the_questions(client, graph):
    response = client.post(reverse("diagnostic:start"), {"audience": "entreprise", "situation": "stalkerware"})
    assert response["Location"].endswith(f"/question/{first_question(graph, 'entreprise').id}/")


def test_the_result_says_the_situation_was_chosen_from_the_description(client, graph):
    client.post(reverse("diagnostic:start"), {"audience": "particulier", "situation": "fake_bank_adviser"})
    session = DiagnosticSession.objects.get()
    state = engine.State("particulier", (), "fake_bank_adviser")
    answers = {"s_money": "sent", "s_money_when": "recent"}
    while isinstance(step := engine.resolve(graph, state), engine.QuestionStep):
        choice = answers.get(step.question.id, engine.UNKNOWN_CHOICE)
        client.post(reverse("diagnostic:question", args=[session.token, step.question.id]), {"choice": choice})
        state = engine.answer(graph, state, step.question.id, choice)
    result = DiagnosticResult.objects.get()
    assert result.incident.code == "fake_bank_adviser" and result.severity == "critical"
    assert result.answers[0] == {
        "question": "Situation choisie d'après votre description",
        "answer": "Faux conseiller bancaire",
    }


# « Je ne trouve pas »


def not_found(client, graph):
    client.post(reverse("diagnostic:start"), {"audience": "particulier"})
    session = DiagnosticSession.objects.get()
    question = first_question(graph, "particulier").id
    client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": "je_ne_trouve_pas"})
    return session, reverse("diagnostic:describe", args=[session.token])


def test_the_describe_page_suggests_situations_and_stores_nothing_until_sent(client, graph):
    session, url = not_found(client, graph)
    page = text_of(client.post(url, {"description": FAKE_ADVISER}))
    assert "Faux conseiller bancaire" in page and page.count("C'est ma situation") == 3
    assert "Envoyer ma description et voir les conseils" in page
    assert not UnmatchedReport.objects.exists() and not DiagnosticResult.objects.exists()
    response = client.post(url, {"situation": "fake_bank_adviser"})
    session.refresh_from_db()
    assert session.suggested_incident == "fake_bank_adviser" and session.entry_incident == "fake_bank_adviser"
    assert "/question/s_" in response["Location"]


@pytest.mark.parametrize(
    "text, code, message", [entry for entry in BAD_INPUTS if entry[1] not in ("empty", "too_long")]
)
def test_bad_input_on_the_describe_page_gets_a_clear_answer_and_nothing_is_stored(client, graph, text, code, message):
    _, url = not_found(client, graph)
    response = client.post(url, {"description": text})
    page = text_of(response)
    if "\x00" in text:  # refused by the form itself, before any analysis
        assert response.status_code == 422 and "Le caractère nul n’est pas autorisé" in page
    else:
        assert response.status_code == 200 and message in page
        assert "Envoyer ma description et voir les conseils" in page  # the victim may still send it to staff
    assert not UnmatchedReport.objects.exists() and not DiagnosticResult.objects.exists()


def test_a_sent_description_is_stored_scrubbed(client, graph):
    _, url = not_found(client, graph)
    text = "Un faux technicien au 06 12 34 56 78 a pris la main sur mon PC, j'ai payé, écrire à pirate@exemple.fr"
    client.post(url, {"description": text})  # analysed first: nothing stored
    assert not UnmatchedReport.objects.exists()
    client.post(url, {"description": text, "envoyer": "1"})
    stored = UnmatchedReport.objects.get().text
    assert stored == triage.check(text).scrubbed
    assert "06 12" not in stored and "pirate@" not in stored and "[numéro retiré]" in stored


# The API


def test_the_api_suggests_and_the_session_continues_at_the_question_given(client, graph):
    response = client.post(
        "/api/v1/diagnostic/triage",
        {"audience": "particulier", "text": FAKE_ADVISER},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and len(body["suggestions"]) == 3 and body["low_confidence"] is False
    first = body["suggestions"][0]
    assert first["incident"] == "fake_bank_adviser" and first["label"] == "Faux conseiller bancaire"
    assert 0.5 < first["confidence"] <= 1 and first["confidence_label"] == "Très probable"
    assert nothing_stored()
    session = client.post(
        "/api/v1/diagnostic/sessions",
        {"audience": "particulier", "incident": first["incident"]},
        content_type="application/json",
    ).json()
    assert session["question"]["id"] == first["question"] and session["question"]["kind"] == "situation"


def test_the_api_refuses_a_situation_the_audience_cannot_meet(client, graph_version):
    response = client.post(
        "/api/v1/diagnostic/sessions",
        {"audience": "entreprise", "incident": "stalkerware"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "incident_not_for_audience"
    assert not DiagnosticSession.objects.exists()


def test_the_triage_is_rate_limited_like_the_start(client, graph_version, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_TRIAGE = "2/600"
    payload = {"audience": "particulier", "text": FAKE_ADVISER}
    for _ in range(2):
        assert client.post("/api/v1/diagnostic/triage", payload, content_type="application/json").status_code == 200
    response = client.post("/api/v1/diagnostic/triage", payload, content_type="application/json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
    page = client.post(reverse("diagnostic:start"), {"audience": "particulier", "description": FAKE_ADVISER})
    assert page.status_code == 429 and "Trop de descriptions" in text_of(page)


def test_the_triage_is_in_the_openapi_description(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/diagnostic/triage" in schema["paths"]


# Staff teach it


def test_a_labelled_description_changes_the_corpus_export(db, taxonomy, django_user_model):
    staff = django_user_model.objects.create_user("relectrice", password="x", is_staff=True)
    text = "le site de la billetterie du festival a encaissé mes 120 euros et les billets ne sont jamais arrivés"
    report = UnmatchedReport.objects.create(text=text, audience="particulier", graph_version=1)
    other = UnmatchedReport.objects.create(text="une situation jamais vue", audience="particulier", graph_version=1)
    before = suggestions.export_corpus()
    assert text not in before
    suggestions.label(report, "fake_shop", by=staff)
    suggestions.label(other, UnmatchedReport.NEW_TYPE, by=staff)
    after = suggestions.export_corpus()
    assert text in after and "une situation jamais vue" not in after
    exported = triage.parse(__import__("yaml").safe_load(after), "export", suggestions.incident_audiences())
    assert triage.Example("fake_shop", "particulier", text) in exported
    report.refresh_from_db()
    assert report.labelled_by == staff and report.status == UnmatchedReport.Status.REVIEWED


def test_staff_label_a_description_in_the_back_office(staff_client):
    report = UnmatchedReport.objects.create(
        text="on m'a appelé en se faisant passer pour ma banque et j'ai donné le code reçu par sms",
        audience="particulier",
        graph_version=1,
    )
    url = reverse("admin:diagnostic_unmatchedreport_change", args=[report.pk])
    page = text_of(staff_client.get(url))
    assert "ce que le tri des descriptions propose" in page.lower() and "Faux conseiller bancaire" in page
    response = staff_client.post(url, {"label": "fake_bank_adviser"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.label == "fake_bank_adviser" and report.labelled_by == staff_client.user
    assert LogEntry.objects.filter(object_id=str(report.pk)).exists()
    export = staff_client.get(reverse("admin:diagnostic_triagemodel_export"))
    assert report.text in export.content.decode()


def test_a_new_model_is_used_only_once_put_in_service(db, taxonomy):
    in_use = suggestions.classifier()
    report = UnmatchedReport.objects.create(
        text="ma trottinette connectée a été bridée à distance et on me demande de payer pour la débloquer",
        audience="particulier",
        graph_version=1,
    )
    suggestions.label(report, "iot_hacking", by=None)
    model = suggestions.train_model(folds=0)
    assert model.labelled == [{"incident": "iot_hacking", "audience": "particulier", "text": report.text}]
    assert suggestions.classifier() is in_use  # trained, not in service
    suggestions.put_in_service(model)
    assert suggestions.classifier() is not in_use and suggestions.classifier().size == in_use.size + 1
    second = suggestions.put_in_service(suggestions.train_model(folds=0))
    assert list(TriageModel.objects.filter(active=True)) == [second]


@pytest.fixture
def staff_client(client, graph_version, verified_login, django_user_model):
    user = django_user_model.objects.create_user(
        "equipe", password="motdepasse-solide-2026", is_staff=True, is_superuser=True
    )
    verified_login(client, user)
    client.user = user
    return client
