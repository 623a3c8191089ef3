"""The result texts: for each incident and audience group, what is happening, what to do now, the evidence to keep
and how to file a complaint. Pure Python; checked against the incidents like the questionnaire."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .rules import GROUP_OF, GROUPS
from .validation import InvalidGraph

FIELDS = ("summary", "actions", "evidence", "complaint_how")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")
GROUP_LABELS = {"particulier": "particuliers", "professionnel": "professionnels"}


@dataclass(frozen=True)
class Advice:
    summary: str
    actions: tuple[str, ...]
    evidence: tuple[str, ...]
    complaint_how: str


Texts = Mapping[str, Mapping[str, Advice]]  # incident -> group -> advice


def groups_of(audiences: Collection[str]) -> list[str]:
    return [group for group in GROUPS if any(GROUP_OF[a] == group for a in audiences)]


def load_advice(
    data, incident_audiences: Mapping[str, Collection[str]], *, complete: bool = True
) -> dict[str, dict[str, Advice]]:
    """Every incident needs a text for each group it concerns; raise :class:`InvalidGraph` otherwise. Without
    ``complete`` (a draft being written), only the texts present are checked."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise InvalidGraph(["Les conseils doivent associer à chaque type d'incident ses textes par public."])
    for code in sorted(set(map(str, data)) - set(incident_audiences)):
        problems.append(f"Conseils « {code} » : ce type d'incident n'existe pas.")
    texts: dict[str, dict[str, Advice]] = {}
    for code, audiences in sorted(incident_audiences.items()):
        raw = data.get(code)
        if raw is None and not complete:
            continue
        if not isinstance(raw, Mapping):
            problems.append(f"Conseils « {code} » : aucun texte pour ce type d'incident.")
            continue
        extra = set(map(str, raw)) - set(GROUPS)
        if extra:
            problems.append(f"Conseils « {code} » : « {', '.join(sorted(extra))} » n'est pas un groupe de publics.")
        texts[code] = {}
        for group in groups_of(audiences):
            if group not in raw and not complete:
                continue
            advice, found = _advice(raw.get(group), f"Conseils « {code} » pour les {GROUP_LABELS[group]}")
            problems += found
            if advice:
                texts[code][group] = advice
    if problems:
        raise InvalidGraph(problems)
    return texts


def _advice(raw, where: str) -> tuple[Advice | None, list[str]]:
    if not isinstance(raw, Mapping):
        return None, [f"{where} : les textes manquent."]
    problems = []
    summary, how = raw.get("summary"), raw.get("complaint_how")
    for name, value in (("le résumé", summary), ("comment porter plainte", how)):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where} : {name} est vide.")
    lists = {}
    for name, label in (("actions", "que faire maintenant"), ("evidence", "les preuves à conserver")):
        value = raw.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(f"{where} : « {label} » doit être une liste de phrases non vides.")
            value = []
        lists[name] = tuple(v.strip() for v in value)
    texts = [summary, how, *lists["actions"], *lists["evidence"]]
    if any(isinstance(text, str) and MARKUP.search(text) for text in texts):
        problems.append(f"{where} : les textes ne peuvent pas contenir de balises HTML.")
    unknown = set(map(str, raw)) - set(FIELDS)
    if unknown:
        problems.append(f"{where} : champ inconnu : {', '.join(sorted(unknown))}.")
    if problems:
        return None, problems
    return Advice(summary.strip(), lists["actions"], lists["evidence"], how.strip()), []
