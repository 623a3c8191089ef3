"""The JSON API that partner sites use, including every bad input the issue names."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cyberaide.diagnostic.graphs import graph_for_version_id
from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, JourneyRecord, UnmatchedReport

from .paths import first_question, journey_to, path_to, two_step_path

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


@pytest.fixture
def graph(graph_version):
    return graph_for_version_id(graph_version.pk)


def post(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def new_session(client, audience="particulier"):
    response = post(client, f"{BASE}/diagnostic/sessions", {"audience": audience})
    assert response.status_code == 201, response.content
    return response.json()


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]  # French, for the victim


def snapshot(session_id):
    session = DiagnosticSession.objects.get(token=session_id)
    return session.answers, session.status, DiagnosticResult.objects.count(), JourneyRecord.objects.count()


def test_incidents_list(client, graph_version):
    body = client.get(f"{BASE}/incidents").json()
    codes = {incident["code"] for incident in body}
    assert {"phishing", "ransomware", "sextortion_bluff", "fake_bank_adviser", "domain_abuse"} <= codes
    assert all(incident["name"] and incident["audiences"] for incident in body)
    assert len(body) >= 50


def test_walk_to_an_outcome(client, graph):
    session = new_session(client, "collectivite")
    assert session["question"]["id"] == first_question(graph, "collectivite").id
    assert session["question"]["choices"][-1]["code"] == "je_ne_trouve_pas"
    situation = {"s_activity": "stopped", "s_others_data": "exposed"}
    kinds = []
    for question, choice in journey_to(graph, "collectivite", "ransomware", situation):
        body = post(
            client, f"{BASE}/diagnostic/sessions/{session['id']}/answers", {"question": question, "choice": choice}
        ).json()
        kinds.append(body["question"]["kind"] if body.get("question") else None)
    assert kinds[-3:] == ["situation", "situation", None]  # the incident is known, then the situation is asked
    assert body["status"] == "finished" and body["outcome"]["code"] == "ransomware"
    assert body["situation"] == situation
    assert body["severity"]["level"] == "critical" and body["severity"]["reasons"]
    assert body["offers"] == {
        "chat": True,
        "providers": True,
        "expertise": ["postes_serveurs", "recuperation_donnees", "reseaux_telephonie"],
    }
    assert body["services"][0] == "cnil_notification" and "csirt" in body["services"]
    assert "thesee" not in body["services"]
    assert body["result_url"].startswith("http://testserver/resultat/")
    again = client.get(f"{BASE}/diagnostic/sessions/{session['id']}").json()
    assert again["outcome"]["code"] == "ransomware" and again["severity"] == body["severity"]
    record = JourneyRecord.objects.get()
    assert (record.channel, record.severity) == ("api", "critical")


def test_situation_questions_offer_i_do_not_know_and_no_not_found(client, graph):
    session = new_session(client)
    url = f"{BASE}/diagnostic/sessions/{session['id']}/answers"
    for question, choice in path_to(graph, "particulier", "phishing"):
        body = post(client, url, {"question": question, "choice": choice}).json()
    assert body["question"]["kind"] == "situation" and body["status"] == "in_progress"
    codes = [choice["code"] for choice in body["question"]["choices"]]
    assert codes[-1] == "je_ne_sais_pas" and "je_ne_trouve_pas" not in codes


def test_a_pure_fraud_without_loss_offers_neither_chat_nor_provider(client, graph):
    session = new_session(client)
    url = f"{BASE}/diagnostic/sessions/{session['id']}/answers"
    situation = {"s_money": "none", "s_device": "untouched"}
    by_phone = [("p_affected", "message"), ("p_message_channel", "call"), ("p_call", "bank_adviser")]
    for question, choice in journey_to(graph, "particulier", "fake_bank_adviser", situation, path=by_phone):
        body = post(client, url, {"question": question, "choice": choice}).json()
    assert body["severity"]["level"] == "low"
    assert body["offers"] == {"chat": False, "providers": False, "expertise": []}
    assert body["services"][0] == "bank"


def test_forged_situation_answers_change_nothing(client, graph):
    session = new_session(client)
    sid = session["id"]
    url = f"{BASE}/diagnostic/sessions/{sid}/answers"
    for question, choice in path_to(graph, "particulier", "fake_bank_adviser"):
        post(client, url, {"question": question, "choice": choice})
    current = client.get(f"{BASE}/diagnostic/sessions/{sid}").json()["question"]["id"]
    before = snapshot(sid)
    cases = [
        ({"question": current, "choice": "forged"}, 422, "unknown_choice"),
        ({"question": current, "choice": "je_ne_trouve_pas"}, 422, "unknown_choice"),
        ({"question": "s_minor", "choice": "minor"}, 409, "question_not_current"),  # not asked on this path
        ({"question": "s_activity", "choice": "stopped"}, 409, "question_not_current"),  # organisations only
        ({"question": "s_nope", "choice": "x"}, 422, "unknown_question"),
    ]
    for payload, status, code in cases:
        assert_error(post(client, url, payload), status, code)
        assert snapshot(sid) == before, payload


def test_back(client, graph):
    session = new_session(client)
    question, choice = two_step_path(graph, "particulier")[0]
    post(client, f"{BASE}/diagnostic/sessions/{session['id']}/answers", {"question": question, "choice": choice})
    body = post(client, f"{BASE}/diagnostic/sessions/{session['id']}/back", {}).json()
    assert body["question"]["id"] == question and body["answers"] == []
    assert_error(post(client, f"{BASE}/diagnostic/sessions/{session['id']}/back", {}), 409, "nothing_to_undo")


def test_not_found_with_a_description(client, graph):
    session = new_session(client)
    body = post(
        client,
        f"{BASE}/diagnostic/sessions/{session['id']}/answers",
        {"question": session["question"]["id"], "choice": "je_ne_trouve_pas", "text": "Appel du 0612345678 bizarre"},
    ).json()
    assert body["not_found"] is True and body["status"] == "finished"
    assert "0612345678" not in UnmatchedReport.objects.get().text


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"audience": "oiv"}, 422, "invalid_request"),
        ({"audience": 3}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
    ],
)
def test_bad_session_creation(client, graph_version, payload, status, code):
    assert_error(post(client, f"{BASE}/diagnostic/sessions", payload), status, code)
    assert not DiagnosticSession.objects.exists() and not JourneyRecord.objects.exists()


def test_bad_answers_change_nothing(client, graph):
    session = new_session(client)
    sid = session["id"]
    url = f"{BASE}/diagnostic/sessions/{sid}/answers"
    first = session["question"]["id"]
    steps = two_step_path(graph, "particulier")
    before = snapshot(sid)
    cases = [
        ({"question": first, "choice": "forged"}, 422, "unknown_choice"),
        ({"question": steps[1][0], "choice": steps[1][1]}, 409, "question_not_current"),  # out of order
        ({"question": "nope", "choice": "x"}, 422, "unknown_question"),
        ({"question": first, "choice": steps[0][1], "graph_version": 999}, 409, "stale_version"),
        ({"question": first}, 422, "invalid_request"),
        ({"question": first, "choice": "x" * 500}, 422, "invalid_request"),
        (
            {"question": first, "choice": "je_ne_trouve_pas", "text": "<img src=x onerror=alert(1)>"},
            422,
            "markup_not_allowed",
        ),
        ({"question": first, "choice": "je_ne_trouve_pas", "text": "a" * 2500}, 422, "description_too_long"),
    ]
    for payload, status, code in cases:
        assert_error(post(client, url, payload), status, code)
        assert snapshot(sid) == before, payload
    assert not UnmatchedReport.objects.exists()


def test_replayed_answer_is_refused(client, graph):
    session = new_session(client)
    question, choice = two_step_path(graph, "particulier")[0]
    url = f"{BASE}/diagnostic/sessions/{session['id']}/answers"
    assert post(client, url, {"question": question, "choice": choice}).status_code == 200
    before = snapshot(session["id"])
    assert_error(post(client, url, {"question": question, "choice": choice}), 409, "question_not_current")
    assert snapshot(session["id"]) == before


def test_answer_after_the_end_is_refused(client, graph):
    session = new_session(client)
    steps = journey_to(graph, "particulier", "phishing")
    url = f"{BASE}/diagnostic/sessions/{session['id']}/answers"
    for question, choice in steps:
        post(client, url, {"question": question, "choice": choice})
    before = snapshot(session["id"])
    assert_error(post(client, url, {"question": steps[-1][0], "choice": steps[-1][1]}), 409, "journey_finished")
    assert snapshot(session["id"]) == before


def test_expired_and_tampered_sessions(client, graph):
    session = new_session(client)
    DiagnosticSession.objects.filter(token=session["id"]).update(updated_at=timezone.now() - timedelta(days=3))
    answer = {"question": session["question"]["id"], "choice": "x"}
    assert_error(post(client, f"{BASE}/diagnostic/sessions/{session['id']}/answers", answer), 410, "session_expired")
    tampered = session["id"][:-2] + ("AA" if not session["id"].endswith("AA") else "BB")
    assert_error(post(client, f"{BASE}/diagnostic/sessions/{tampered}/answers", answer), 404, "session_not_found")
    assert_error(client.get(f"{BASE}/diagnostic/sessions/{tampered}"), 404, "session_not_found")


def test_malformed_and_oversized_json(client, graph):
    session = new_session(client)
    url = f"{BASE}/diagnostic/sessions/{session['id']}/answers"
    before = snapshot(session["id"])
    assert_error(post(client, url, "{not json"), 400, "malformed_json")
    assert_error(
        post(client, url, json.dumps({"question": "a", "choice": "b", "pad": "x" * 200_000})), 413, "body_too_large"
    )
    assert_error(post(client, url, b"\xff\xfe"), 400, "malformed_json")
    assert_error(post(client, url, "[1, 2]"), 422, "invalid_request")
    assert snapshot(session["id"]) == before


def test_openapi_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/diagnostic/sessions" in schema["paths"]
    session = schema["components"]["schemas"]["SessionOut"]["properties"]
    assert {"severity", "offers", "services", "situation"} <= set(session)
    assert "17Cyber" in schema["components"]["schemas"]["OffersOut"]["properties"]["chat"]["description"]
    assert client.get("/api/docs").status_code == 200
