"""What victims reported the scammers used, the list staff keep from it, and the browser list's journal.

Nothing here says who reported: a report holds the indicator, the incident and the day, and a key for the network it
came from (to count independent sources), erased after ``ANTISCAM_SOURCE_RETENTION_DAYS``.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    SITE = "site", "site web"
    URL = "url", "adresse web"
    PHONE = "phone", "numéro de téléphone"
    EMAIL = "email", "adresse e-mail"
    IBAN = "iban", "IBAN"


# What the browser list carries: sites and pages, by the hash of their canonical expression.
WEB_KINDS = (Kind.SITE, Kind.URL)


class Category(models.TextChoices):
    PHISHING = "phishing", "hameçonnage : faux site qui vole identifiants ou coordonnées bancaires"
    FAKE_SHOP = "fake_shop", "faux site de vente"
    INVESTMENT = "investment", "faux placement ou fausse cryptomonnaie"
    TECH_SUPPORT = "tech_support", "faux support technique"
    IMPERSONATION = "impersonation", "usurpation d'une administration, d'une banque ou d'une entreprise"
    EXTORTION = "extortion", "chantage ou extorsion"
    OTHER = "other", "autre escroquerie"


def indicator_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


class Indicator(models.Model):
    """A site, an address, a number or an IBAN a scammer used, in canonical form, with how often it was reported."""

    kind = models.CharField("type", max_length=8, choices=Kind.choices)
    value = models.CharField("forme canonique", max_length=2100)
    key = models.CharField(max_length=64, unique=True, editable=False)
    display = models.CharField("forme lisible", max_length=300)
    report_count = models.PositiveIntegerField("signalements", default=0)
    source_count = models.PositiveIntegerField("sources indépendantes", default=0)
    first_reported_at = models.DateTimeField("premier signalement", null=True, blank=True)
    last_reported_at = models.DateTimeField("dernier signalement", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("connu depuis", default=timezone.now)
    # Victims' reports only propose: a rule that is met puts the indicator at the top of the staff queue.
    proposed_at = models.DateTimeField("proposé à l'équipe le", null=True, blank=True, db_index=True)
    proposed_by = models.ForeignKey(
        "ListingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="par la règle"
    )
    # When staff last decided on a proposal (listed it or set it aside): only reports after it propose it again.
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["-last_reported_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.display}"

    def save(self, *args, **kwargs):
        self.key = indicator_key(self.kind, self.value)
        super().save(*args, **kwargs)


class Report(models.Model):
    """One victim said this indicator was used against them, at the end of a diagnostic."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    incident_code = models.CharField("incident", max_length=60, blank=True)
    # The start of the day (local time): no finer, so that a report cannot be matched with other traces of a victim.
    reported_at = models.DateTimeField("signalé le", default=timezone.now, db_index=True)
    # A keyed hash of the network the report came from (an IPv4 /24, an IPv6 /48): two reports with the same key are
    # not independent. Erased after ANTISCAM_SOURCE_RETENTION_DAYS.
    source_key = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        indexes = [models.Index(fields=["indicator", "reported_at"])]

    def __str__(self):
        return f"{self.indicator} ({self.reported_at:%d/%m/%Y})"


class ResultReport(models.Model):
    """A diagnostic result from which the victim sent indicators: once per result, deleted with it."""

    result = models.OneToOneField("diagnostic.DiagnosticResult", on_delete=models.CASCADE, related_name="+")
    indicator_count = models.PositiveSmallIntegerField(default=0)
    sent_on = models.DateField(default=timezone.localdate)

    def __str__(self):
        return f"{self.indicator_count} élément(s) le {self.sent_on:%d/%m/%Y}"


class TrustedDomain(models.Model):
    """A domain the automatic rules and imports never list as a whole (a bank, an administration, a large platform
    hosting everyone's pages). Staff may still list one page on it."""

    domain = models.CharField("domaine", max_length=253, unique=True)
    note = models.CharField("pourquoi", max_length=200, blank=True)
    added_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "domaine de confiance"
        verbose_name_plural = "domaines de confiance"
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class ListingRule(models.Model):
    """A rule staff set: propose an indicator to staff once enough independent sources reported it within a window.
    Only a rule restricted to look-alikes of a protected brand lists by itself (and only such sites and pages)."""

    name = models.CharField("nom", max_length=120)
    kind = models.CharField("type d'indicateur", max_length=8, choices=Kind.choices)
    min_sources = models.PositiveSmallIntegerField(
        "sources indépendantes au moins",
        default=10,
        help_text="Des signalements venus du même réseau comptent pour une seule source.",
    )
    window_days = models.PositiveSmallIntegerField("sur une période de (jours)", default=7)
    category = models.CharField("catégorie", max_length=16, choices=Category.choices, default=Category.PHISHING)
    reason = models.CharField("raison affichée au public", max_length=300)
    duration_days = models.PositiveSmallIntegerField("durée d'inscription (jours)", default=90)
    is_active = models.BooleanField("active", default=True)
    lists_lookalikes = models.BooleanField(
        "inscrit d'elle-même les sosies d'une marque protégée",
        default=False,
        help_text="Pour les sites et les pages seulement. Tout autre indicateur qui remplit la règle est proposé à "
        "l'équipe, en tête de la file des indicateurs, et n'est inscrit que par une décision de l'équipe.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "règle d'inscription automatique"
        verbose_name_plural = "règles d'inscription automatique"

    def __str__(self):
        return self.name

    def clean(self):
        # Reports keep their network key only so long: a longer window would see fewer sources than it says.
        if self.window_days and self.window_days > settings.ANTISCAM_SOURCE_RETENTION_DAYS:
            raise ValidationError(
                {
                    "window_days": (
                        f"La période ne peut pas dépasser {settings.ANTISCAM_SOURCE_RETENTION_DAYS} jours : au-delà, "
                        "on ne sait plus quels signalements viennent du même réseau."
                    )
                }
            )
        if self.min_sources is not None and self.min_sources < 2:
            raise ValidationError({"min_sources": "Une règle demande au moins 2 sources indépendantes."})
        if self.lists_lookalikes and self.kind not in (Kind.SITE, Kind.URL):
            raise ValidationError(
                {"lists_lookalikes": "Seuls des sites ou des pages peuvent être des sosies d'une marque protégée."}
            )


class ImportBatch(models.Model):
    """A confirmed list received from a partner and imported by staff."""

    source = models.CharField("source (partenaire)", max_length=200)
    file_name = models.CharField("fichier", max_length=255)
    category = models.CharField("catégorie", max_length=16, choices=Category.choices)
    reason = models.CharField("raison affichée au public", max_length=300)
    expires_at = models.DateTimeField("inscription jusqu'au")
    line_count = models.PositiveIntegerField("lignes", default=0)
    listed_count = models.PositiveIntegerField("inscrits", default=0)
    skipped = models.JSONField("lignes écartées", default=list)
    imported_at = models.DateTimeField("importé le", default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "import d'une liste"
        verbose_name_plural = "imports de listes"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.source} ({self.imported_at:%d/%m/%Y})"


class ListingQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.filter(status=Listing.Status.ACTIVE, expires_at__gt=at or timezone.now())


class Listing(models.Model):
    """A period during which an indicator is on the list. Only staff, a staff rule or a staff import create one."""

    class Status(models.TextChoices):
        ACTIVE = "active", "sur la liste"
        LIFTED = "lifted", "retiré"
        EXPIRED = "expired", "expiré"

    class Origin(models.TextChoices):
        STAFF = "staff", "décision de l'équipe"
        RULE = "rule", "règle automatique"
        IMPORT = "import", "liste d'un partenaire"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="listings")
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    category = models.CharField("catégorie", max_length=16, choices=Category.choices)
    reason = models.CharField("raison affichée au public", max_length=300)
    # For sites and pages: the canonical expression ("host/" or "host/path") and its SHA-256, which browsers look up.
    expression = models.CharField(max_length=2100, blank=True)
    full_hash = models.CharField(max_length=64, blank=True, db_index=True)
    origin = models.CharField("origine", max_length=8, choices=Origin.choices)
    rule = models.ForeignKey(ListingRule, null=True, blank=True, on_delete=models.PROTECT, related_name="listings")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="listings")
    listed_at = models.DateTimeField("inscrit le", default=timezone.now)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField("expire le", db_index=True)
    ended_at = models.DateTimeField("fin", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField("raison du retrait", max_length=300, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription sur la liste"
        verbose_name_plural = "inscriptions sur la liste"
        ordering = ["-listed_at"]
        constraints = [
            # One current listing per indicator: renewing extends it rather than stacking another.
            models.UniqueConstraint(
                fields=["indicator"], condition=Q(status="active"), name="antiscam_one_active_listing"
            )
        ]

    def __str__(self):
        return f"{self.indicator.display} — {self.get_status_display()}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.ACTIVE and self.expires_at > timezone.now()


class FilterChange(models.Model):
    """The journal of the browser list: its primary key is the list's version. Clients catch up from theirs."""

    full_hash = models.CharField(max_length=64)
    added = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "changement de la liste des navigateurs"
        verbose_name_plural = "changements de la liste des navigateurs"

    def __str__(self):
        return f"v{self.pk} {'+' if self.added else '-'}{self.full_hash[:8]}"


class Contest(models.Model):
    """The owner of a listed site asks for its removal; staff decide."""

    class Status(models.TextChoices):
        PENDING = "pending", "à examiner"
        UPHELD = "upheld", "acceptée : retiré de la liste"
        REJECTED = "rejected", "refusée : maintenu sur la liste"
        MOOT = "moot", "sans objet : l'inscription a pris fin"

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="contests")
    address = models.CharField("adresse contestée", max_length=2100)
    name = models.CharField("nom ou organisme", max_length=200)
    email = models.EmailField("adresse e-mail")
    message = models.TextField("explication")
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField("reçue le", default=timezone.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField("réponse envoyée", blank=True)

    class Meta:
        verbose_name = "contestation"
        verbose_name_plural = "contestations"
        ordering = ["-submitted_at"]
        permissions = [("decide_contest", "Peut décider d'une contestation")]

    def __str__(self):
        return f"{self.address} ({self.get_status_display()})"
