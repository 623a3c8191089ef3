"""Every write to a provider's referencing goes through here: one transaction each, e-mails after commit."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cyberaide.core import communes
from cyberaide.core.errors import UserError
from cyberaide.core.text import contains_markup

from . import notifications, workflow
from .models import CharterAcceptance, CharterVersion, Label, Provider, ProviderTransition, ServiceArea


class ApplicationError(UserError):
    pass


def ensure_editable(provider: Provider):
    if not provider.is_editable:
        raise ApplicationError(
            "Votre candidature a été envoyée : elle ne peut plus être modifiée tant que l'équipe l'examine."
            if provider.status == workflow.S.SUBMITTED
            else "Cette candidature ne peut plus être modifiée."
        )


def check_plain_text(**fields):
    for name, value in fields.items():
        if isinstance(value, str) and contains_markup(value):
            raise ApplicationError("Le texte ne doit pas contenir de balises HTML ni de script.", field=name)


@transaction.atomic
def start_application(*, owner, legal_name: str, siret: str) -> Provider:
    check_plain_text(legal_name=legal_name)
    if Provider.objects.filter(owner=owner).exists():
        raise ApplicationError("Ce compte a déjà une candidature.")
    if Provider.objects.filter(siret=siret).exists():
        raise ApplicationError("Ce SIRET est déjà référencé ou en cours de candidature.", field="siret")
    return Provider.objects.create(owner=owner, legal_name=legal_name.strip(), siret=siret)


@transaction.atomic
def update_application(provider: Provider, *, departements: list[str] | None = None, **fields) -> Provider:
    """Save one step of the application (only while it is a draft or information was requested)."""
    provider = Provider.objects.select_for_update(of=("self",)).get(pk=provider.pk)
    ensure_editable(provider)
    check_plain_text(**fields)
    if "siret" in fields and Provider.objects.filter(siret=fields["siret"]).exclude(pk=provider.pk).exists():
        raise ApplicationError("Ce SIRET est déjà référencé ou en cours de candidature.", field="siret")
    if "commune_code" in fields:
        commune = communes.commune_by_code(fields["commune_code"])
        if commune is None or fields.get("postcode", provider.postcode) not in commune.postcodes:
            raise ApplicationError("Ce code postal et cette commune ne correspondent pas.", field="postcode")
        fields.update(commune_name=commune.name, departement=commune.departement, lat=commune.lat, lon=commune.lon)
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.save()
    if departements is not None:
        provider.areas.all().delete()
        ServiceArea.objects.bulk_create(ServiceArea(provider=provider, departement=code) for code in departements)
    return provider


PRACTICAL_DETAILS = ("phone", "public_email", "website", "description", "price_statement", "radius_km", "remote")


@transaction.atomic
def update_practical_details(provider: Provider, *, departements: list[str], **fields) -> Provider:
    """A referenced provider keeps its contacts, presentation, prices and area up to date itself. What staff
    reviewed (name, SIRET, address, clientele, skills) is not changed here."""
    provider = Provider.objects.select_for_update(of=("self",)).get(pk=provider.pk)
    if not provider.is_active:
        raise ApplicationError("Seul un prestataire référencé peut modifier sa fiche ainsi.")
    unexpected = set(fields) - set(PRACTICAL_DETAILS)
    if unexpected:
        raise ApplicationError("Ces informations ne peuvent être changées que par notre équipe.")
    check_plain_text(**fields)
    if not (departements or fields.get("radius_km") or fields.get("remote")):
        raise ApplicationError("Indiquez au moins un département, un rayon d'intervention ou l'assistance à distance.")
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.save()
    provider.areas.all().delete()
    ServiceArea.objects.bulk_create(ServiceArea(provider=provider, departement=code) for code in departements)
    return provider


def missing_steps(provider: Provider) -> list[str]:
    """Names of the application steps still incomplete (empty when it can be submitted)."""
    missing = []
    if not (provider.street and provider.postcode and provider.commune_code):
        missing.append("adresse")
    if not (provider.clientele_mask and provider.expertise_mask and provider.price_statement and provider.description):
        missing.append("activite")
    if not (provider.remote or provider.radius_km or provider.areas.exists()):
        missing.append("zone")
    charter = CharterVersion.current()
    if charter is None or not provider.charter_acceptances.filter(charter=charter).exists():
        missing.append("charte")
    return missing


@transaction.atomic
def accept_charter(provider: Provider, *, charter: CharterVersion, by) -> CharterAcceptance:
    ensure_editable(provider)
    if charter is None:
        raise ApplicationError("La charte n'est pas encore publiée : réessayez plus tard.")
    if charter != CharterVersion.current():
        raise ApplicationError("La charte a changé entre-temps : relisez la nouvelle version avant de l'accepter.")
    acceptance, _ = CharterAcceptance.objects.get_or_create(
        provider=provider, charter=charter, defaults={"accepted_by": by}
    )
    return acceptance


@transaction.atomic
def submit(provider: Provider, *, by) -> ProviderTransition:
    missing = missing_steps(provider)
    if missing:
        raise ApplicationError("Votre candidature est incomplète : " + ", ".join(missing) + ".")
    return change_status(provider, "submit", by=by)


@transaction.atomic
def change_status(provider: Provider, action_code: str, *, by, reason: str = "") -> ProviderTransition:
    """Apply a referencing action (submit, or a staff decision) and tell the provider by e-mail."""
    try:
        transition = provider.apply_action(action_code, by=by, reason=reason)
    except workflow.TransitionError as error:
        raise ApplicationError(error.message) from error
    notifications.notify_status_change(provider, transition)
    return transition


@transaction.atomic
def grant_label(provider: Provider, *, by, valid_from: date | None = None, valid_until: date | None = None) -> Label:
    if not provider.is_referenced:
        raise ApplicationError("Seul un prestataire référencé peut recevoir le label ExpertCyber.")
    valid_from = valid_from or timezone.localdate()
    valid_until = valid_until or valid_from + timedelta(days=settings.LABEL_VALIDITY_DAYS)
    if valid_until < valid_from:
        raise ApplicationError("La fin de validité doit suivre son début.", field="valid_until")
    label = Label.objects.create(provider=provider, valid_from=valid_from, valid_until=valid_until, granted_by=by)
    notifications.notify_label(provider, label, granted=True)
    return label


@transaction.atomic
def revoke_label(label: Label, *, by, reason: str) -> Label:
    if not reason.strip():
        raise ApplicationError("Un motif est obligatoire pour retirer le label.", field="reason")
    label.revoked_at = timezone.now()
    label.revoked_reason = reason.strip()
    label.revoked_by = by
    label.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    notifications.notify_label(label.provider, label, granted=False)
    return label
