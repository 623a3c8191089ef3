"""Partner sites (town halls, insurers, marketplaces) that show the diagnostic and the 17Cyber chat entry in a
frame on their own pages. Only approved partners' keys work, and only from the origins staff approved."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Partner(models.Model):
    class Kind(models.TextChoices):
        COLLECTIVITE = "collectivite", "Collectivité (mairie, département…)"
        INSURER = "assureur", "Assureur ou mutuelle"
        MARKETPLACE = "plateforme", "Plateforme de vente ou de services"
        ASSOCIATION = "association", "Association d'aide aux victimes"
        OTHER = "autre", "Autre"

    class Status(models.TextChoices):
        PENDING = "pending", "Demande à examiner"
        APPROVED = "approved", "Approuvé"
        REFUSED = "refused", "Refusé"
        SUSPENDED = "suspended", "Suspendu"

    name = models.CharField("nom de l'organisme", max_length=200)
    kind = models.CharField("type d'organisme", max_length=20, choices=Kind.choices)
    website = models.URLField("site principal")
    allowed_origins = models.JSONField("sites autorisés à afficher le module", default=list)
    contact_name = models.CharField("nom du contact", max_length=100)
    contact_email = models.EmailField("e-mail du contact")
    reason = models.TextField("pourquoi proposer le module", blank=True)
    key = models.CharField("clé publique", max_length=32, unique=True, default=new_key, editable=False)
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decision_note = models.CharField("motif de la décision", max_length=300, blank=True)

    class Meta:
        verbose_name = "site partenaire"
        verbose_name_plural = "sites partenaires"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
