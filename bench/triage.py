"""The free-text triage, in-process and without Django: how often the right incident type is suggested, how long
a text takes, and how much memory the model holds.

- Cross-validation on the team's corpus (cyberaide/diagnostic/data/triage/), five folds, stratified by incident
  type and grouped by story (near-copies never on both sides).
- The separate set (bench/triage_stories.yaml): stories written apart from the corpus, from the list of incident
  types only, by someone who never saw the corpus. The model is trained on the whole corpus.
- Time per text (scrubbing, checks and analysis, as the site runs them) over the separate set and long pastes.

`python bench/triage.py` prints the figures as JSON; bench/run.py writes them into docs/benchmarks.md.
"""

import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaide.diagnostic import triage  # noqa: E402

INCIDENTS = ROOT / "cyberaide" / "diagnostic" / "data" / "incidents.yaml"
STORIES = ROOT / "bench" / "triage_stories.yaml"
# A second set written apart the same way, told as hurriedly and vaguely as real messages: the harder measure.
MESSY_STORIES = ROOT / "bench" / "triage_stories_messy.yaml"
TIMING_ROUNDS = 5
TOP1_TARGET, TOP3_TARGET, P95_TARGET_MS = 0.85, 0.97, 20


def incident_audiences() -> dict[str, list[str]]:
    return {entry["code"]: entry["audiences"] for entry in yaml.safe_load(INCIDENTS.read_text(encoding="utf-8"))}


def stories(path: Path = STORIES) -> list[triage.Example]:
    return [
        triage.Example(entry["incident"], entry["audience"], entry["text"])
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def timed_analyses(classifier: triage.Classifier, texts: list[str], allowed: dict) -> list[float]:
    timings = []
    for _ in range(TIMING_ROUNDS):
        for text in texts:
            started = time.perf_counter()
            checked = triage.check(text)
            classifier.analyse(checked.scrubbed, allowed["particulier"])
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def run() -> dict:
    incidents = incident_audiences()
    allowed = triage.allowed_by_audience(incidents)
    corpus = triage.load_shipped(incidents)
    started = time.perf_counter()
    cross = triage.cross_validate(corpus, allowed)
    cross_seconds = time.perf_counter() - started

    tracemalloc.start()
    started = time.perf_counter()
    classifier = triage.train(corpus)
    train_seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    separate = stories()
    apart = triage.score(classifier, separate, allowed)
    messy = triage.score(classifier, stories(MESSY_STORIES), allowed)
    texts = [story.text for story in separate]
    pasted = [" ".join(texts[i : i + 40]) for i in range(0, len(texts), 40)]  # long pastes of 1,000-5,000 chars
    timings = timed_analyses(classifier, texts, allowed)
    long_timings = timed_analyses(classifier, pasted, allowed)
    return {
        "corpus": {
            "examples": len(corpus),
            "incidents": len({example.incident for example in corpus}),
            "stories": len(set(triage.story_groups(corpus))),
        },
        "cross_validation": cross.as_dict(),
        "cross_validation_seconds": round(cross_seconds, 1),
        "separate": apart.as_dict(),
        "separate_misses": [{"text": t, "expected": e, "suggested": s} for t, e, s in apart.misses],
        "messy": messy.as_dict(),
        "train_seconds": round(train_seconds, 2),
        "train_peak_mb": round(peak / 2**20, 1),
        "model_mb": round(classifier.memory_bytes() / 2**20, 1),
        "time_ms": {
            "texts": len(timings),
            "p50": round(statistics.median(timings), 2),
            "p95": round(sorted(timings)[int(0.95 * len(timings))], 2),
            "max": round(max(timings), 2),
            "long_p95": round(sorted(long_timings)[int(0.95 * len(long_timings))], 2),
            "long_chars_max": max(len(text) for text in pasted),
        },
        "targets": {"top1": TOP1_TARGET, "top3": TOP3_TARGET, "p95_ms": P95_TARGET_MS},
    }


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False))
