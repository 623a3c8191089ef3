import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cyberaide.core.audiences import Audience


def new_token() -> str:
    """An unguessable identifier for a link (192 bits)."""
    return secrets.token_urlsafe(24)


class Severity(models.TextChoices):
    """How serious a situation is, from the incident and the victim's answers. "Critique" offers the 17Cyber chat."""

    CRITICAL = "critical", "Critique"
    HIGH = "high", "Élevée"
    MEDIUM = "medium", "Modérée"
    LOW = "low", "Faible"


SEVERITY_ADVICE = {
    Severity.CRITICAL: "Agissez tout de suite.",
    Severity.HIGH: "Agissez aujourd'hui.",
    Severity.MEDIUM: "Agissez dans les prochains jours.",
    Severity.LOW: "Pas d'urgence, mais quelques bons réflexes.",
}


class ComplaintAdvice(models.TextChoices):
    RECOMMENDED = "recommended", "Dépôt de plainte recommandé"
    IF_HARM = "if_harm", "Plainte conseillée si vous avez subi un préjudice"
    NOT_NEEDED = "not_needed", "Plainte en général pas nécessaire"


class OfficialService(models.Model):
    code = models.SlugField(unique=True, max_length=40)
    name = models.CharField("nom", max_length=200)
    description = models.TextField("ce que fait ce service")
    url = models.URLField("adresse du site", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    hours = models.CharField("horaires", max_length=200, blank=True)
    audiences = models.JSONField(
        "réservé à ces publics",
        default=list,
        blank=True,
        help_text="Vide : tous les publics. Les règles du diagnostic ne peuvent pas le proposer aux autres.",
    )

    class Meta:
        verbose_name = "service officiel"
        verbose_name_plural = "services officiels"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if set(self.audiences) - set(Audience.values):
            raise ValidationError({"audiences": "Choisissez parmi : " + ", ".join(Audience.values)})


class IncidentType(models.Model):
    """A kind of cyber-malice the diagnostic can recognise. What a result says and offers for it is versioned with
    the questionnaire (``GraphVersion.rules`` and ``GraphVersion.advice``)."""

    code = models.SlugField("code stable", unique=True, max_length=60)
    name = models.CharField("nom", max_length=200)
    audiences = models.JSONField("publics concernés", default=list)

    class Meta:
        verbose_name = "type d'incident"
        verbose_name_plural = "types d'incident"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.audiences) - set(Audience.values)
        if not self.audiences or unknown:
            raise ValidationError(
                {"audiences": "Choisissez un ou plusieurs publics parmi : " + ", ".join(Audience.values)}
            )


class GraphVersion(models.Model):
    """One version of the diagnostic: the questionnaire, the situation questions and rules that say what a result
    offers, and the result texts. Once published it never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    number = models.PositiveIntegerField("numéro", unique=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField("questionnaire")
    rules = models.JSONField("questions de situation et règles", default=dict)
    advice = models.JSONField("textes des résultats", default=dict)
    note = models.CharField("ce qui change", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "version du diagnostic"
        verbose_name_plural = "versions du diagnostic"
        ordering = ["-number"]

    def __str__(self):
        return f"Version {self.number} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = GraphVersion.objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] == self.Status.PUBLISHED:
                raise ValidationError("Une version publiée ne peut plus être modifiée : créez-en une nouvelle.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise ValidationError("Une version publiée ne peut pas être supprimée.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Channel(models.TextChoices):
    WEBSITE = "site", "Site Cyberaide"
    API = "api", "API"
    PARTNER = "partenaire", "Site partenaire"


class JourneyRecord(models.Model):
    """An anonymous count of one journey, for the observatory.

    No personal data and no address: the audience, the outcome and its severity, the version, the times rounded to
    the minute, the entry channel and, if the victim gives it, the département, and whether the journey led to a
    provider, a 17Cyber conversation or a complaint. Kept without time limit. ``updated_at`` tells the observatory
    which days to count again: every write, ``update()`` included, sets it.
    """

    class OutcomeKind(models.TextChoices):
        INCIDENT = "incident", "Incident identifié"
        NOT_FOUND = "not_found", "Situation non trouvée"
        OUT_OF_SCOPE = "out_of_scope", "Hors périmètre (ANSSI)"

    audience = models.CharField("public", max_length=20, blank=True)
    outcome_kind = models.CharField("issue", max_length=12, choices=OutcomeKind.choices, blank=True)
    incident_code = models.CharField("incident", max_length=60, blank=True)
    severity = models.CharField("gravité", max_length=10, choices=Severity.choices, blank=True)
    graph_version = models.PositiveIntegerField("version du questionnaire", null=True, blank=True)
    channel = models.CharField("canal", max_length=12, choices=Channel.choices, default=Channel.WEBSITE)
    departement = models.CharField("département", max_length=3, blank=True)
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="partenaire",
    )
    started_at = models.DateTimeField("commencé le", db_index=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    led_to_provider = models.BooleanField("demande à un prestataire", default=False)
    led_to_chat = models.BooleanField("discussion 17Cyber", default=False)
    led_to_complaint = models.BooleanField("plainte ou rendez-vous après la discussion", default=False)
    updated_at = models.DateTimeField("modifié le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "parcours anonyme"
        verbose_name_plural = "parcours anonymes"
        indexes = [models.Index(fields=["incident_code", "started_at"])]

    def __str__(self):
        return f"{self.audience} {self.incident_code or self.outcome_kind or 'en cours'} {self.started_at:%Y-%m-%d}"


def minute(moment):
    return moment.replace(second=0, microsecond=0)


class DiagnosticSession(models.Model):
    """A journey in progress. The token in its address is the only key to it.

    Holds no personal data except, for "je ne trouve pas", the victim's description (with e-mail addresses,
    phone, card and IBAN numbers removed). Deleted ``DIAGNOSTIC_RESULT_RETENTION_DAYS`` after its last change.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "En cours"
        FINISHED = "finished", "Terminé"

    token = models.CharField(max_length=64, unique=True, default=new_token)
    graph_version = models.ForeignKey(GraphVersion, on_delete=models.PROTECT, related_name="sessions")
    audience = models.CharField(max_length=20)
    answers = models.JSONField(default=list)
    # A journey that comes from an alert enters at the alert's incident: only its situation questions are asked.
    entry_incident = models.CharField(max_length=60, blank=True)
    entry_alert = models.CharField(max_length=200, blank=True)  # the alert's title, shown with the answers
    # The incident the victim picked among the suggestions for their own description; the questionnaire's answers
    # that lead to it without assuming more were filled in (see engine.neutral_path).
    suggested_incident = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WEBSITE)
    partner = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    record = models.ForeignKey(JourneyRecord, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "diagnostic en cours"
        verbose_name_plural = "diagnostics en cours"

    def __str__(self):
        return f"Diagnostic {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_expired(self) -> bool:
        if self.status == self.Status.FINISHED:
            return False
        age = timezone.now() - self.updated_at
        return age.total_seconds() > settings.DIAGNOSTIC_SESSION_TTL_HOURS * 3600


class DiagnosticResult(models.Model):
    """What a finished journey concluded, readable by whoever holds its link.

    ``answers`` keeps the questions and answers as worded when asked, for the printable summary; ``situation`` the
    situation answers by code; ``assessment`` what the rules concluded from them (severity and its reasons,
    services, provider skills, the first actions), so that every page offers the same thing whatever is
    published later. Deleted ``DIAGNOSTIC_RESULT_RETENTION_DAYS`` after creation.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token)
    session = models.ForeignKey(DiagnosticSession, null=True, on_delete=models.SET_NULL, related_name="results")
    record = models.ForeignKey(JourneyRecord, null=True, on_delete=models.SET_NULL, related_name="+")
    audience = models.CharField(max_length=20)
    incident = models.ForeignKey(IncidentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=list)
    situation = models.JSONField(default=dict)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    assessment = models.JSONField(default=dict)
    description = models.TextField(blank=True)
    graph_version = models.PositiveIntegerField()
    partner = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "résultat de diagnostic"
        verbose_name_plural = "résultats de diagnostic"

    def __str__(self):
        return f"Résultat {self.pk}"

    @property
    def is_not_found(self) -> bool:
        return self.incident_id is None

    @property
    def chat_offered(self) -> bool:
        return self.severity == Severity.CRITICAL

    @property
    def provider_expertise(self) -> list[str]:
        """The provider skills that can help; empty when a provider cannot."""
        return list(self.assessment.get("expertise", []))

    @property
    def service_codes(self) -> list[str]:
        return list(self.assessment.get("services", []))


class UnmatchedReport(models.Model):
    """A "je ne trouve pas" description, for staff to spot new scam waves.

    Scrubbed of e-mail addresses, phone, card and IBAN numbers before it is saved; never shown to the public.
    Deleted ``UNMATCHED_REPORT_RETENTION_DAYS`` after creation.
    """

    class Status(models.TextChoices):
        NEW = "new", "À lire"
        REVIEWED = "reviewed", "Lu"

    NEW_TYPE = "nouveau_type"  # the label of a description no incident type fits

    text = models.TextField("description")
    audience = models.CharField("public", max_length=20)
    question = models.CharField("question où la victime s'est arrêtée", max_length=64, blank=True)
    graph_version = models.PositiveIntegerField("version du questionnaire")
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField("reçu le", auto_now_add=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("lu le", null=True, blank=True)
    # What staff read in it: an incident code (the description then joins the triage's corpus) or NEW_TYPE.
    label = models.CharField("situation reconnue", max_length=60, blank=True, db_index=True)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labelled_at = models.DateTimeField("classée le", null=True, blank=True)

    class Meta:
        verbose_name = "situation non trouvée"
        verbose_name_plural = "situations non trouvées"
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class TriageModel(models.Model):
    """A training of the free-text triage: what it learnt from (the shipped corpus, identified by its digest, and
    the labelled descriptions, copied here scrubbed) and its figures. Each process trains the active one again
    from these examples (the same examples give the same model): nothing but text is stored."""

    created_at = models.DateTimeField("entraîné le", auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipped_digest = models.CharField("empreinte du corpus livré", max_length=64)
    labelled = models.JSONField("descriptions classées ajoutées", default=list)
    examples = models.PositiveIntegerField("exemples")
    fingerprint = models.CharField("empreinte du modèle", max_length=64)
    figures = models.JSONField("résultats de la validation croisée", default=dict)
    active = models.BooleanField("en service", default=False)
    activated_at = models.DateTimeField("mis en service le", null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "modèle de tri des descriptions"
        verbose_name_plural = "modèles de tri des descriptions"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_triage")
        ]

    def __str__(self):
        return f"Modèle du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}" if self.created_at else "Modèle"
