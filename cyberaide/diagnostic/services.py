"""Every change to a diagnostic journey goes through here, one transaction each, the session row locked."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cyberaide.core.text import contains_markup, scrub_personal_data

from . import engine
from .graphs import current_content, current_version, graph_for_version_id
from .models import (
    Channel,
    DiagnosticResult,
    DiagnosticSession,
    IncidentType,
    JourneyRecord,
    UnmatchedReport,
    minute,
)

DESCRIPTION_MAX_LENGTH = 2000


class DiagnosticUnavailable(engine.DiagnosticError):
    def __init__(self):
        super().__init__("diagnostic_unavailable", "Le diagnostic est momentanément indisponible.")


@dataclass(frozen=True)
class Progress:
    """Where a session stands after an action: a question to ask, or a result to show."""

    session: DiagnosticSession
    step: engine.QuestionStep | engine.OutcomeStep | engine.NotFoundStep
    result: DiagnosticResult | None = None


def state_of(session: DiagnosticSession) -> engine.State:
    return engine.State(
        audience=session.audience,
        answers=tuple(tuple(pair) for pair in session.answers),
        incident=session.entry_incident or None,
    )


def graph_of(session: DiagnosticSession) -> engine.Graph:
    return graph_for_version_id(session.graph_version_id)


def progress_of(session: DiagnosticSession) -> Progress:
    step = engine.resolve(graph_of(session), state_of(session))
    result = session.results.order_by("-pk").first() if session.status == DiagnosticSession.Status.FINISHED else None
    return Progress(session=session, step=step, result=result)


def check_description(text: str) -> str:
    """Refuse markup and oversized text; return the text scrubbed of personal data."""
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX_LENGTH:
        raise engine.DiagnosticError(
            "description_too_long",
            f"Votre description dépasse {DESCRIPTION_MAX_LENGTH} caractères : raccourcissez-la.",
        )
    if contains_markup(text):
        raise engine.DiagnosticError(
            "markup_not_allowed",
            "Votre description ne peut pas contenir de code HTML (un « < » suivi d'une balise). "
            "Décrivez la situation avec vos mots.",
        )
    return scrub_personal_data(text)


def _entry(graph: engine.Graph, audience: str, incident: str, *, suggested: bool) -> engine.State:
    if incident not in graph.outcomes_for(audience):
        raise engine.DiagnosticError(
            "incident_not_for_audience",
            "Cette situation ne concerne pas ce public : répondez aux questions."
            if suggested
            else "Cette alerte ne concerne pas ce public : répondez aux questions.",
        )
    if suggested:
        return engine.suggested_entry(graph, audience, incident)
    return engine.State(audience=audience, incident=incident)


@transaction.atomic
def start_session(
    *,
    audience: str,
    channel: str = Channel.WEBSITE,
    partner=None,
    incident: str = "",
    from_alert: str = "",
    suggested: bool = False,
) -> Progress:
    """A new journey; ``partner`` when it starts in the module on a partner's site (recorded with the journey).

    With ``incident`` (a victim of a scam wave, coming from the alert titled ``from_alert``), the journey enters at
    that incident: the questionnaire is skipped, and only its situation questions are asked (nothing is assumed
    about what the victim did). With ``suggested`` too, the victim picked ``incident`` among the suggestions for
    their own description: the questionnaire's answers that lead to it without assuming more are filled in (shown,
    and open to change), and every situation question is asked."""
    if partner is not None:
        channel = Channel.PARTNER
    version = current_version()
    if version is None:
        raise DiagnosticUnavailable()
    graph = graph_for_version_id(version.pk)
    state = engine.start(graph, audience)
    if incident:
        state = _entry(graph, audience, incident, suggested=suggested)
    now = timezone.now()
    record = JourneyRecord.objects.create(
        audience=audience, graph_version=version.number, channel=channel, partner=partner, started_at=minute(now)
    )
    session = DiagnosticSession.objects.create(
        graph_version=version,
        audience=audience,
        channel=channel,
        partner=partner,
        record=record,
        answers=[list(pair) for pair in state.answers],
        entry_incident=state.incident or "",
        entry_alert=from_alert[:200],
        suggested_incident=incident if suggested else "",
    )
    step = engine.resolve(graph, state)
    if isinstance(step, engine.OutcomeStep):  # an incident that asks nothing of the situation
        return Progress(session=session, step=step, result=_finish(session, graph, state, step))
    return Progress(session=session, step=step)


def create_result(
    *,
    audience: str,
    incident_code: str,
    situation: dict | None = None,
    answers: list | None = None,
    graph_version: int | None = None,
    partner=None,
) -> DiagnosticResult:
    """A result made without a journey (demonstration data, other apps' tests), assessed by the published rules
    as if the victim had given these situation answers."""
    content = current_content()
    if content is None:
        raise DiagnosticUnavailable()
    situation = dict(situation or {})
    assessment = engine.assess(content.graph.rules, incident_code, audience, situation).as_dict()
    return DiagnosticResult.objects.create(
        audience=audience,
        incident=IncidentType.objects.get(code=incident_code),
        answers=answers or [],
        situation=situation,
        severity=assessment["level"],
        assessment=assessment,
        graph_version=content.number if graph_version is None else graph_version,
        partner=partner,
    )


def record_out_of_scope(*, code: str, channel: str = Channel.WEBSITE, partner=None) -> None:
    now = minute(timezone.now())
    version = current_version()
    JourneyRecord.objects.create(
        audience=code,
        outcome_kind=JourneyRecord.OutcomeKind.OUT_OF_SCOPE,
        graph_version=version.number if version else None,
        channel=Channel.PARTNER if partner else channel,
        partner=partner,
        started_at=now,
        finished_at=now,
    )


def _locked(session: DiagnosticSession) -> DiagnosticSession:
    return (
        DiagnosticSession.objects.select_for_update(of=("self",))
        .select_related("graph_version")
        .defer("graph_version__data")
        .get(pk=session.pk)
    )


def _save_state(session: DiagnosticSession, state: engine.State, status: str) -> None:
    session.answers = [list(pair) for pair in state.answers]
    session.status = status
    session.save(update_fields=["answers", "status", "updated_at"])


def _summary(graph: engine.Graph, state: engine.State, from_alert: str = "", suggested: str = "") -> list[dict]:
    """The questions and answers as the victim read them, kept with the result."""
    lines = [{"question": "Vous venez de l'alerte", "answer": from_alert}] if from_alert else []
    if suggested:
        incident = IncidentType.objects.filter(code=suggested).first()
        lines.append({"question": "Situation choisie d'après votre description", "answer": incident.name})
    for question_id, choice_code in state.answers:
        question = graph.question_for(state.audience, question_id)
        choice = question.choice_for(state.audience, choice_code)
        lines.append({"question": question.text, "answer": choice.label})
    return lines


def assessment_for(graph: engine.Graph, audience: str, step: engine.OutcomeStep) -> tuple[dict, dict]:
    """What the rules conclude for a finished journey, and its situation answers (implied ones included)."""
    if graph.rules is None or graph.rules.base(step.incident, audience) is None:
        return {}, {}
    known = step.known
    situation = {question: code for question, code in step.facts if question in graph.rules.questions}
    return engine.assess(graph.rules, step.incident, audience, known).as_dict(), situation


def _finish(session, graph, state, step, description: str = "") -> DiagnosticResult:
    incident, assessment, situation = None, {}, {}
    if isinstance(step, engine.OutcomeStep):
        incident = IncidentType.objects.get(code=step.incident)
        assessment, situation = assessment_for(graph, session.audience, step)
    severity = assessment.get("level", "")
    latest = session.results.order_by("-pk").first()
    suggested = session.suggested_incident if incident and incident.code == session.suggested_incident else ""
    answers = _summary(graph, state, session.entry_alert, suggested)
    if latest and latest.answers == answers and latest.incident_id == (incident.pk if incident else None):
        if latest.description == description and latest.situation == situation:
            _save_state(session, state, DiagnosticSession.Status.FINISHED)
            return latest  # the same answers sent twice: same result, nothing new recorded
    _save_state(session, state, DiagnosticSession.Status.FINISHED)
    if session.record_id:
        JourneyRecord.objects.filter(pk=session.record_id).update(
            outcome_kind=JourneyRecord.OutcomeKind.INCIDENT if incident else JourneyRecord.OutcomeKind.NOT_FOUND,
            incident_code=incident.code if incident else "",
            severity=severity,
            finished_at=minute(timezone.now()),
            updated_at=timezone.now(),
        )
    if incident is None and description:
        UnmatchedReport.objects.create(
            text=description,
            audience=session.audience,
            question=step.question,
            graph_version=session.graph_version.number,
        )
    return DiagnosticResult.objects.create(
        session=session,
        record_id=session.record_id,
        audience=session.audience,
        incident=incident,
        answers=answers,
        situation=situation,
        severity=severity,
        assessment=assessment,
        description=description,
        graph_version=session.graph_version.number,
        partner_id=session.partner_id,
    )


def ensure_open(session: DiagnosticSession) -> None:
    if session.is_expired:
        raise engine.DiagnosticError(
            "session_expired", "Ce diagnostic a expiré faute de réponse. Recommencez-le : cela prend deux minutes."
        )


@transaction.atomic
def answer(
    *, session: DiagnosticSession, question: str, choice: str, description: str = "", allow_change: bool = False
) -> Progress:
    """Answer ``question``. With ``allow_change`` (the web pages) a question already answered is answered again;
    without it (the API) only the question being asked is accepted."""
    session = _locked(session)
    ensure_open(session)
    graph = graph_of(session)
    state = state_of(session)
    if allow_change:
        state = engine.rewind(graph, state, question)
    elif session.status == DiagnosticSession.Status.FINISHED:
        raise engine.DiagnosticError(
            "journey_finished", "Ce diagnostic est terminé : revenez en arrière pour le modifier."
        )
    state = engine.answer(graph, state, question, choice)
    step = engine.resolve(graph, state)
    if isinstance(step, engine.OutcomeStep) or (isinstance(step, engine.NotFoundStep) and not allow_change):
        cleaned = check_description(description) if isinstance(step, engine.NotFoundStep) else ""
        return Progress(session=session, step=step, result=_finish(session, graph, state, step, cleaned))
    _save_state(session, state, DiagnosticSession.Status.IN_PROGRESS)
    return Progress(session=session, step=step)


@transaction.atomic
def describe(*, session: DiagnosticSession, description: str) -> Progress:
    """Finish a journey that ended on "je ne trouve pas" with the victim's own words (optional)."""
    session = _locked(session)
    ensure_open(session)
    graph = graph_of(session)
    state = state_of(session)
    step = engine.resolve(graph, state)
    if not isinstance(step, engine.NotFoundStep):
        raise engine.DiagnosticError(
            "not_expected", "Cette étape n'est pas celle de votre parcours : reprenez à la question affichée."
        )
    cleaned = check_description(description)
    return Progress(session=session, step=step, result=_finish(session, graph, state, step, cleaned))


@transaction.atomic
def continue_with(*, session: DiagnosticSession, incident: str) -> Progress:
    """A victim who found no answer that fits, then picked ``incident`` among the suggestions for their
    description, continues the same journey from there (see :func:`start_session`)."""
    session = _locked(session)
    ensure_open(session)
    graph = graph_of(session)
    if not isinstance(engine.resolve(graph, state_of(session)), engine.NotFoundStep):
        raise engine.DiagnosticError(
            "not_expected", "Cette étape n'est pas celle de votre parcours : reprenez à la question affichée."
        )
    state = _entry(graph, session.audience, incident, suggested=True)
    session.entry_incident, session.suggested_incident = state.incident or "", incident
    session.save(update_fields=["entry_incident", "suggested_incident", "updated_at"])
    step = engine.resolve(graph, state)
    if isinstance(step, engine.OutcomeStep):
        return Progress(session=session, step=step, result=_finish(session, graph, state, step))
    _save_state(session, state, DiagnosticSession.Status.IN_PROGRESS)
    return Progress(session=session, step=step)


@transaction.atomic
def go_back(*, session: DiagnosticSession) -> Progress:
    session = _locked(session)
    ensure_open(session)
    graph = graph_of(session)
    state = engine.back(graph, state_of(session))
    _save_state(session, state, DiagnosticSession.Status.IN_PROGRESS)
    return Progress(session=session, step=engine.resolve(graph, state))


@transaction.atomic
def set_departement(*, result: DiagnosticResult, departement: str) -> bool:
    """Record the département the victim chose to give, once. Returns False if one was already given."""
    if not result.record_id:
        return False
    return bool(
        JourneyRecord.objects.filter(pk=result.record_id, departement="").update(
            departement=departement, updated_at=timezone.now()
        )
    )


def record_follow_up(
    result: DiagnosticResult | None, *, provider: bool = False, chat: bool = False, complaint: bool = False
) -> None:
    """Count, anonymously, where a journey led: a request to a provider, a 17Cyber conversation, a complaint."""
    if result is None or not result.record_id:
        return
    changes = {
        field: True
        for field, happened in (
            ("led_to_provider", provider),
            ("led_to_chat", chat),
            ("led_to_complaint", complaint),
        )
        if happened
    }
    if changes:
        JourneyRecord.objects.filter(pk=result.record_id).update(**changes, updated_at=timezone.now())
