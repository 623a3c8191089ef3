"""Published questionnaire versions, loaded once per process and kept in memory.

A published version never changes, so its parsed graph can be cached forever under its primary key:
answering a question then costs no query for the graph.
"""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from . import engine
from .models import GraphVersion, IncidentType

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_GRAPH_FILE = DATA_DIR / "graph.yaml"

_published_graphs: dict[int, engine.Graph] = {}


def incident_audiences() -> dict[str, list[str]]:
    return dict(IncidentType.objects.values_list("code", "audiences"))


def graph_for_version_id(version_id: int) -> engine.Graph:
    graph = _published_graphs.get(version_id)
    if graph is None:
        data = GraphVersion.objects.values_list("data", flat=True).get(pk=version_id)
        graph = engine.load_graph(data)
        _published_graphs[version_id] = graph
    return graph


def current_version() -> GraphVersion | None:
    return GraphVersion.objects.filter(status=GraphVersion.Status.PUBLISHED).defer("data").order_by("-number").first()


def parse_graph_file(text: str):
    """Read a questionnaire written in YAML (JSON is valid YAML too)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise engine.InvalidGraph([f"Le fichier n'est pas un YAML ou un JSON lisible{where}."]) from error


def export_graph(version: GraphVersion) -> str:
    return yaml.safe_dump(version.data, allow_unicode=True, sort_keys=False, width=110)


def validate(data) -> list[str]:
    return engine.validate_graph_data(data, incident_audiences())


@transaction.atomic
def create_draft(*, data, by=None, note: str = "") -> GraphVersion:
    """Store a new draft after checking it: an invalid graph is never stored, let alone published."""
    problems = validate(data)
    if problems:
        raise engine.InvalidGraph(problems)
    last = GraphVersion.objects.select_for_update().order_by("-number").values_list("number", flat=True).first()
    return GraphVersion.objects.create(number=(last or 0) + 1, data=data, created_by=by, note=note)


@transaction.atomic
def publish(version: GraphVersion, *, by=None) -> GraphVersion:
    version = GraphVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    problems = validate(version.data)
    if problems:
        raise engine.InvalidGraph(problems)
    GraphVersion.objects.filter(pk=version.pk).update(
        status=GraphVersion.Status.PUBLISHED, published_at=timezone.now(), published_by=by
    )
    version.refresh_from_db()
    return version


def load_default_graph(*, by=None) -> GraphVersion:
    """Publish the questionnaire shipped in the repository, unless the same one is already the current version."""
    data = parse_graph_file(DEFAULT_GRAPH_FILE.read_text(encoding="utf-8"))
    current = current_version()
    if current is not None and GraphVersion.objects.get(pk=current.pk).data == data:
        return current
    return publish(create_draft(data=data, by=by, note="Questionnaire livré avec Cyberaide"), by=by)
