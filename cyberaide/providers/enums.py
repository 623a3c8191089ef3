"""The fixed vocabularies of referencing: who a provider serves, what it knows how to fix, where it stands."""

from django.db import models

from cyberaide.core.audiences import Audience


class Clientele(models.TextChoices):
    PARTICULIERS = "particuliers", "Particuliers"
    PROFESSIONNELS = "professionnels", "Professionnels (entreprises, associations)"
    COLLECTIVITES = "collectivites", "Collectivités et administrations"


CLIENTELE_OF_AUDIENCE = {
    Audience.PARTICULIER: Clientele.PARTICULIERS,
    Audience.ENTREPRISE: Clientele.PROFESSIONNELS,
    Audience.ASSOCIATION: Clientele.PROFESSIONNELS,
    Audience.COLLECTIVITE: Clientele.COLLECTIVITES,
}


class ProviderStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Candidature envoyée"
    INFO_REQUESTED = "info_requested", "Informations demandées"
    ACCEPTED = "accepted", "Référencé"
    REFUSED = "refused", "Refusé"
    SUSPENDED = "suspended", "Suspendu"
    DELISTED = "delisted", "Déréférencé"
