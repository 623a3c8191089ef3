"""Every change to a 17Cyber conversation goes through here: the row locked, each message stored with the next
sequence number before anyone is told, the open pages told only after commit (``live``)."""

import dataclasses
import re
import secrets
import statistics
import uuid
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import TruncDay
from django.utils import timezone

from cyberaide.core import communes
from cyberaide.core.errors import UserError
from cyberaide.core.ratelimit import is_over_limit
from cyberaide.core.tokens import hash_token
from cyberaide.diagnostic.models import DiagnosticResult
from cyberaide.diagnostic.services import record_follow_up

from . import coverage, lifecycle, live, queue
from .lifecycle import (
    AGENT_OUTCOMES,
    COMPLAINT_OUTCOMES,
    OUTCOME_LABELS,
    SHEET_OUTCOMES,
    Author,
    Outcome,
    Status,
)
from .models import (
    Agent,
    CommuneCoverage,
    Conversation,
    ConversationEvent,
    Force,
    Message,
    TransmissionSheet,
    online_since,
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ChatError(UserError):
    pass


# ---- Reading --------------------------------------------------------------------------------------------------


def conversation_for_token(token: str) -> Conversation | None:
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return (
        Conversation.objects.select_related("incident", "agent", "partner")
        .filter(token_hash=hash_token(token))
        .first()
    )


def messages_after(conversation: Conversation, after: int = 0, limit: int | None = 500) -> list[Message]:
    """The messages after number ``after``, in order; a client that gets ``limit`` of them asks again."""
    messages = conversation.messages.filter(seq__gt=max(0, after)).select_related("agent").order_by("seq")
    return list(messages if limit is None else messages[:limit])


def agents_online(force: str | None = None) -> int:
    agents = Agent.objects.filter(is_active=True, on_duty=True, last_seen_at__gte=online_since())
    return agents.filter(force=force).count() if force else agents.count()


def online_agents_by_force() -> dict[str, int]:
    return {force: agents_online(force) for force in Force.values}


def typical_handling_minutes() -> float:
    """Median length of the conversations closed by an agent in the last day; a sensible default otherwise.
    Kept a minute in the cache: every waiting victim's page asks for it when the queue moves."""
    return cache.get_or_set("chat:typical-handling-minutes", _typical_handling_minutes, 60)


def _typical_handling_minutes() -> float:
    since = timezone.now() - timedelta(days=1)
    durations = [
        (closed - claimed).total_seconds() / 60
        for claimed, closed in Conversation.objects.filter(
            closed_at__gte=since, claimed_at__isnull=False, outcome__in=AGENT_OUTCOMES
        ).values_list("claimed_at", "closed_at")[:500]
    ]
    return statistics.median(durations) if len(durations) >= 5 else queue.DEFAULT_HANDLING_MINUTES


def waiting_items(force: str) -> list[queue.Waiting]:
    rows = Conversation.objects.filter(status=Status.WAITING, force=force).values_list(
        "id", "severity_rank", "opened_at"
    )
    return [queue.Waiting(*row) for row in rows]


@dataclass(frozen=True)
class QueueStatus:
    position: int
    agents_online: int
    wait_minutes: int | None


def queue_status(conversation: Conversation) -> QueueStatus | None:
    if conversation.status != Status.WAITING:
        return None
    items = waiting_items(conversation.force)
    me = queue.Waiting(conversation.id, conversation.severity_rank, conversation.opened_at)
    position = queue.position_of(me, items)
    online = agents_online(conversation.force)
    return QueueStatus(position, online, queue.estimated_wait_minutes(position, online, typical_handling_minutes()))


def queue_for(agent: Agent) -> list[Conversation]:
    """The waiting conversations of the agent's force, most serious first, then the longest waiting."""
    return list(
        Conversation.objects.filter(status=Status.WAITING, force=agent.force)
        .select_related("incident")
        .order_by("severity_rank", "opened_at", "id")[:200]
    )


def held_by(agent: Agent) -> list[Conversation]:
    return list(
        Conversation.objects.filter(status=Status.ACTIVE, agent=agent)
        .select_related("incident")
        .order_by("claimed_at")
    )


# ---- Routing --------------------------------------------------------------------------------------------------


def forces_for_communes(candidates: list[communes.Commune]) -> list[str]:
    """The force covering each commune, with the staff overrides read in one query."""
    codes = [c.insee_code for c in candidates if c.insee_code]
    overrides = dict(CommuneCoverage.objects.filter(insee_code__in=codes).values_list("insee_code", "force"))
    return [coverage.force_for(c.insee_code, c.departement, c.population, overrides) for c in candidates]


def force_for_commune(commune: communes.Commune) -> str:
    return forces_for_communes([commune])[0]


def resolve_commune(postcode: str, commune_code: str = "") -> tuple[communes.Commune | None, list[communes.Commune]]:
    """The victim's commune from a postcode, or the communes to choose from when it is shared by several.

    Raises a ChatError for a postcode that does not exist."""
    clean = communes.clean_postcode(postcode or "")
    candidates = communes.communes_for_postcode(clean) if clean else []
    if not candidates:
        raise ChatError("Ce code postal n'existe pas. Vérifiez-le (5 chiffres, par exemple 35000).", field="postcode")
    if len(candidates) == 1:
        return candidates[0], candidates
    chosen = next((c for c in candidates if c.insee_code == commune_code), None)
    if chosen is None and len(set(forces_for_communes(candidates))) == 1:
        # Every commune goes to the same queue: no need to ask, but the agent is told the commune is not known.
        biggest = max(candidates, key=lambda c: c.population)
        chosen = dataclasses.replace(biggest, insee_code="", name=f"code postal {clean}, commune non précisée")
    return chosen, candidates


# ---- Opening ----------------------------------------------------------------------------------------------------


def diagnosis_summary(result: DiagnosticResult) -> dict:
    """What the agent reads before answering, so the victim does not repeat it."""
    incident = result.incident
    return {
        "incident": incident.name if incident else "",
        "severity": result.get_severity_display().lower() if result.severity else "",
        "reasons": list(result.assessment.get("reasons", [])),
        "audience": result.audience,
        "answers": [{"question": line["question"], "answer": line["answer"]} for line in result.answers],
        "description": result.description,
        "result_created_at": result.created_at.isoformat(),
    }


def chat_available_for(result: DiagnosticResult) -> bool:
    return bool(result.incident_id and result.chat_offered)


@transaction.atomic
def open_conversation(*, result: DiagnosticResult, commune: communes.Commune) -> tuple[Conversation, str]:
    """A new conversation in the queue of the force covering the commune. Returns it and the victim's token,
    which is stored only hashed."""
    if not chat_available_for(result):
        raise ChatError("La discussion avec un policier ou un gendarme n'est pas proposée pour cette situation.")
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    conversation = Conversation.objects.create(
        token_hash=hash_token(token),
        force=force_for_commune(commune),
        result=result,
        partner_id=result.partner_id,
        incident=result.incident,
        audience=result.audience,
        severity_rank=queue.severity_rank(result.severity, result.assessment.get("priority", 0)),
        diagnosis=diagnosis_summary(result),
        commune_code=commune.insee_code,
        commune_name=commune.name,
        departement=commune.departement,
        opened_at=now,
        last_activity_at=now,
    )
    event(conversation, "open", detail=conversation.force)
    record_follow_up(result, chat=True)
    _system_message(
        conversation,
        f"Votre demande est transmise à la {Force(conversation.force).label.lower()}. Un agent va vous répondre. "
        "Vous pouvez déjà écrire ce qui vous arrive.",
    )
    live.queue_changed(conversation.force)
    return conversation, token


# ---- Messages ---------------------------------------------------------------------------------------------------


def check_body(body) -> str:
    if not isinstance(body, str):
        raise ChatError("Le message doit être un texte.", field="body")
    body = body.strip()
    if not body:
        raise ChatError("Votre message est vide : écrivez quelque chose avant d'envoyer.", field="body")
    if len(body) > settings.CHAT_MESSAGE_MAX_LENGTH:
        raise ChatError(
            f"Votre message dépasse {settings.CHAT_MESSAGE_MAX_LENGTH} caractères : coupez-le en plusieurs messages.",
            field="body",
        )
    if CONTROL_CHARACTERS.search(body):
        raise ChatError("Votre message contient des caractères invisibles non autorisés.", field="body")
    return body


def check_client_id(client_id) -> str:
    try:
        return str(uuid.UUID(str(client_id)))
    except (ValueError, TypeError, AttributeError):
        raise ChatError("Identifiant de message invalide : rechargez la page.", field="client_id") from None


def _next_status(status: Status, action: str) -> Status:
    try:
        return lifecycle.next_status(status, action)
    except UserError as error:
        raise ChatError(error.message) from None


def _locked(conversation_id: int) -> Conversation:
    return Conversation.objects.select_for_update(of=("self",)).select_related("agent").get(pk=conversation_id)


def _append(conversation: Conversation, author: Author, body: str, *, client_id: str = "", agent=None) -> Message:
    """Store the next message of a locked conversation and tell its pages after commit."""
    now = timezone.now()
    conversation.last_seq += 1
    conversation.last_activity_at = now
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=F("last_seq") + 1, last_activity_at=now)
    message = Message.objects.create(
        conversation=conversation,
        seq=conversation.last_seq,
        author=author,
        agent=agent,
        client_id=client_id,
        body=body,
        created_at=now,
    )
    live.message_posted(conversation.pk, message)
    return message


def _system_message(conversation: Conversation, body: str) -> Message:
    return _append(conversation, Author.SYSTEM, body)


class RateLimited(ChatError):
    code = "rate_limited"


@transaction.atomic
def post_message(
    conversation: Conversation, *, author: Author, body, client_id, agent: Agent | None = None, limit_rate=False
) -> tuple[Message, bool]:
    """Store a message, once: sending again the same ``client_id`` returns the stored one (created=False).

    With ``limit_rate`` (what people type) the conversation's side is held to ``RATELIMIT_CHAT_MESSAGE``, counted
    only for a new message: a resend after a cut is not counted."""
    body = check_body(body)
    client_id = check_client_id(client_id)
    locked = _locked(conversation.pk)
    existing = Message.objects.filter(conversation=locked, client_id=client_id).first()
    if existing is not None:
        same_sender = existing.author == author and existing.agent_id == (agent.pk if agent else None)
        if not same_sender or existing.body != body:
            raise ChatError("Identifiant de message déjà utilisé : rechargez la page.", field="client_id")
        return existing, False
    if author == Author.AGENT and (agent is None or locked.agent_id != agent.pk or not locked.agent.is_active):
        raise ChatError("Cette discussion n'est pas la vôtre.")
    if not lifecycle.may_write(Status(locked.status), author):
        raise ChatError(lifecycle.REFUSALS[Status(locked.status)])
    if limit_rate and is_over_limit(f"chat-message:{locked.pk}:{author}", settings.RATELIMIT_CHAT_MESSAGE):
        raise RateLimited("Vous envoyez beaucoup de messages : patientez un instant.")
    return _append(locked, author, body, client_id=client_id, agent=agent), True


# ---- Agents' actions ---------------------------------------------------------------------------------------------


def event(conversation: Conversation, action: str, *, agent: Agent | None = None, detail: str = ""):
    ConversationEvent.objects.create(conversation=conversation, action=action, agent=agent, detail=detail[:200])


def _check_agent(agent: Agent):
    if agent is None or not agent.is_active:
        raise ChatError("Votre compte d'agent n'est pas actif.")


def _move(conversation: Conversation, action: str) -> Conversation:
    locked = _locked(conversation.pk)
    locked.status = _next_status(Status(locked.status), action)
    return locked


@transaction.atomic
def claim(conversation: Conversation, *, agent: Agent) -> Conversation:
    _check_agent(agent)
    locked = _locked(conversation.pk)
    if locked.force != agent.force:
        raise ChatError("Cette discussion est dans la file de l'autre force.")
    locked.status = _next_status(Status(locked.status), "claim")
    locked.agent = agent
    locked.claimed_at = locked.claimed_at or timezone.now()
    locked.save(update_fields=["status", "agent", "claimed_at"])
    event(locked, "claim", agent=agent)
    _system_message(locked, f"{agent.display_name} ({agent.get_force_display()}) a rejoint la discussion.")
    live.status_changed(locked.pk)
    live.queue_changed(locked.force)
    return locked


def _check_holder(conversation: Conversation, agent: Agent):
    _check_agent(agent)
    if conversation.agent_id != agent.pk:
        raise ChatError("Cette discussion n'est pas la vôtre.")


@transaction.atomic
def transfer_to_agent(conversation: Conversation, *, agent: Agent, to_agent: Agent) -> Conversation:
    locked = _locked(conversation.pk)
    _check_holder(locked, agent)
    to_agent = Agent.objects.get(pk=to_agent.pk)
    if to_agent.pk == agent.pk or not to_agent.is_online:
        raise ChatError("Choisissez un autre agent en service.", field="to")
    locked.status = _next_status(Status(locked.status), "transfer_to_agent")
    locked.agent = to_agent
    locked.force = to_agent.force
    locked.save(update_fields=["status", "agent", "force"])
    event(locked, "transfer", agent=agent, detail=f"vers {to_agent.display_name}")
    _system_message(locked, f"{agent.display_name} a passé la discussion à {to_agent.display_name}.")
    live.status_changed(locked.pk)
    live.agent_changed(to_agent.pk)
    return locked


@transaction.atomic
def transfer_to_queue(conversation: Conversation, *, agent: Agent, force: str, check_active=True) -> Conversation:
    if force not in Force.values:
        raise ChatError("Choisissez la file de la police ou de la gendarmerie.", field="to")
    locked = _locked(conversation.pk)
    if check_active:
        _check_holder(locked, agent)
    elif locked.agent_id != agent.pk:
        raise ChatError("Cette discussion n'est pas la vôtre.")
    locked.status = _next_status(Status(locked.status), "transfer_to_queue")
    locked.agent = None
    locked.force = force
    locked.save(update_fields=["status", "agent", "force"])
    event(locked, "transfer", agent=agent, detail=f"vers la file {force}")
    _system_message(locked, f"{agent.display_name} a remis la discussion en attente : un autre agent va répondre.")
    live.status_changed(locked.pk)
    live.queue_changed(force)
    return locked


@dataclass(frozen=True)
class SheetDraft:
    unit: str
    evidence: str
    note: str = ""


@transaction.atomic
def close(conversation: Conversation, *, agent: Agent, outcome: str, sheet: SheetDraft | None = None) -> Conversation:
    if outcome not in AGENT_OUTCOMES:
        raise ChatError("Choisissez l'issue de la discussion.", field="outcome")
    locked = _locked(conversation.pk)
    _check_holder(locked, agent)
    if Outcome(outcome) in SHEET_OUTCOMES:
        if sheet is None or not sheet.unit.strip() or not sheet.evidence.strip():
            raise ChatError(
                "Pour une plainte, un rendez-vous ou un signalement urgent, indiquez l'unité destinataire et les "
                "preuves que détient la victime : la fiche de transmission leur évitera de tout raconter à nouveau.",
                field="unit",
            )
    locked.status = _next_status(Status(locked.status), "close")
    locked.outcome = outcome
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "closed_at"])
    if Outcome(outcome) in SHEET_OUTCOMES:
        TransmissionSheet.objects.create(
            conversation=locked,
            unit=sheet.unit.strip()[:200],
            evidence=sheet.evidence.strip()[:3000],
            note=sheet.note.strip()[:3000],
            created_by=agent,
        )
        event(locked, "sheet", agent=agent, detail=sheet.unit.strip()[:150])
    event(locked, "close", agent=agent, detail=outcome)
    if Outcome(outcome) in COMPLAINT_OUTCOMES:
        record_follow_up(locked.result, complaint=True)
    _system_message(
        locked, f"{agent.display_name} a terminé la discussion. Issue : {OUTCOME_LABELS[Outcome(outcome)]}."
    )
    live.status_changed(locked.pk)
    return locked


@transaction.atomic
def leave(conversation: Conversation) -> Conversation:
    """The victim ends the conversation."""
    locked = _move(conversation, "leave")
    was_waiting = locked.agent_id is None
    locked.outcome = Outcome.VICTIM_LEFT
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "closed_at"])
    event(locked, "leave")
    _system_message(locked, "La personne a quitté la discussion.")
    live.status_changed(locked.pk)
    if was_waiting:
        live.queue_changed(locked.force)
    return locked


def close_abandoned(now=None) -> int:
    """Close the conversations in which nobody wrote for ``CHAT_ABANDON_HOURS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.CHAT_ABANDON_HOURS)
    stale = Conversation.objects.filter(
        status__in=[Status.WAITING, Status.ACTIVE], last_activity_at__lt=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        with transaction.atomic():
            locked = _locked(pk)
            if locked.status == Status.CLOSED or locked.last_activity_at >= cutoff:
                continue  # closed meanwhile, or someone wrote since the list was read
            locked.status = _next_status(Status(locked.status), "abandon")
            locked.outcome = Outcome.ABANDONED
            locked.closed_at = now
            locked.save(update_fields=["status", "outcome", "closed_at"])
            event(locked, "abandon")
            _system_message(locked, "Discussion clôturée faute d'activité.")
            live.status_changed(locked.pk)
            count += 1
    return count


# ---- Presence ---------------------------------------------------------------------------------------------------


def set_on_duty(agent: Agent, on_duty: bool):
    now = timezone.now()
    Agent.objects.filter(pk=agent.pk).update(on_duty=on_duty, last_seen_at=now)
    agent.on_duty, agent.last_seen_at = on_duty, now
    live.presence_changed()


def heartbeat(agent_id: int):
    Agent.objects.filter(pk=agent_id, is_active=True).update(last_seen_at=timezone.now())


def withdraw(agent: Agent) -> int:
    """An agent's access withdrawn (or signed out): off duty, and the conversations they held back to their queue."""
    Agent.objects.filter(pk=agent.pk).update(on_duty=False)
    held = list(Conversation.objects.filter(status=Status.ACTIVE, agent=agent))
    for conversation in held:
        transfer_to_queue(conversation, agent=agent, force=conversation.force, check_active=False)
    live.presence_changed()
    return len(held)


# ---- Retention ----------------------------------------------------------------------------------------------------


ROUNDED_WHEN_PURGED = ("opened_at", "claimed_at", "closed_at", "last_activity_at")


def purge_old(now=None) -> int:
    """Erase what is personal in conversations closed ``CHAT_RETENTION_DAYS`` ago: messages, diagnosis summary,
    commune, transmission sheet, audit details. The anonymous remainder (incident, force, département, outcome,
    dates) stays for the statistics."""
    now = now or timezone.now()
    close_abandoned(now)
    old = Conversation.objects.filter(
        status=Status.CLOSED,
        purged_at__isnull=True,
        closed_at__lt=now - timedelta(days=settings.CHAT_RETENTION_DAYS),
    )
    ids = list(old.values_list("pk", flat=True))
    with transaction.atomic():
        Message.objects.filter(conversation_id__in=ids).delete()
        TransmissionSheet.objects.filter(conversation_id__in=ids).delete()
        ConversationEvent.objects.filter(conversation_id__in=ids).update(detail="")
        # Exact times could single someone out in small numbers: the day is enough for the statistics.
        Conversation.objects.filter(pk__in=ids).update(
            diagnosis={},
            result=None,
            commune_code="",
            commune_name="",
            purged_at=now,
            **{
                name: TruncDay(name, tzinfo=UTC)
                for name in ("opened_at", "claimed_at", "closed_at", "last_activity_at")
            },
        )
    return len(ids)
