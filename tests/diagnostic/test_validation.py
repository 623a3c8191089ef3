"""Each rule that keeps a broken questionnaire from ever reaching a victim."""

import copy

import pytest

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.engine import AUDIENCE_CODES

from .graphs import ALL, SIMPLE, SIMPLE_INCIDENTS, choice, graph_data, question

PROS = ["entreprise", "association", "collectivite"]


def problems(data, incidents=SIMPLE_INCIDENTS):
    return engine.validate_graph_data(data, incidents)


def test_the_simple_graph_and_the_default_questionnaire_are_valid(default_graph, incident_audiences):
    assert problems(SIMPLE) == []
    # Every incident type is reachable by every audience it concerns (checked by load_graph), and nothing else.
    for audience in AUDIENCE_CODES:
        expected = {code for code, audiences in incident_audiences.items() if audience in audiences}
        assert default_graph.outcomes_for(audience) == expected


def test_dead_end_question_without_answers():
    data = graph_data({"q1": question(choice("a", next="q2")), "q2": {"text": "Vide ?", "choices": []}})
    assert any("impasse" in p and "q2" in p for p in problems(data))


def test_dead_end_answer_leading_nowhere():
    data = graph_data({"q1": question(choice("a", next="q9"), choice("b", outcome="phishing"))})
    assert any("q9" in p and "n'existe pas" in p for p in problems(data))


def test_dead_end_for_one_audience_only():
    data = graph_data(
        {
            "q1": question(choice("a", next="q2"), choice("b", outcome="phishing")),
            "q2": question(choice("c", outcome="ransomware", audiences=["entreprise"])),
        }
    )
    found = problems(data, {"phishing": ALL, "ransomware": ["entreprise"]})
    assert any("q2" in p and "particuliers" in p and "impasse" in p for p in found)


def test_unreachable_question():
    data = copy.deepcopy(SIMPLE)
    data["questions"]["orphan"] = question(choice("x", outcome="phishing"))
    assert any("orphan" in p and "inaccessible" in p for p in problems(data))


def test_cycle():
    data = graph_data(
        {
            "q1": question(choice("a", next="q2"), choice("b", outcome="phishing")),
            "q2": question(choice("c", next="q3")),
            "q3": question(choice("d", next="q1"), choice("e", outcome="ransomware")),
        }
    )
    found = problems(data)
    assert any("Boucle" in p and "q1 → q2 → q3 → q1" in p for p in found)


def test_outcome_that_is_not_a_known_incident_type():
    data = graph_data({"q1": question(choice("a", outcome="alien_invasion"), choice("b", outcome="phishing"))})
    assert any(
        "alien_invasion" in p and "pas un type d'incident connu" in p for p in problems(data, {"phishing": ALL})
    )


def test_audience_with_no_path_to_an_outcome():
    data = graph_data(
        {"q1": question(choice("a", next="q2")), "q2": question(choice("b", outcome="phishing", audiences=PROS))},
    )
    found = problems(data, {"phishing": PROS})
    assert "Les particuliers n'ont aucun chemin vers un diagnostic." in found


def test_incident_that_an_audience_it_concerns_cannot_reach():
    found = problems(SIMPLE, {**SIMPLE_INCIDENTS, "ceo_fraud": PROS})
    assert any("ceo_fraud" in p and "entreprises" in p and "aucun chemin" in p for p in found)


def test_incident_offered_to_an_audience_it_does_not_concern():
    found = problems(SIMPLE, {"phishing": ALL, "ransomware": PROS})
    assert any("ransomware" in p and "particuliers" in p and "ne les concerne pas" in p for p in found)


@pytest.mark.parametrize(
    "data, expected",
    [
        ("pas un objet", "Le fichier doit décrire un objet"),
        ({"title": "x", "audiences": [], "questions": {}}, "aucune question"),
        (
            graph_data({"q1": question(choice("a", outcome="phishing"))}) | {"audiences": []},
            "Les publics doivent être",
        ),
        (graph_data({"q1": question(choice("a", next="q1", outcome="phishing"))}), "soit à une question"),
        (graph_data({"q1": question(choice("je_ne_trouve_pas", outcome="phishing"))}), "réservé"),
        (
            graph_data({"Q 1": question(choice("a", outcome="phishing"))}, starts={c: "Q 1" for c in ALL}),
            "identifiant",
        ),
        (graph_data({"q1": question(choice("a", outcome="phishing"), choice("a", outcome="phishing"))}), "deux fois"),
        (graph_data({"q1": question(choice("a", outcome="phishing", audiences=["martiens"]))}), "audiences"),
    ],
)
def test_malformed_files_are_explained(data, expected):
    assert any(expected in p for p in problems(data))


def test_invalid_graph_raises_with_every_problem():
    data = graph_data({"q1": question(choice("a", next="q9")), "q2": {"text": "", "choices": []}})
    with pytest.raises(engine.InvalidGraph) as error:
        engine.load_graph(data, SIMPLE_INCIDENTS)
    assert len(error.value.problems) >= 3
