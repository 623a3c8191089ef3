"""Versions of the diagnostic: the questionnaire, the situation questions and rules that say what a result offers,
and the result texts. Published versions are loaded once per process and kept in memory.

A published version never changes, so its parsed form can be cached forever under its primary key: answering a
question then costs no query for the questionnaire or the rules.
"""

from dataclasses import dataclass
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


def _load(version: GraphVersion) -> Content:
    """Parse a published version, trusted since it was checked when published: the catalogue it is read with is
    its own, so that incident types or services changed since do not break it. A version published before the
    rules existed borrows those of the current version."""
    graph = engine.load_graph(version.data)
    rules_data, advice_data = version.rules, version.advice
    if not rules_data:
        current = current_version()
        if current is None or current.pk == version.pk or not GraphVersion.objects.get(pk=current.pk).rules:
            return Content(number=version.number, graph=graph, advice={})
        borrowed = content_for_version_id(current.pk)
        return Content(
            number=version.number, graph=engine.with_rules(graph, borrowed.graph.rules), advice=borrowed.advice
        )
    own = engine.Catalogue(
        incidents={
            code: [a.code for a in graph.audiences if code in graph.outcomes_for(a.code)]
            for code in rules_data.get("incidents", {})
        },
        services={code: None for code in OfficialService.objects.values_list("code", flat=True)},
        expertise=Expertise.values,
    )
    rules = engine.load_rules(rules_data, graph, own, check=False)
    advice = engine.load_advice(advice_data, own.incidents)
    return Content(number=version.number, graph=engine.with_rules(graph, rules), advice=advice)


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


def check(data, rules, advice) -> engine.Graph:
    """The version as it would run, or :class:`engine.InvalidGraph` with every problem of its three parts."""
    known = catalogue()
    problems: list[str] = []
    graph = None
    try:
        graph = engine.load_questionnaire(data, rules, known)
    except engine.InvalidGraph as error:
        problems += error.problems
    try:
        engine.load_advice(advice, known.incidents)
    except engine.InvalidGraph as error:
        problems += error.problems
    if problems:
        raise engine.InvalidGraph(problems)
    return graph


def validate(data, rules, advice) -> list[str]:
    try:
        check(data, rules, advice)
    except engine.InvalidGraph as error:
        return error.problems
    return []


@transaction.atomic
def create_draft(*, data, rules, advice, by=None, note: str = "") -> GraphVersion:
    """Store a new draft after checking it: an invalid version is never stored, let alone published."""
    check(data, rules, advice)
    last = GraphVersion.objects.select_for_update().order_by("-number").values_list("number", flat=True).first()
    return GraphVersion.objects.create(
        number=(last or 0) + 1, data=data, rules=rules, advice=advice, created_by=by, note=note
    )


@transaction.atomic
def save_draft(version: GraphVersion, *, data=None, rules=None, advice=None) -> GraphVersion:
    """Change a draft's parts after checking the whole; the stored draft is untouched when it is refused."""
    version = GraphVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise engine.InvalidGraph(["Une version publiée ne peut plus être modifiée : créez-en une nouvelle."])
    data = version.data if data is None else data
    rules = version.rules if rules is None else rules
    advice = version.advice if advice is None else advice
    check(data, rules, advice)
    version.data, version.rules, version.advice = data, rules, advice
    version.save(update_fields=["data", "rules", "advice"])
    return version


@transaction.atomic
def publish(version: GraphVersion, *, by=None) -> GraphVersion:
    version = GraphVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
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


def compare_with_published(draft: GraphVersion) -> engine.Comparison:
    """What publishing ``draft`` would change for victims (every incident, audience and situation)."""
    new = check(draft.data, draft.rules, draft.advice)
    current = current_version()
    old = content_for_version_id(current.pk).graph if current is not None and current.pk != draft.pk else None
    return engine.compare(old, new)


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
