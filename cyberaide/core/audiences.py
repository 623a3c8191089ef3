from django.db import models


class Audience(models.TextChoices):
    """Who the victim is. The codes are stable: partner sites and the API use them."""

    PARTICULIER = "particulier", "Particulier"
    ENTREPRISE = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    COLLECTIVITE = "collectivite", "Collectivité ou administration"
