"""The specification of the diagnosis, as victims' situations: for each story, the answers its victim gives and what
the result must offer (incident, severity, chat, providers, services).

The stories are in ``situations_particuliers.yaml`` and ``situations_professionnels.yaml``, written by the team
from what the national service offers in each case; read them as the specification.
"""

import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml

from cyberaide.diagnostic import engine

HERE = Path(__file__).parent
FILES = ("situations_particuliers.yaml", "situations_professionnels.yaml")


def load_stories() -> list[tuple[str, dict]]:
    stories = []
    for name in FILES:
        for number, story in enumerate(yaml.safe_load((HERE / name).read_text(encoding="utf-8")), start=1):
            label = f"{name.split('_')[1][:4]}-{number:03d}-{story['expect']['incident']}"
            stories.append((label, story))
    return stories


STORIES = load_stories()


def walk(graph: engine.Graph, story: dict) -> tuple[engine.OutcomeStep, list[str]]:
    """Answer each question asked with the story's answer; every answer of the story must be asked for."""
    answers = dict(story["answers"])
    state = engine.start(graph, story["audience"])
    asked = []
    while True:
        step = engine.resolve(graph, state)
        if not isinstance(step, engine.QuestionStep):
            break
        question = step.question.id
        assert question in answers, f"the story does not say what the victim answers to « {step.question.text} »"
        asked.append(question)
        state = engine.answer(graph, state, question, answers[question])
    assert isinstance(step, engine.OutcomeStep), "the journey ended on « je ne trouve pas »"
    assert set(answers) == set(asked), f"answers never asked for: {sorted(set(answers) - set(asked))}"
    return step, asked


@pytest.mark.parametrize("story", [story for _, story in STORIES], ids=[label for label, _ in STORIES])
def test_the_diagnosis_offers_what_the_situation_calls_for(default_graph, story):
    step, _ = walk(default_graph, story)
    expected = story["expect"]
    result = engine.assess(default_graph.rules, step.incident, story["audience"], step.known)
    assert step.incident == expected["incident"]
    assert result.level == expected["severity"]
    assert result.chat == expected["chat"]
    assert result.providers == expected["providers"]
    assert set(expected.get("services", ())) <= set(result.services), result.services
    assert not set(expected.get("not_services", ())) & set(result.services), result.services
    if "first_service" in expected:
        assert result.services[0] == expected["first_service"], result.services


def test_the_situations_cover_every_audience_and_every_incident_twice(incident_audiences):
    assert len(STORIES) >= 120
    audiences = Counter(story["audience"] for _, story in STORIES)
    assert set(audiences) == set(engine.AUDIENCE_CODES) and min(audiences.values()) >= 12
    incidents = Counter(story["expect"]["incident"] for _, story in STORIES)
    assert set(incidents) == set(incident_audiences)
    assert min(incidents.values()) >= 2, [code for code, count in incidents.items() if count < 2]
    assert len({story["story"] for _, story in STORIES}) == len(STORIES)  # no story twice


def test_the_journeys_of_the_situations_stay_short(default_graph):
    counts = [len(walk(default_graph, story)[1]) for _, story in STORIES]
    assert statistics.median(counts) <= 5
