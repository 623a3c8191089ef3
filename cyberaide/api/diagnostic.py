from typing import Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic import engine, services, suggestions
from cyberaide.diagnostic.composition import compose
from cyberaide.diagnostic.graphs import incident_summaries
from cyberaide.diagnostic.models import Channel, DiagnosticSession, IncidentType

router = Router(tags=["Diagnostic"])

AudienceCode = Literal["particulier", "entreprise", "association", "collectivite"]


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class IncidentOut(Schema):
    """An incident type. Its severity, the 17Cyber chat and the providers depend on the victim's situation: they are
    given with a finished session (`severity`, `offers`), no longer here."""

    code: str
    name: str
    summary: str = Field("", description="Ce qui se passe, tel que le résultat l'explique aux particuliers.")
    audiences: list[str]


class SeverityOut(Schema):
    level: Literal["low", "medium", "high", "critical"] = Field(
        description="Gravité de la situation : « critical » (critique) ouvre la discussion avec 17Cyber."
    )
    reasons: list[str] = Field(description="Pourquoi cette gravité, en phrases à montrer à la victime.")


class OffersOut(Schema):
    chat: bool = Field(description="La discussion en direct avec un policier ou un gendarme (17Cyber) est proposée.")
    providers: bool = Field(
        description="Un prestataire informatique référencé peut aider (un appareil, un compte, un "
        "site ou un système est à réparer ou à récupérer)."
    )
    expertise: list[str] = Field(description="Les compétences de prestataire utiles, si un prestataire peut aider.")


class ChoiceOut(Schema):
    code: str
    label: str
    hint: str = ""


class QuestionOut(Schema):
    id: str
    kind: Literal["incident", "situation"] = Field(
        description="« incident » pour les questions qui reconnaissent la situation, « situation » pour celles, "
        "posées ensuite, qui adaptent le résultat (leur réponse « je_ne_sais_pas » est toujours proposée)."
    )
    text: str
    help: str = ""
    choices: list[ChoiceOut]
    number: int = Field(description="Rang de la question dans le parcours (1 pour la première).")
    total: int = Field(description="Nombre de questions du parcours le plus long possible à partir d'ici.")


class SessionOut(Schema):
    id: str = Field(description="Identifiant secret de la session : à garder côté client, jamais à publier.")
    graph_version: int
    audience: str
    status: Literal["in_progress", "finished"]
    answers: list[list[str]]
    question: QuestionOut | None = None
    outcome: IncidentOut | None = None
    not_found: bool = Field(False, description="Vrai si la victime n'a pas trouvé sa situation.")
    situation: dict[str, str] = Field(
        default_factory=dict,
        description="Une fois le diagnostic terminé, les réponses aux questions de situation (code de la question → "
        "code de la réponse), y compris celles que les réponses au questionnaire ont déjà données.",
    )
    severity: SeverityOut | None = None
    offers: OffersOut | None = None
    services: list[str] | None = Field(
        None, description="Codes des services officiels à contacter, dans l'ordre où les proposer."
    )
    result_url: str | None = None


class SessionIn(Schema):
    audience: AudienceCode
    channel: Literal["api", "partenaire"] = "api"
    incident: str | None = Field(
        None,
        max_length=60,
        description="La situation que la victime a choisie parmi les suggestions de `/diagnostic/triage` : le "
        "parcours reprend à la question indiquée par la suggestion (les réponses qui mènent à cette situation sans "
        "rien supposer de plus sont remplies, les questions de situation sont toutes posées).",
    )


class TriageIn(Schema):
    audience: AudienceCode
    text: str = Field(
        max_length=200_000,
        description="Ce qui arrive à la victime, avec ses mots, ou le message reçu collé (20 000 caractères au plus "
        "analysés). Les adresses e-mail, numéros de téléphone, de carte et IBAN sont effacés avant l'analyse ; le "
        "texte n'est ni enregistré ni journalisé.",
    )


class SuggestionOut(Schema):
    incident: str
    label: str
    confidence: float = Field(description="De 0 à 1 : la probabilité de cette situation parmi celles du public.")
    confidence_label: str = Field(description="« Très probable », « Probable » ou « Possible ».")
    question: str | None = Field(
        description="La question à laquelle le parcours reprend si la victime choisit cette situation (null : le "
        "résultat vient tout de suite)."
    )


class RefusalOut(Schema):
    code: Literal["empty", "too_short", "too_long", "not_text", "no_description", "not_understood"]
    message: str


class TriageOut(Schema):
    suggestions: list[SuggestionOut] = Field(
        description="Les trois situations les plus probables, la première en tête."
    )
    low_confidence: bool = Field(
        description="Vrai si l'analyse n'est pas sûre (ou impossible) : proposez d'abord les questions du diagnostic."
    )
    refused: RefusalOut | None = Field(
        None, description="Pourquoi le texte n'a pas pu être analysé ; la victime continue avec les questions."
    )


class AnswerIn(Schema):
    question: str = Field(max_length=64)
    choice: str = Field(max_length=64)
    graph_version: int | None = Field(None, description="Si fourni, doit être la version de la session.")
    text: str = Field("", max_length=4000, description="Description libre, pour la réponse « je_ne_trouve_pas ».")


def _incidents_out(incidents) -> list[dict]:
    summaries = incident_summaries()
    return [
        {"code": i.code, "name": i.name, "summary": summaries.get(i.code, ""), "audiences": i.audiences}
        for i in incidents
    ]


def _result_out(result) -> dict:
    """What the result offers, as its pages show it (one composition)."""
    view = compose(result)
    body = {"services": view.service_codes, "situation": result.situation}
    if view.severity:
        body["severity"] = {"level": view.severity, "reasons": list(view.reasons)}
        body["offers"] = {
            "chat": view.chat_offered,
            "providers": view.provider_help,
            "expertise": list(view.expertise),
        }
    return body


def _session_out(request, progress: services.Progress) -> dict:
    session, step = progress.session, progress.step
    body = {
        "id": session.token,
        "graph_version": session.graph_version.number,
        "audience": session.audience,
        "status": session.status,
        "answers": session.answers,
    }
    if isinstance(step, engine.QuestionStep):
        body["question"] = {
            "id": step.question.id,
            "kind": "situation" if step.is_situation else "incident",
            "text": step.question.text,
            "help": step.question.help,
            "choices": [{"code": c.code, "label": c.label, "hint": c.hint} for c in step.choices],
            "number": step.number,
            "total": step.total,
        }
    elif isinstance(step, engine.OutcomeStep):
        body["outcome"] = _incidents_out(IncidentType.objects.filter(code=step.incident))[0]
    else:
        body["not_found"] = True
    if progress.result is not None:
        body.update(_result_out(progress.result))
        body["result_url"] = request.build_absolute_uri(reverse("diagnostic:result", args=[progress.result.token]))
    return body


def _session(session_id: str) -> DiagnosticSession:
    session = (
        DiagnosticSession.objects.select_related("graph_version")
        .defer("graph_version__data")
        .filter(token=session_id)
        .first()
    )
    if session is None:
        raise engine.DiagnosticError("session_not_found", "Cette session de diagnostic n'existe pas ou a été effacée.")
    services.ensure_open(session)
    return session


ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.get("/incidents", response=list[IncidentOut], summary="Les types d'incident reconnus")
def list_incidents(request):
    return _incidents_out(IncidentType.objects.order_by("code"))


@router.post(
    "/diagnostic/sessions", response={201: SessionOut, **ERRORS, 503: ErrorOut}, summary="Commencer un diagnostic"
)
def create_session(request, payload: SessionIn):
    if is_rate_limited(request, "diagnostic-start", settings.RATELIMIT_DIAGNOSTIC_START):
        raise engine.DiagnosticError(
            "rate_limited", "Trop de diagnostics commencés depuis cette adresse : réessayez plus tard."
        )
    progress = services.start_session(
        audience=payload.audience,
        channel=Channel(payload.channel),
        incident=payload.incident or "",
        suggested=bool(payload.incident),
    )
    return Status(201, _session_out(request, progress))


@router.post(
    "/diagnostic/triage", response={200: TriageOut, 429: ErrorOut}, summary="Suggérer la situation d'après un texte"
)
def post_triage(request, payload: TriageIn):
    """Les trois situations qui ressemblent le plus à la description de la victime, parmi celles de son public, avec
    la confiance de l'analyse. Un texte vide, trop court, trop long, qui n'est pas du texte, qui ne contient qu'une
    adresse ou un numéro, ou qui n'est pas compris (autre langue) reçoit `suggestions` vide, `low_confidence` vrai
    et `refused` : la victime continue avec les questions. Pour continuer à une suggestion, commencez la session
    avec `incident`."""
    if is_rate_limited(request, "triage", settings.RATELIMIT_TRIAGE):
        raise engine.DiagnosticError(
            "rate_limited", "Trop de descriptions analysées depuis cette adresse : réessayez plus tard."
        )
    found = suggestions.analyse(payload.text, payload.audience)
    return {
        "suggestions": [
            {
                "incident": offer.incident.code,
                "label": offer.incident.name,
                "confidence": offer.confidence,
                "confidence_label": offer.confidence_label,
                "question": offer.question,
            }
            for offer in found.offers
        ],
        "low_confidence": found.low_confidence,
        "refused": {"code": found.refused.code, "message": found.refused.message} if found.refused else None,
    }


@router.get(
    "/diagnostic/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="Où en est le diagnostic"
)
def get_session(request, session_id: str):
    return _session_out(request, services.progress_of(_session(session_id)))


@router.post(
    "/diagnostic/sessions/{session_id}/answers",
    response={200: SessionOut, **ERRORS},
    summary="Répondre à la question posée",
)
def post_answer(request, session_id: str, payload: AnswerIn):
    """Répond à la question en cours, questions de situation comprises. Une réponse à une autre question que celle
    posée (`question_not_current`, 409) ou un choix qui n'est pas proposé (`unknown_choice`, 422) sont refusés et
    ne changent rien. Une fois le diagnostic terminé, la session donne `severity`, `offers`, `services` et
    `situation`."""
    session = _session(session_id)
    if payload.graph_version is not None and payload.graph_version != session.graph_version.number:
        raise engine.DiagnosticError(
            "stale_version", "Cette réponse vise une autre version du questionnaire que celle de la session."
        )
    if payload.text and is_rate_limited(request, "free-text", settings.RATELIMIT_FREE_TEXT):
        raise engine.DiagnosticError(
            "rate_limited", "Trop de descriptions envoyées depuis cette adresse : réessayez plus tard."
        )
    progress = services.answer(
        session=session, question=payload.question, choice=payload.choice, description=payload.text
    )
    return _session_out(request, progress)


@router.post(
    "/diagnostic/sessions/{session_id}/back",
    response={200: SessionOut, **ERRORS},
    summary="Revenir à la question précédente",
)
def post_back(request, session_id: str):
    return _session_out(request, services.go_back(session=_session(session_id)))
