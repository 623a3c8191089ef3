"""17Cyber: live conversations between victims and police officers or gendarmes.

Personal data: what the victim writes, the diagnosis summary copied when the conversation opens, the commune,
and the transmission sheet. The victim's link holds a token stored only as a SHA-256 hash. Everything
personal is erased ``CHAT_RETENTION_DAYS`` after the conversation closed (``purge_personal_data``); what
remains (incident, force, département, outcome, dates) is anonymous and feeds the statistics.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from cyberaide.core.audiences import Audience
from cyberaide.core.tokens import reference
from cyberaide.diagnostic.models import DiagnosticResult, IncidentType

from .lifecycle import OUTCOME_LABELS, STATUS_LABELS, Author, Status


def new_reference() -> str:
    return reference("C")


class Force(models.TextChoices):
    POLICE = "police", "Police nationale"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"


class Agent(models.Model):
    """A police officer or gendarme who answers on 17Cyber. Signs in with a password and a one-time code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_agent")
    force = models.CharField("force", max_length=12, choices=Force.choices)
    display_name = models.CharField(
        "nom montré à la victime", max_length=60, help_text="Par exemple « Gendarme Laurent » ou « Brigadier Diallo »."
    )
    unit = models.CharField("unité", max_length=120, blank=True)
    is_active = models.BooleanField("peut répondre", default=True)
    on_duty = models.BooleanField("en service", default=False)
    last_seen_at = models.DateTimeField("vu pour la dernière fois", null=True, blank=True)

    class Meta:
        verbose_name = "agent 17Cyber"
        verbose_name_plural = "agents 17Cyber"
        ordering = ["force", "display_name"]

    def __str__(self):
        return f"{self.display_name} ({self.get_force_display()})"

    @property
    def is_online(self) -> bool:
        return (
            self.is_active and self.on_duty and self.last_seen_at is not None and self.last_seen_at >= online_since()
        )


def online_since():
    """Agents seen after this moment are online (their console says so every 30 seconds)."""
    return timezone.now() - timedelta(seconds=settings.CHAT_PRESENCE_TIMEOUT_SECONDS)


class CommuneCoverage(models.Model):
    """A staff correction of the offline rule: this commune is covered by that force."""

    insee_code = models.CharField("code INSEE de la commune", max_length=5, unique=True)
    commune_name = models.CharField("commune", max_length=100, editable=False)
    force = models.CharField("force compétente", max_length=12, choices=Force.choices)
    note = models.CharField("pourquoi", max_length=200, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "compétence sur une commune"
        verbose_name_plural = "compétences sur les communes"
        ordering = ["insee_code"]

    def __str__(self):
        return f"{self.commune_name} ({self.insee_code}) : {self.get_force_display()}"


class Conversation(models.Model):
    reference = models.CharField("référence", max_length=12, unique=True, default=new_reference)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        "état", max_length=10, choices=[(s.value, label) for s, label in STATUS_LABELS.items()], default=Status.WAITING
    )
    force = models.CharField("file", max_length=12, choices=Force.choices)
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations", verbose_name="agent"
    )
    result = models.ForeignKey(DiagnosticResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="partenaire",
    )
    incident = models.ForeignKey(IncidentType, null=True, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField("public", max_length=20, choices=Audience.choices)
    severity_rank = models.PositiveSmallIntegerField("rang de priorité (gravité, puis urgence ; 0 = le premier servi)")
    diagnosis = models.JSONField("résumé du diagnostic", default=dict, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=100, blank=True)
    departement = models.CharField("département", max_length=3, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    claimed_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    closed_at = models.DateTimeField("terminée le", null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(
        "issue", max_length=12, blank=True, choices=[(o.value, label) for o, label in OUTCOME_LABELS.items()]
    )
    purged_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)

    class Meta:
        verbose_name = "discussion 17Cyber"
        verbose_name_plural = "discussions 17Cyber"
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["status", "force", "severity_rank", "opened_at"], name="chat_queue")]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class Message(models.Model):
    """One line of a conversation. ``seq`` counts from 1 in each conversation, without gap: a client that saw
    up to n asks for what comes after n. ``client_id`` is chosen by the sender, so a resend is recognised."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    author = models.CharField(max_length=8, choices=[(a.value, a.value) for a in Author])
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.CharField(max_length=36, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="unique_message_seq"),
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=~models.Q(client_id=""),
                name="unique_message_client_id",
            ),
        ]

    def __str__(self):
        return f"{self.conversation_id}#{self.seq}"


class ConversationEvent(models.Model):
    """What agents and the system did to a conversation, for the audit trail."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "événement de discussion"
        verbose_name_plural = "événements de discussion"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.conversation_id} {self.action}"


class TransmissionSheet(models.Model):
    """What the agent passes to the local unit for a complaint, an appointment or an emergency, so that the
    victim does not have to tell the story again: the diagnosis and transcript come from the conversation."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="sheet")
    unit = models.CharField("unité destinataire", max_length=200)
    evidence = models.TextField("preuves que la victime détient")
    note = models.TextField("observations de l'agent", blank=True)
    created_by = models.ForeignKey(Agent, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "fiche de transmission"
        verbose_name_plural = "fiches de transmission"

    def __str__(self):
        return f"Fiche {self.conversation.reference}"


class CannedAnswer(models.Model):
    """A first-aid answer an agent can send in one click (and edit before sending, with JavaScript)."""

    code = models.SlugField("code", unique=True, max_length=60)
    title = models.CharField("intitulé", max_length=80)
    body = models.TextField("texte envoyé")
    forces = models.JSONField("forces", default=list, help_text="police, gendarmerie ou les deux")
    incidents = models.JSONField("incidents concernés", default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("proposée", default=True)

    class Meta:
        verbose_name = "réponse type"
        verbose_name_plural = "réponses types"
        ordering = ["position", "title"]

    def __str__(self):
        return self.title
