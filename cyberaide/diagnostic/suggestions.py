"""The free-text triage on the site: which model is in use, what it suggests to a victim, and how it learns from
the "je ne trouve pas" descriptions staff label.

The victim's text is checked and scrubbed of identifiers before it is analysed, and it is never logged; it is
stored only when the victim sends it as a "je ne trouve pas" description (services.describe).
"""

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import joblib
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import engine, triage
from .graphs import current_content
from .models import IncidentType, TriageModel, UnmatchedReport
from .taxonomy import shipped_incident_audiences as incident_audiences

logger = logging.getLogger(__name__)

CONFIDENCE_WORDS = ((0.6, "Très probable"), (0.3, "Probable"), (0.0, "Possible"))
SHOWN_IN_SEARCH = 0.1  # the site search leaves out the suggestions less likely than this


@dataclass(frozen=True)
class Offer:
    """One suggestion as the victim sees it, and where choosing it continues the journey."""

    incident: IncidentType
    confidence: float
    question: str | None  # the question the journey continues at (None: the result comes at once)
    summary: str = ""  # what this situation is, in the result's first sentence for the audience

    @property
    def confidence_label(self) -> str:
        return next(label for floor, label in CONFIDENCE_WORDS if self.confidence >= floor)

    @property
    def percent(self) -> int:
        """Never 100: a description is never certain to be one situation."""
        return min(99, round(self.confidence * 100))


@dataclass(frozen=True)
class Triage:
    offers: tuple[Offer, ...] = ()
    low_confidence: bool = True
    refused: triage.Refused | None = None

    @property
    def message(self) -> str:
        return self.refused.message if self.refused else ""


def shipped_corpus() -> list[triage.Example]:
    return triage.load_shipped(incident_audiences())


def labelled_examples() -> list[triage.Example]:
    """The "je ne trouve pas" descriptions staff recognised as one of the incident types (for an audience that
    type concerns), oldest first. They were scrubbed when the victim sent them."""
    audiences = incident_audiences()
    reports = (
        UnmatchedReport.objects.exclude(label__in=["", UnmatchedReport.NEW_TYPE])
        .order_by("created_at", "pk")
        .values_list("label", "audience", "text")
    )
    return [
        triage.Example(label, audience, text, "labelled")
        for label, audience, text in reports
        if audience in audiences.get(label, ())
    ]


def corpus() -> list[triage.Example]:
    """What a new training learns from: the shipped corpus, then the labelled descriptions."""
    return triage.merged(shipped_corpus(), labelled_examples())


def export_corpus() -> str:
    return triage.export(corpus())


_lock = threading.Lock()
_loaded: dict[str, object] = {"key": object(), "classifier": None}


def _examples_of(model: TriageModel | None) -> list[triage.Example]:
    labelled = [triage.Example(e["incident"], e["audience"], e["text"]) for e in model.labelled] if model else []
    return triage.merged(shipped_corpus(), labelled)


def classifier() -> triage.Classifier:
    """The model in service (the shipped corpus alone when staff have put none in service), held by each process
    once loaded."""
    key = TriageModel.objects.filter(active=True).values_list("pk", flat=True).first()
    if _loaded["key"] == key:
        return _loaded["classifier"]
    with _lock:
        if _loaded["key"] != key:
            _loaded["classifier"] = trained(_examples_of(TriageModel.objects.filter(pk=key).first() if key else None))
            _loaded["key"] = key
    return _loaded["classifier"]


def trained(examples: list[triage.Example]) -> triage.Classifier:
    """The model of these examples: read from TRIAGE_CACHE_DIR when a process already trained it, else trained
    (a few seconds) and written there for the others."""
    folder = Path(settings.TRIAGE_CACHE_DIR)
    path = folder / f"{triage.model_key(examples)}.joblib"
    if path.exists():
        try:
            return joblib.load(path)
        except Exception:  # a file from another version or a broken write: train again
            logger.warning("Triage model %s could not be read: trained again", path.name)
    started = time.perf_counter()
    model = triage.train(examples)
    logger.info("Triage model trained on %d examples in %.1f s", len(examples), time.perf_counter() - started)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    joblib.dump(model, partial)
    os.replace(partial, path)  # atomic: another process reads the whole file or none
    return model


def continues_at(graph: engine.Graph, audience: str, incident: str) -> str | None:
    """The question a journey continues at once the victim picked ``incident`` (None: the result comes at once)."""
    step = engine.resolve(graph, engine.suggested_entry(graph, audience, incident))
    return step.question.id if isinstance(step, engine.QuestionStep) else None


def analyse(text: str | None, audience: str | None = None) -> Triage:
    """The three most likely incident types for the victim's words, among those the audience can reach in the
    published questionnaire (all of them without an audience, as in the site search)."""
    try:
        checked = triage.check(text)
    except triage.Refused as refused:
        return Triage(refused=refused)
    content = current_content()
    if content is None:
        return Triage(refused=triage.refuse("not_understood"))
    graph = content.graph
    if audience is None:
        allowed = {code for entry in graph.audiences for code in graph.outcomes_for(entry.code)}
    else:
        allowed = set(graph.outcomes_for(audience))
    analysis = classifier().analyse(checked.scrubbed, allowed)
    if not analysis.understood:
        return Triage(refused=triage.refuse("not_understood"))
    incidents = IncidentType.objects.in_bulk([s.incident for s in analysis.suggestions], field_name="code")
    offers = tuple(
        Offer(
            incident=incidents[suggestion.incident],
            confidence=suggestion.confidence,
            question=continues_at(graph, audience, suggestion.incident) if audience else None,
            summary=_first_sentence(content, suggestion.incident, audience),
        )
        for suggestion in analysis.suggestions
        if suggestion.incident in incidents
    )
    return Triage(offers=offers, low_confidence=analysis.low_confidence)


def _first_sentence(content, incident: str, audience: str | None) -> str:
    advice = content.advice_for(incident, audience or "particulier") or content.advice_for(incident, "entreprise")
    summary = advice.summary if advice else ""
    return re.split(r"(?<=[.!?])\s", summary, maxsplit=1)[0]


def train_model(*, by=None, folds: int = 5) -> TriageModel:
    """Train on the current corpus and record the cross-validation figures; the model is not put in service."""
    examples = corpus()
    allowed = triage.allowed_by_audience(incident_audiences())
    figures = triage.cross_validate(examples, allowed, folds=folds).as_dict() if folds > 1 else {}
    model = trained(examples)
    return TriageModel.objects.create(
        trained_by=by,
        shipped_digest=triage.digest([e for e in examples if e.source == "shipped"]),
        labelled=[e.as_dict() for e in examples if e.source == "labelled"],
        examples=len(examples),
        fingerprint=model.fingerprint(),
        figures=figures,
    )


def purge_old_models(now) -> int:
    """Trainings never put in service, or replaced, older than the descriptions' retention: their copies of the
    labelled descriptions go with them. The model in service stays."""
    before = now - timedelta(days=settings.UNMATCHED_REPORT_RETENTION_DAYS)
    deleted, _ = TriageModel.objects.filter(active=False, created_at__lt=before).delete()
    return deleted


@transaction.atomic
def put_in_service(model: TriageModel, *, by=None) -> TriageModel:
    TriageModel.objects.select_for_update().filter(active=True).exclude(pk=model.pk).update(active=False)
    model.active, model.activated_at, model.activated_by = True, timezone.now(), by
    model.save(update_fields=["active", "activated_at", "activated_by"])
    return model


def label(report: UnmatchedReport, code: str, *, by) -> UnmatchedReport:
    """Record what staff recognised in a description (an incident code, or UnmatchedReport.NEW_TYPE)."""
    report.label, report.labelled_by, report.labelled_at = code, by, timezone.now()
    if report.status == UnmatchedReport.Status.NEW:
        report.status, report.reviewed_by, report.reviewed_at = UnmatchedReport.Status.REVIEWED, by, timezone.now()
    report.save()
    return report
