"""Referenced providers: their application, its review, the charter they signed and the ExpertCyber label.

Personal data: the account holder's name and e-mail live on the User; everything here describes a business
and is public once referenced. A refused or delisted provider's record is kept for five years (proof of
the decision), then deleted by staff.
"""

from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from cyberaide.core.expertise import Expertise

from . import workflow
from .enums import Clientele, ProviderStatus


def mask_of(codes, choices) -> int:
    values = list(choices.values)
    return sum(1 << values.index(code) for code in set(codes) if code in values)


def codes_of(mask: int, choices) -> list[str]:
    return [code for index, code in enumerate(choices.values) if mask & (1 << index)]


class CharterVersion(models.Model):
    """A version of the charter as shown to providers. Never edited once a provider has accepted it."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    sections = models.JSONField(default=list)  # [{"title": ..., "items": [...]}]
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = "version de la charte"
        verbose_name_plural = "versions de la charte"

    def __str__(self):
        return f"Charte {self.version}"

    @classmethod
    def current(cls):
        return cls.objects.filter(published_at__lte=timezone.now()).first()


class ProviderQuerySet(models.QuerySet):
    def referenced(self):
        return self.filter(status__in=workflow.REFERENCED)

    def with_label(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.annotate(labelled=models.Exists(Label.objects.valid_on(on).filter(provider=models.OuterRef("pk"))))


class Provider(models.Model):
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider")
    legal_name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    street = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=100, blank=True)
    departement = models.CharField(max_length=3, blank=True, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    public_email = models.EmailField("adresse de contact", blank=True)
    website = models.URLField("site internet", blank=True)
    description = models.TextField("présentation", blank=True)
    clientele_mask = models.PositiveSmallIntegerField(default=0)
    expertise_mask = models.PositiveSmallIntegerField(default=0)
    radius_km = models.PositiveSmallIntegerField("rayon d'intervention (km)", default=0)
    remote = models.BooleanField("assistance à distance", default=False)
    price_statement = models.TextField("transparence des prix", blank=True)
    status = models.CharField("état", max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.DRAFT)
    referenced_since = models.DateTimeField("référencé depuis", null=True, blank=True)
    # Published ratings, kept here so that matching does not aggregate them at every request.
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = "prestataire"
        verbose_name_plural = "prestataires"
        # Matching reads referenced providers within a band of latitude (see selectors.CandidateQuery).
        indexes = [models.Index(fields=["status", "lat", "lon"])]

    def __str__(self):
        return self.legal_name

    @property
    def clientele(self) -> list[str]:
        return codes_of(self.clientele_mask, Clientele)

    @clientele.setter
    def clientele(self, codes):
        self.clientele_mask = mask_of(codes, Clientele)

    @property
    def expertise(self) -> list[str]:
        return codes_of(self.expertise_mask, Expertise)

    @expertise.setter
    def expertise(self, codes):
        self.expertise_mask = mask_of(codes, Expertise)

    def clientele_labels(self) -> list[str]:
        return [Clientele(code).label for code in self.clientele]

    def expertise_labels(self) -> list[str]:
        return [Expertise(code).label for code in self.expertise]

    @property
    def departements(self) -> list[str]:
        return sorted(area.departement for area in self.areas.all())

    @property
    def is_editable(self) -> bool:
        return self.status in workflow.EDITABLE

    @property
    def is_referenced(self) -> bool:
        return self.status in workflow.REFERENCED

    @property
    def is_active(self) -> bool:
        return self.status in workflow.ACTIVE

    @property
    def rating_average(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    def current_label(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.labels.valid_on(on).first()

    def apply_action(self, action_code: str, *, by, reason: str = "") -> "ProviderTransition":
        """Move to the next state if the workflow allows it; record who, when and why. Locks the row."""
        with transaction.atomic():
            locked = Provider.objects.select_for_update(of=("self",)).get(pk=self.pk)
            target = workflow.next_status(locked.status, action_code, reason)
            transition = ProviderTransition.objects.create(
                provider=locked,
                action=action_code,
                from_status=locked.status,
                to_status=target,
                by=by,
                reason=reason.strip(),
            )
            locked.status = target
            if target == ProviderStatus.ACCEPTED and locked.referenced_since is None:
                locked.referenced_since = transition.at
            if target in (ProviderStatus.REFUSED, ProviderStatus.DELISTED):
                locked.referenced_since = None
            locked.save(update_fields=["status", "referenced_since", "updated_at"])
        self.status, self.referenced_since = locked.status, locked.referenced_since
        return transition


class ServiceArea(models.Model):
    """A département where a provider intervenes on site."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="areas")
    departement = models.CharField(max_length=3, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "departement"], name="unique_service_area")]

    def __str__(self):
        return self.departement


class ProviderTransition(models.Model):
    """One step of a provider's referencing history: never edited, never deleted while the provider exists."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=ProviderStatus.choices)
    to_status = models.CharField(max_length=20, choices=ProviderStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "étape du référencement"
        verbose_name_plural = "historique du référencement"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class CharterAcceptance(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="charter_acceptances")
    charter = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "charter"], name="unique_charter_acceptance")]

    def __str__(self):
        return f"{self.charter} ({self.accepted_at:%d/%m/%Y})"


class LabelQuerySet(models.QuerySet):
    def valid_on(self, on: date):
        return self.filter(valid_from__lte=on, valid_until__gte=on, revoked_at=None)


class Label(models.Model):
    """An ExpertCyber label granted by staff for a period. Outside that period it shows nowhere."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="labels")
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = "label ExpertCyber"
        verbose_name_plural = "labels ExpertCyber"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="label_period_in_order"
            )
        ]

    def __str__(self):
        return f"ExpertCyber {self.valid_from:%d/%m/%Y} – {self.valid_until:%d/%m/%Y}"
