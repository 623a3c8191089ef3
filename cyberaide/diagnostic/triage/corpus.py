"""The triage's training corpus: victims' descriptions written by the team (``data/triage/*.yaml``), each with
the incident type it describes and who tells it, plus the "je ne trouve pas" descriptions staff have labelled.
Pure Python.

A file maps incident codes to descriptions::

    phishing:
      - {audience: particulier, text: "j'ai cliqué sur un lien d'un mail ameli et j'ai mis ma carte"}
"""

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .text import normalise

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "triage"
HEADER = (
    "# Victims' descriptions for the free-text triage, as the classifier is trained on them.\n"
    "# Written by the Cyberaide team, Etalab 2.0 open licence; labelled descriptions are scrubbed of identifiers.\n"
)


class InvalidCorpus(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:10]))


@dataclass(frozen=True)
class Example:
    incident: str
    audience: str
    text: str
    source: str = "shipped"  # or "labelled": a "je ne trouve pas" description labelled by staff

    def as_dict(self) -> dict:
        return {"incident": self.incident, "audience": self.audience, "text": self.text}


def parse(data, source_name: str, incident_audiences: Mapping[str, Collection[str]]) -> list[Example]:
    """The examples of one file, or :class:`InvalidCorpus` with every problem found."""
    problems, examples = [], []
    if not isinstance(data, dict):
        raise InvalidCorpus([f"{source_name} : le fichier doit associer des codes d'incident à des descriptions."])
    for incident, entries in data.items():
        if incident not in incident_audiences:
            problems.append(f"{source_name} : type d'incident inconnu « {incident} ».")
            continue
        for position, entry in enumerate(entries or [], start=1):
            where = f"{source_name}, {incident} n° {position}"
            if not isinstance(entry, dict) or set(entry) != {"audience", "text"}:
                problems.append(f"{where} : attendu exactement « audience » et « text ».")
                continue
            if entry["audience"] not in incident_audiences[incident]:
                problems.append(f"{where} : le public « {entry['audience']} » n'est pas concerné par ce type.")
                continue
            if not isinstance(entry["text"], str) or not entry["text"].strip():
                problems.append(f"{where} : description vide.")
                continue
            examples.append(Example(incident, entry["audience"], entry["text"].strip()))
    if problems:
        raise InvalidCorpus(problems)
    return examples


def load_shipped(incident_audiences: Mapping[str, Collection[str]], folder: Path = SHIPPED) -> list[Example]:
    """Every file of the shipped corpus, in file name order; the same text twice is refused."""
    examples = []
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            examples += parse(yaml.safe_load(handle), path.name, incident_audiences)
    seen: dict[str, Example] = {}
    problems = []
    for example in examples:
        key = normalise(example.text)
        if key in seen:
            problems.append(f"Description en double : « {example.text[:80]} ».")
        seen[key] = example
    if problems:
        raise InvalidCorpus(problems)
    return examples


def merged(shipped: Iterable[Example], labelled: Iterable[Example]) -> list[Example]:
    """The shipped corpus, then the labelled descriptions it does not already hold."""
    examples = list(shipped)
    known = {normalise(example.text) for example in examples}
    for example in labelled:
        key = normalise(example.text)
        if key and key not in known:
            known.add(key)
            examples.append(Example(example.incident, example.audience, example.text, "labelled"))
    return examples


def allowed_by_audience(incident_audiences: Mapping[str, Collection[str]]) -> dict[str, set[str]]:
    """The incident types each audience can meet: suggestions for a text are ranked among these."""
    allowed: dict[str, set[str]] = {}
    for code, audiences in incident_audiences.items():
        for audience in audiences:
            allowed.setdefault(audience, set()).add(code)
    return allowed


def digest(examples: Iterable[Example]) -> str:
    """Identifies a corpus: the same examples in the same order give the same model."""
    payload = json.dumps([example.as_dict() for example in examples], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def export(examples: Iterable[Example]) -> str:
    """The corpus in the shipped files' shape (one YAML document, incident types in order), to review or ship."""
    by_incident: dict[str, list[dict]] = {}
    for example in examples:
        by_incident.setdefault(example.incident, []).append({"audience": example.audience, "text": example.text})
    body = yaml.safe_dump(dict(sorted(by_incident.items())), allow_unicode=True, sort_keys=False, width=120)
    return HEADER + body
