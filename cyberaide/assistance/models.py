"""Requests from victims to providers, what the provider reported, and what the victim thought of it.

Personal data: the contact details and message of an assistance request (name, e-mail, phone, message).
They are only shown to the chosen provider and to the holder of the follow-up link, and are erased
``ASSISTANCE_CONTACT_RETENTION_DAYS`` after the request ended (``purge_personal_data``). The follow-up
token is stored hashed: the database alone does not give access to a victim's request.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cyberaide.core.audiences import Audience
from cyberaide.core.tokens import hash_token, reference
from cyberaide.diagnostic.models import DiagnosticResult, IncidentType
from cyberaide.providers.models import Provider

from .workflow import EVENT_LABELS, OPEN, STATUS_LABELS, Actor, Status


def new_reference() -> str:
    return reference("A")


class AssistanceRequest(models.Model):
    class Kind(models.TextChoices):
        INCIDENT = "incident", "Assistance après un incident"
        SECURISATION = "securisation", "Sécurisation des systèmes"

    reference = models.CharField("référence", max_length=12, unique=True, default=new_reference)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.INCIDENT)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="requests", verbose_name="prestataire"
    )
    result = models.ForeignKey(DiagnosticResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    incident = models.ForeignKey(IncidentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    needs = models.JSONField(default=list, blank=True)  # securisation: [[question, answer], ...]
    postcode = models.CharField(max_length=5)
    commune_name = models.CharField(max_length=100)
    departement = models.CharField("département", max_length=3)
    contact_name = models.CharField(max_length=100)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    consent_at = models.DateTimeField()
    follow_up_token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField("état", max_length=20, choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    decline_reason = models.TextField(blank=True)
    respond_by = models.DateTimeField()
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "demande d'assistance"
        verbose_name_plural = "demandes d'assistance"
        indexes = [models.Index(fields=["provider", "status"]), models.Index(fields=["status", "respond_by"])]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.NEW and timezone.now() > self.respond_by

    @classmethod
    def new_follow_up_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @classmethod
    def by_follow_up_token(cls, token: str):
        return (
            cls.objects.select_related("provider", "incident").filter(follow_up_token_hash=hash_token(token)).first()
        )


class RequestEvent(models.Model):
    """One step in a request's history: who did what, when and why. Never edited."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=20, choices=[(a.value, a.value) for a in Actor])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id} {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class InterventionReport(models.Model):
    """What the provider found and did. Feeds the observatory (incident, audience, sector, outcome only)."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Problème résolu"
        PARTLY = "partly_resolved", "Problème en partie résolu"
        NOT_RESOLVED = "not_resolved", "Problème non résolu"
        REDIRECTED = "redirected", "Orienté vers un autre interlocuteur"

    class Sector(models.TextChoices):
        NONE = "", "Sans objet (particulier)"
        COMMERCE = "commerce", "Commerce, artisanat"
        SERVICES = "services", "Services aux entreprises"
        HEALTH = "sante", "Santé, social"
        INDUSTRY = "industrie", "Industrie, BTP"
        AGRICULTURE = "agriculture", "Agriculture"
        PUBLIC = "public", "Administration, collectivité"
        ASSOCIATION = "association", "Association"
        OTHER = "autre", "Autre"

    request = models.OneToOneField(
        AssistanceRequest, on_delete=models.CASCADE, related_name="report", verbose_name="demande"
    )
    incident_confirmed = models.BooleanField("diagnostic confirmé")
    incident = models.ForeignKey(IncidentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    actions = models.TextField()
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices)
    created_at = models.DateTimeField("rédigé le", default=timezone.now)

    class Meta:
        verbose_name = "rapport d'intervention"
        verbose_name_plural = "rapports d'intervention"

    def __str__(self):
        return f"Rapport {self.request_id}"


class Rating(models.Model):
    """The victim's opinion. Shown publicly only once staff have accepted the comment."""

    class Status(models.TextChoices):
        PENDING = "pending", "À modérer"
        PUBLISHED = "published", "Publiée"
        REJECTED = "rejected", "Refusée"

    request = models.OneToOneField(
        AssistanceRequest, on_delete=models.CASCADE, related_name="rating", verbose_name="demande"
    )
    score = models.PositiveSmallIntegerField("note", validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField("commentaire", blank=True)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField("reçu le", default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "avis"
        verbose_name_plural = "avis"
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5")
        ]

    def __str__(self):
        return f"{self.score}/5"
