"""Versions of the diagnostic: the questionnaire, the situation questions and rules that say what a result offers,
and the result texts. Published versions are loaded once per process and kept in memory.

A published version never changes, so its parsed form can be cached forever under its primary key: answering a
question then costs no query for the questionnaire or the rules.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from cyberaide.core.expertise import Expertise

from . import engine
from .models import GraphVersion, IncidentType, OfficialService

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_GRAPH_FILE = DATA_DIR / "graph.yaml"
DEFAULT_RULES_FILE = DATA_DIR / "rules.yaml"
DEFAULT_ADVICE_DIR = DATA_DIR / "advice"


@dataclass(frozen=True)
class Content:
    """A version ready to use: its questionnaire with the rules attached, and its result texts."""

    number: int
    graph: engine.Graph
    advice: dict[str, dict[str, engine.Advice]]

    def advice_for(self, incident: str, audience: str) -> engine.Advice | None:
        return self.advice.get(incident, {}).get(engine.GROUP_OF.get(audience, ""))


_published: dict[int, Content] = {}  # version pk -> content
_pk_of_number: dict[int, int] = {}


def incident_audiences() -> dict[str, list[str]]:
    return dict(IncidentType.objects.values_list("code", "audiences"))


def catalogue() -> engine.Catalogue:
    """What a draft may name: the incident types, the official services (with their audiences) and the skills."""
    return engine.Catalogue(
        incidents=incident_audiences(),
        services={
            code: (audiences or None) for code, audiences in OfficialService.objects.values_list("code", "audiences")
        },
        expertise=Expertise.values,
    )


def _trusted_catalogue(graph: engine.Graph) -> engine.Catalogue:
    """What a version already checked at publication is read with: its own incidents and audiences, any service
    and skill (one removed since is simply not shown)."""
    reached = {audience.code: graph.outcomes_for(audience.code) for audience in graph.audiences}
    incidents = {
        code: [audience for audience, outcomes in reached.items() if code in outcomes]
        for code in set().union(*reached.values())
    }
    return engine.Catalogue(incidents=incidents, services=engine.AnyCode(), expertise=engine.AnyCode())


@lru_cache(maxsize=1)
def shipped_content() -> Content:
    """The rules and texts shipped with Cyberaide, which stand in for those of a version published before the
    rules existed: the same in every process, whatever is published."""
    data, rules, advice = read_default_version()
    graph = engine.load_graph(data)
    known = _trusted_catalogue(graph)
    texts = engine.load_advice(advice, known.incidents)
    return Content(number=0, graph=engine.load_rules(rules, graph, known, check=False), advice=texts)


def _load(version: GraphVersion) -> Content:
    """Parse a published version, trusted since it was checked when published."""
    graph = engine.load_graph(version.data)
    known = _trusted_catalogue(graph)
    if not version.rules:
        shipped = shipped_content()
        own = _partial_advice(version.advice, known.incidents)
        return Content(
            number=version.number,
            graph=engine.with_rules(graph, shipped.graph.rules),
            advice={**shipped.advice, **own},
        )
    advice = engine.load_advice(version.advice, known.incidents)
    return Content(
        number=version.number, graph=engine.load_rules(version.rules, graph, known, check=False), advice=advice
    )


def _partial_advice(data, incidents) -> dict:
    """The texts a version published before the rules existed holds (copied from the incident types of then)."""
    return engine.load_advice(data, {code: incidents[code] for code in data if code in incidents}) if data else {}


def content_for_version_id(version_id: int) -> Content:
    content = _published.get(version_id)
    if content is None:
        content = _load(GraphVersion.objects.get(pk=version_id))
        _published[version_id] = content
        _pk_of_number[content.number] = version_id
    return content


def content_for_number(number: int) -> Content | None:
    """The content of the version a result was made with (None for a number no version has)."""
    version_id = _pk_of_number.get(number)
    if version_id is None:
        version_id = GraphVersion.objects.filter(number=number).values_list("pk", flat=True).first()
        if version_id is None:
            return None
    return content_for_version_id(version_id)


def graph_for_version_id(version_id: int) -> engine.Graph:
    return content_for_version_id(version_id).graph


def current_version() -> GraphVersion | None:
    return (
        GraphVersion.objects.filter(status=GraphVersion.Status.PUBLISHED)
        .defer("data", "rules", "advice")
        .order_by("-number")
        .first()
    )


def published_version() -> GraphVersion | None:
    """The current version with all its parts (for the back office)."""
    current = current_version()
    return GraphVersion.objects.get(pk=current.pk) if current else None


def current_content() -> Content | None:
    version = current_version()
    return content_for_version_id(version.pk) if version else None


# --- Files ------------------------------------------------------------------------------------------------------


def parse_graph_file(text: str):
    """Read a questionnaire, rules or a whole version written in YAML (JSON is valid YAML too)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise engine.InvalidGraph([f"Le fichier n'est pas un YAML ou un JSON lisible{where}."]) from error


def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def export_graph(version: GraphVersion) -> str:
    return dump_yaml(version.data)


def export_rules(version: GraphVersion) -> str:
    return dump_yaml(version.rules)


def export_version(version: GraphVersion) -> str:
    """The whole version in one file, as the import reads it back."""
    return dump_yaml({"questionnaire": version.data, "rules": version.rules, "advice": version.advice})


def split_version_file(data, *, fallback: GraphVersion | None) -> tuple:
    """(questionnaire, rules, advice) of an imported file: a whole version, or a questionnaire alone whose rules
    and texts are those of ``fallback`` (the published version)."""
    if isinstance(data, dict) and "questionnaire" in data:
        return data.get("questionnaire"), data.get("rules") or {}, data.get("advice") or {}
    return data, (fallback.rules if fallback else {}), (fallback.advice if fallback else {})


def read_default_version() -> tuple:
    """The questionnaire, rules and result texts shipped in the repository."""
    data = parse_graph_file(DEFAULT_GRAPH_FILE.read_text(encoding="utf-8"))
    rules = parse_graph_file(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))
    advice = {
        path.stem: parse_graph_file(path.read_text(encoding="utf-8"))
        for path in sorted(DEFAULT_ADVICE_DIR.glob("*.yaml"))
    }
    return data, rules, advice


# --- Checking, drafting, publishing -----------------------------------------------------------------------------


def check(data, rules, advice, *, complete: bool = True) -> engine.Graph:
    """The version as it would run, or :class:`engine.InvalidGraph` with every problem of its three parts.

    A draft may be saved while texts are still to write (``complete=False``: the texts present are checked); it is
    published only complete."""
    known = catalogue()
    problems: list[str] = []
    graph = None
    try:
        graph = engine.load_questionnaire(data, rules, known)
    except engine.InvalidGraph as error:
        problems += error.problems
    try:
        engine.load_advice(advice, known.incidents, complete=complete)
    except engine.InvalidGraph as error:
        problems += error.problems
    if problems:
        raise engine.InvalidGraph(problems)
    return graph


def validate(data, rules, advice, *, complete: bool = True) -> list[str]:
    try:
        check(data, rules, advice, complete=complete)
    except engine.InvalidGraph as error:
        return error.problems
    return []


def missing_texts(version: GraphVersion) -> list[tuple[str, str]]:
    """The (incident, audience group) whose result texts a draft still lacks."""
    return [
        (code, group)
        for code, audiences in sorted(incident_audiences().items())
        for group in engine.groups_of(audiences)
        if group not in version.advice.get(code, {})
    ]


def digest(version: GraphVersion) -> str:
    """A fingerprint of a version's content: what staff saw compared is what gets published."""
    content = json.dumps([version.data, version.rules, version.advice], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


@transaction.atomic
def create_draft(*, data, rules, advice, by=None, note: str = "") -> GraphVersion:
    """Store a new draft after checking it: an invalid version is never stored, let alone published."""
    check(data, rules, advice, complete=False)
    last = GraphVersion.objects.select_for_update().order_by("-number").values_list("number", flat=True).first()
    return GraphVersion.objects.create(
        number=(last or 0) + 1, data=data, rules=rules, advice=advice, created_by=by, note=note
    )


@transaction.atomic
def save_draft(version: GraphVersion, *, data=None, rules=None, advice=None, note=None) -> GraphVersion:
    """Change a draft's parts after checking the whole; the stored draft is untouched when it is refused."""
    version = GraphVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise engine.InvalidGraph(["Une version publiée ne peut plus être modifiée : créez-en une nouvelle."])
    data = version.data if data is None else data
    rules = version.rules if rules is None else rules
    advice = version.advice if advice is None else advice
    check(data, rules, advice, complete=False)
    version.data, version.rules, version.advice = data, rules, advice
    version.note = version.note if note is None else note
    version.save(update_fields=["data", "rules", "advice", "note"])
    return version


@transaction.atomic
def publish(version: GraphVersion, *, by=None, seen: str | None = None) -> GraphVersion:
    """Publish a complete draft; with ``seen`` (the digest of what staff compared), only if it has not changed
    since."""
    version = GraphVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    if seen is not None and seen != digest(version):
        raise engine.InvalidGraph(
            ["Le brouillon a été modifié depuis que vous avez vu ce qui change : relisez la comparaison."]
        )
    check(version.data, version.rules, version.advice)
    GraphVersion.objects.filter(pk=version.pk).update(
        status=GraphVersion.Status.PUBLISHED, published_at=timezone.now(), published_by=by
    )
    version.refresh_from_db()
    return version


def copy_of_published(*, by=None, note: str = "") -> GraphVersion | None:
    """A new draft holding the published version, for staff to edit."""
    source = published_version()
    if source is None:
        return None
    return create_draft(data=source.data, rules=source.rules, advice=source.advice, by=by, note=note)


def compare_with_published(draft: GraphVersion) -> tuple[engine.Graph, engine.Comparison]:
    """The draft as it would run, and what publishing it would change for victims (every incident, audience and
    situation)."""
    new = check(draft.data, draft.rules, draft.advice, complete=False)
    current = current_version()
    old = content_for_version_id(current.pk).graph if current is not None and current.pk != draft.pk else None
    return new, engine.compare(old, new)


def load_default_graph(*, by=None) -> GraphVersion:
    """Publish the version shipped in the repository, unless the same one is already the current version."""
    data, rules, advice = read_default_version()
    current = current_version()
    if current is not None:
        stored = GraphVersion.objects.get(pk=current.pk)
        if (stored.data, stored.rules, stored.advice) == (data, rules, advice):
            return current
    draft = create_draft(data=data, rules=rules, advice=advice, by=by, note="Diagnostic livré avec Cyberaide")
    return publish(draft, by=by)


def possible_expertise(incident: str, audience: str) -> tuple[str, ...]:
    """Every provider skill the published rules can ask for this incident and audience, whatever the situation
    (for a search made without a diagnosis, such as the API's)."""
    content = current_content()
    if content is None:
        return ()
    key = (content.number, incident, audience)
    if key not in _possible_expertise:
        found: dict[str, None] = {}
        for situation in engine.situations(content.graph, audience, incident):
            found.update(
                dict.fromkeys(engine.assess(content.graph.rules, incident, audience, situation.known).expertise)
            )
        _possible_expertise[key] = tuple(found)
    return _possible_expertise[key]


_possible_expertise: dict[tuple[str, str, str], tuple[str, ...]] = {}


def incident_summaries() -> dict[str, str]:
    """Each incident's summary for individuals (or for organisations), as currently published."""
    content = current_content()
    if content is None:
        return {}
    return {
        code: (texts.get("particulier") or texts.get("professionnel")).summary
        for code, texts in content.advice.items()
        if texts
    }
