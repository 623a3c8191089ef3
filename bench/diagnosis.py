"""The situation-aware diagnosis, in-process and without Django: how many questions victims answer, and what the
rules cost.

- Questions: over the team's victims' situations (tests/diagnostic/situations_*.yaml, the specification of the
  diagnosis) and over every situation the shipped questionnaire can end in.
- Time: assessing a situation, checking a whole version before it is saved (every situation walked), and comparing
  two versions (what the back office shows before publishing).

`python bench/diagnosis.py` prints the figures as JSON; bench/run.py writes them into docs/benchmarks.md.
"""

import copy
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaide.diagnostic import engine  # noqa: E402

DATA = ROOT / "cyberaide" / "diagnostic" / "data"
STORIES = sorted((ROOT / "tests" / "diagnostic").glob("situations_*.yaml"))
EXPERTISE = (
    "postes_serveurs",
    "mobiles",
    "sites_web",
    "reseaux_telephonie",
    "comptes_messageries",
    "recuperation_donnees",
)
ROUNDS = 5


def read(name):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def catalogue() -> engine.Catalogue:
    return engine.Catalogue(
        incidents={e["code"]: e["audiences"] for e in read("incidents.yaml")},
        services={e["code"]: e.get("audiences") for e in read("official_services.yaml")},
        expertise=EXPERTISE,
    )


def shipped() -> engine.Graph:
    return engine.load_questionnaire(read("graph.yaml"), read("rules.yaml"), catalogue())


def questions_of_stories(graph: engine.Graph) -> list[int]:
    counts = []
    for path in STORIES:
        for story in yaml.safe_load(path.read_text(encoding="utf-8")):
            answers, state = story["answers"], engine.start(graph, story["audience"])
            while isinstance(step := engine.resolve(graph, state), engine.QuestionStep):
                state = engine.answer(graph, state, step.question.id, answers[step.question.id])
            counts.append(len(state.answers))
    return counts


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def best_of(function, rounds=ROUNDS) -> float:
    """The best wall time of ``rounds`` calls, in seconds (the others are the machine's noise)."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main():
    graph = shipped()
    stories = questions_of_stories(graph)
    situations = list(engine.situations(graph))
    every = [situation.questions_asked for situation in situations]
    timings = []
    for situation in situations:
        t0 = time.perf_counter_ns()
        engine.assess(graph.rules, situation.incident, situation.audience, situation.known)
        timings.append(time.perf_counter_ns() - t0)
    changed = copy.deepcopy(read("rules.yaml"))
    changed["incidents"]["fake_charity"]["severity"] = "medium"
    draft = engine.load_questionnaire(read("graph.yaml"), changed, catalogue())
    figures = {
        "stories": len(stories),
        "story_median": statistics.median(stories),
        "story_mean": statistics.mean(stories),
        "story_max": max(stories),
        "story_distribution": dict(sorted(Counter(stories).items())),
        "situations": len(situations),
        "situation_median": statistics.median(every),
        "situation_max": max(every),
        "incidents": len(graph.rules.incidents),
        "situation_questions": len(graph.rules.questions),
        "rules": len(graph.rules.rules),
        "assess_p50_us": percentile(timings, 0.5) / 1000,
        "assess_p95_us": percentile(timings, 0.95) / 1000,
        "check_ms": best_of(shipped) * 1000,
        "compare_ms": best_of(lambda: engine.compare(graph, draft)) * 1000,
        "changes": len(engine.compare(graph, draft).changes),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
