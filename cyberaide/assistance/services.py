"""Every change to an assistance request goes through here: the row locked, the step recorded, the provider's
dashboards and the e-mails told only after commit."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cyberaide.core.errors import UserError
from cyberaide.core.expertise import Expertise
from cyberaide.core.text import contains_markup
from cyberaide.diagnostic.models import DiagnosticResult, IncidentType
from cyberaide.diagnostic.services import record_follow_up
from cyberaide.providers.enums import CLIENTELE_OF_AUDIENCE, Clientele
from cyberaide.providers.models import Provider, mask_of
from cyberaide.providers.selectors import Place

from . import live, notifications, workflow
from .models import AssistanceRequest, InterventionReport, Rating, RequestEvent
from .workflow import Actor, Status

MESSAGE_MAX_LENGTH = 3000


class AssistanceError(UserError):
    pass


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""
    message: str = ""


def check_text(field: str, value: str, max_length: int = MESSAGE_MAX_LENGTH):
    if contains_markup(value):
        raise AssistanceError("Le texte ne doit pas contenir de balises HTML ni de script.", field=field)
    if len(value) > max_length:
        raise AssistanceError(f"Ce texte dépasse {max_length} caractères : raccourcissez-le.", field=field)


def check_provider_fits(provider: Provider, *, audience: str, expertise: tuple[str, ...], labelled_only: bool):
    """The victim may only send a request to a provider that the matching could have proposed."""
    fits = (
        provider.is_referenced
        and provider.clientele_mask & mask_of([CLIENTELE_OF_AUDIENCE[audience]], Clientele)
        and provider.expertise_mask & mask_of(expertise, Expertise)
        and (not labelled_only or provider.current_label() is not None)
    )
    if not fits:
        raise AssistanceError("Ce prestataire ne peut pas recevoir cette demande. Choisissez-en un dans la liste.")


def record(request: AssistanceRequest, action: str, from_status: str, *, actor: Actor, by=None, reason: str = ""):
    RequestEvent.objects.create(
        request=request,
        action=action,
        from_status=from_status,
        to_status=request.status,
        actor=actor,
        by=by,
        reason=reason,
    )


@transaction.atomic
def create_request(
    *,
    provider: Provider,
    place: Place,
    contact: Contact,
    consent: bool,
    result: DiagnosticResult | None = None,
    audience: str | None = None,
    needs: list | None = None,
    expertise: tuple[str, ...] = (),
    replaces: AssistanceRequest | None = None,
) -> tuple[AssistanceRequest, str]:
    """Create a request and return it with its follow-up token (shown once, e-mailed, stored hashed)."""
    if not consent:
        raise AssistanceError(
            "Cochez la case pour accepter que vos coordonnées soient transmises à ce prestataire.", field="consent"
        )
    for name, value in (
        ("contact_name", contact.name),
        ("contact_phone", contact.phone),
        ("message", contact.message),
    ):
        check_text(name, value)
    kind = AssistanceRequest.Kind.INCIDENT if result is not None else AssistanceRequest.Kind.SECURISATION
    audience = result.audience if result is not None else audience
    check_provider_fits(
        provider, audience=audience, expertise=expertise, labelled_only=kind == AssistanceRequest.Kind.SECURISATION
    )
    if replaces is not None and replaces.status not in workflow.ENDED_WITHOUT_HELP:
        raise AssistanceError("Votre première demande est toujours en cours : attendez sa réponse.")
    token, token_hash = AssistanceRequest.new_follow_up_token()
    now = timezone.now()
    request = AssistanceRequest.objects.create(
        kind=kind,
        provider=provider,
        result=result,
        incident=result.incident if result is not None else None,
        audience=audience,
        needs=needs or [],
        postcode=place.postcode,
        commune_name=place.name,
        departement=place.departement,
        contact_name=contact.name.strip(),
        contact_email=contact.email.strip(),
        contact_phone=contact.phone.strip(),
        message=contact.message.strip(),
        consent_at=now,
        follow_up_token_hash=token_hash,
        status=Status.NEW,
        respond_by=now + timedelta(hours=settings.ASSISTANCE_RESPONSE_HOURS),
        replaces=replaces,
    )
    record(request, "create", "", actor=Actor.VICTIM)
    record_follow_up(result, provider=True)
    notifications.request_created(request, token)
    live.announce_requests_changed(provider.pk)
    return request, token


def locked(request: AssistanceRequest) -> AssistanceRequest:
    return AssistanceRequest.objects.select_for_update(of=("self",)).select_related("provider").get(pk=request.pk)


def transition(
    request: AssistanceRequest, action: str, *, actor: Actor, by=None, reason: str = ""
) -> AssistanceRequest:
    """Apply one workflow action to a locked request and record it."""
    try:
        target = workflow.next_status(request.status, action, actor=actor, reason=reason)
    except workflow.TransitionError as error:
        raise AssistanceError(error.message) from error
    previous = request.status
    request.status = target
    if target in workflow.FINAL or target == Status.CLOSED:
        request.ended_at = request.ended_at or timezone.now()
    request.save()
    record(request, action, previous, actor=actor, by=by, reason=reason.strip())
    live.announce_requests_changed(request.provider_id)
    return request


def check_owner(request: AssistanceRequest, provider: Provider):
    if request.provider_id != provider.pk:
        raise AssistanceError("Cette demande n'est pas la vôtre.")


def provider_action(request: AssistanceRequest, action: str, *, provider: Provider, by, reason: str = ""):
    """accept, decline or start, by the provider the request was sent to. Too late, the request expires."""
    if request.provider_id == provider.pk and expire_if_overdue(request):
        raise AssistanceError(
            "Le délai de réponse est dépassé : la victime a été invitée à choisir un autre prestataire."
        )
    return apply_provider_action(request, action, provider=provider, by=by, reason=reason)


@transaction.atomic
def apply_provider_action(request: AssistanceRequest, action: str, *, provider: Provider, by, reason: str = ""):
    request = locked(request)
    check_owner(request, provider)
    if action not in ("accept", "decline", "start"):
        raise AssistanceError("Cette action n'existe pas.")
    check_text("reason", reason, 1000)
    request = transition(request, action, actor=Actor.PROVIDER, by=by, reason=reason)
    if action == "decline":
        request.decline_reason = reason.strip()
        request.save(update_fields=["decline_reason"])
    notifications.status_changed(request)
    return request


@transaction.atomic
def close_with_report(
    request: AssistanceRequest,
    *,
    provider: Provider,
    by,
    incident_confirmed: bool,
    incident: IncidentType | None,
    actions: str,
    outcome: str,
    sector: str = "",
) -> InterventionReport:
    request = locked(request)
    check_owner(request, provider)
    check_text("actions", actions)
    if not actions.strip():
        raise AssistanceError("Décrivez ce que vous avez fait.", field="actions")
    if not incident_confirmed and incident is None:
        raise AssistanceError("Indiquez de quel incident il s'agissait finalement.", field="incident")
    if outcome not in InterventionReport.Outcome.values:
        raise AssistanceError("Choisissez l'issue de l'intervention.", field="outcome")
    request = transition(request, "close", actor=Actor.PROVIDER, by=by)
    report = InterventionReport.objects.create(
        request=request,
        incident_confirmed=incident_confirmed,
        incident=request.incident if incident_confirmed else incident,
        actions=actions.strip(),
        outcome=outcome,
        sector=sector,
    )
    notifications.status_changed(request)
    return report


@transaction.atomic
def rate(request: AssistanceRequest, *, score: int, comment: str = "") -> Rating:
    request = locked(request)
    if Rating.objects.filter(request=request).exists():
        raise AssistanceError("Vous avez déjà donné votre avis sur cette intervention. Merci !")
    if request.status != Status.CLOSED:
        raise AssistanceError("Vous pourrez noter l'intervention quand le prestataire l'aura clôturée.")
    if not 1 <= score <= 5:
        raise AssistanceError("Choisissez une note de 1 à 5.", field="score")
    check_text("comment", comment, 1000)
    transition(request, "rate", actor=Actor.VICTIM)
    return Rating.objects.create(request=request, score=score, comment=comment.strip())


@transaction.atomic
def moderate(rating: Rating, *, publish: bool, by, reason: str = "") -> Rating:
    """Staff publish a rating (its score then counts for the provider) or reject it (with a reason)."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("request__provider").get(pk=rating.pk)
    if rating.status != Rating.Status.PENDING:
        raise AssistanceError("Cet avis a déjà été modéré.")
    if not publish and not reason.strip():
        raise AssistanceError("Un motif est obligatoire pour refuser un avis.", field="reason")
    rating.status = Rating.Status.PUBLISHED if publish else Rating.Status.REJECTED
    rating.moderated_by, rating.moderated_at, rating.moderation_reason = by, timezone.now(), reason.strip()
    rating.save()
    if publish:
        provider = Provider.objects.select_for_update(of=("self",)).get(pk=rating.request.provider_id)
        provider.rating_sum += rating.score
        provider.rating_count += 1
        provider.save(update_fields=["rating_sum", "rating_count"])
    return rating


def expire(request: AssistanceRequest):
    """Close a locked, overdue request as expired and tell the victim they may choose another provider."""
    transition(request, "expire", actor=Actor.SYSTEM)
    notifications.request_expired(request)


@transaction.atomic
def expire_if_overdue(request: AssistanceRequest, now=None) -> bool:
    now = now or timezone.now()
    request = locked(request)
    if request.status == Status.NEW and request.respond_by < now:
        expire(request)
        return True
    return False


def expire_overdue(now=None) -> int:
    """Expire every request that was not answered in time. Run by the scheduler (``expire_requests``)."""
    overdue = AssistanceRequest.objects.filter(status=Status.NEW, respond_by__lt=now or timezone.now())
    return sum(expire_if_overdue(request, now) for request in overdue.only("pk"))


def erase_old_contacts(now=None) -> int:
    """Erase the contact details of requests that ended more than the retention period ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ASSISTANCE_CONTACT_RETENTION_DAYS)
    return AssistanceRequest.objects.filter(ended_at__lt=cutoff, contact_erased_at=None).update(
        contact_name="", contact_email="", contact_phone="", message="", needs=[], contact_erased_at=now
    )
