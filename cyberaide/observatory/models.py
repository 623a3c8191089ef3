"""The observatory's tables. None holds personal data: they count anonymous journeys and reports.

- ``JourneyDay`` and ``InterventionDay``: daily rollups, kept up to date by ``refresh_observatory`` and rebuilt
  from scratch by ``rebuild_observatory``; staff dashboards and surge detection read them, never raw records.
- ``PublishedMonth`` and ``PublishedCell``: what the public sees, computed once per complete month with the
  statistical secrecy applied (``disclosure``) and then frozen, so that nobody can learn about a single
  journey by comparing the page from one day to the next.
- ``Surge``: a rise of one incident type raised for staff, with its evidence.
- ``ReportGroup``: "je n'ai pas trouvé" descriptions that staff grouped together, and what became of them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .disclosure import Status

NOT_FOUND = "non-trouve"
OUT_OF_SCOPE = "hors-perimetre"


class JourneyDay(models.Model):
    """Finished journeys of one day (Paris time) for one incident × audience × département × channel."""

    day = models.DateField("jour")
    incident = models.CharField("incident", max_length=60)  # an incident code, NOT_FOUND or OUT_OF_SCOPE
    audience = models.CharField("public", max_length=20)
    departement = models.CharField("département", max_length=3, blank=True)
    channel = models.CharField("canal", max_length=12)
    journeys = models.PositiveIntegerField("parcours")
    to_provider = models.PositiveIntegerField("vers un prestataire")
    to_chat = models.PositiveIntegerField("vers 17Cyber")
    serious = models.PositiveIntegerField("situations graves", default=0)
    to_complaint = models.PositiveIntegerField("vers une plainte")

    class Meta:
        verbose_name = "parcours du jour"
        verbose_name_plural = "parcours par jour"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "incident", "audience", "departement", "channel"], name="unique_journey_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.incident} {self.audience}: {self.journeys}"


class InterventionDay(models.Model):
    """Providers' intervention reports of one day for one incident × audience × département × sector × outcome."""

    day = models.DateField("jour")
    incident = models.CharField("incident", max_length=60, blank=True)
    confirmed = models.BooleanField("diagnostic confirmé")
    audience = models.CharField("public", max_length=20)
    departement = models.CharField("département", max_length=3, blank=True)
    sector = models.CharField("secteur", max_length=20, blank=True)
    outcome = models.CharField("issue", max_length=20)
    reports = models.PositiveIntegerField("rapports")

    class Meta:
        verbose_name = "interventions du jour"
        verbose_name_plural = "interventions par jour"
        indexes = [models.Index(fields=["day"], name="intervention_day")]

    def __str__(self):
        return f"{self.day} {self.incident} {self.outcome}: {self.reports}"


class RollupState(models.Model):
    """Where the incremental rollup stopped: records changed since then are counted again."""

    name = models.CharField(max_length=20, unique=True)
    changes_seen_until = models.DateTimeField()

    def __str__(self):
        return f"{self.name} → {self.changes_seen_until}"


class PublishedMonth(models.Model):
    month = models.DateField("mois", unique=True)  # the first day of the month
    threshold = models.PositiveSmallIntegerField("seuil de diffusion")
    withheld = models.BooleanField("non publié (trop peu de parcours)", default=False)
    # The true counts the cells were computed from, frozen at the first publication (never shown to the public).
    counts = models.JSONField("décomptes figés", default=dict, editable=False)
    published_at = models.DateTimeField("publié le", default=timezone.now)

    class Meta:
        verbose_name = "mois publié"
        verbose_name_plural = "mois publiés"
        ordering = ["month"]
        # The annual report shows exact figures, also from the providers' and 17Cyber's tables.
        permissions = [("view_annual_report", "Peut consulter le bilan annuel (chiffres exacts)")]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class PublishedCell(models.Model):
    """One public figure: journeys of a month for an audience (or "tous") and one value of one dimension."""

    month = models.ForeignKey(PublishedMonth, on_delete=models.CASCADE, related_name="cells")
    audience = models.CharField("public", max_length=20)
    dimension = models.CharField(max_length=30)
    code = models.CharField(max_length=60, blank=True)
    value = models.PositiveIntegerField("valeur", null=True, blank=True)  # None unless published
    status = models.CharField("diffusion", max_length=12, choices=[(s.value, s.value) for s in Status])

    class Meta:
        verbose_name = "case publiée"
        verbose_name_plural = "cases publiées"
        constraints = [
            models.UniqueConstraint(fields=["month", "audience", "dimension", "code"], name="unique_published_cell")
        ]
        indexes = [models.Index(fields=["dimension", "audience", "month"], name="published_lookup")]

    def __str__(self):
        return f"{self.month} {self.audience} {self.dimension}={self.code}: {self.value or self.status}"


class Surge(models.Model):
    """An incident type rising well above its usual volume and share, raised for staff."""

    incident = models.CharField("incident", max_length=60)
    label = models.CharField("type d'incident", max_length=200)  # its name when the surge was raised
    first_day = models.DateField("premier jour")
    last_day = models.DateField("dernier jour constaté")
    ended_on = models.DateField("terminée le", null=True, blank=True)
    # The evidence, from the day with the highest share (so far, for today).
    peak_day = models.DateField("jour le plus fort")
    observed = models.PositiveIntegerField("parcours constatés ce jour-là")
    expected = models.FloatField("parcours attendus ce jour-là")
    share = models.FloatField("part des parcours")
    baseline_share = models.FloatField("part habituelle")
    z_score = models.FloatField("écart (en écarts-types)")
    raised_at = models.DateTimeField("signalée le", default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="prise en compte par",
    )
    acknowledged_at = models.DateTimeField("prise en compte le", null=True, blank=True)
    note = models.TextField("suite donnée", blank=True)

    class Meta:
        verbose_name = "hausse inhabituelle"
        verbose_name_plural = "hausses inhabituelles"
        ordering = ["-first_day", "incident"]
        indexes = [models.Index(fields=["incident", "ended_on"], name="surge_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=models.Q(ended_on__isnull=True), name="one_current_surge_per_incident"
            )
        ]

    def __str__(self):
        return f"{self.label or self.incident} depuis le {self.first_day:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class ReportGroup(models.Model):
    """Similar "je n'ai pas trouvé" descriptions grouped by staff, and what was decided."""

    class Decision(models.TextChoices):
        OPEN = "open", "À décider"
        NEW_INCIDENT = "new_incident", "Nouveau type d'incident"
        JOURNEY_CHANGE = "journey_change", "Modification du parcours"
        NO_ACTION = "no_action", "Sans suite"

    name = models.CharField("nom", max_length=120)
    note = models.TextField("notes de l'équipe", blank=True)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, default=Decision.OPEN)
    incident_code = models.CharField("type d'incident créé ou concerné", max_length=60, blank=True)
    reports = models.ManyToManyField("diagnostic.UnmatchedReport", related_name="groups", verbose_name="descriptions")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "groupe de situations non trouvées"
        verbose_name_plural = "groupes de situations non trouvées"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name
