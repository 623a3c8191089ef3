"""What a provider knows how to fix: the diagnostic says which skills a situation needs, providers declare theirs."""

from django.db import models


class Expertise(models.TextChoices):
    WORKSTATIONS = "postes_serveurs", "Ordinateurs et serveurs"
    MOBILES = "mobiles", "Téléphones et tablettes"
    WEBSITES = "sites_web", "Sites internet et hébergement"
    NETWORKS = "reseaux_telephonie", "Réseaux et téléphonie"
    ACCOUNTS = "comptes_messageries", "Comptes en ligne et messageries"
    DATA_RECOVERY = "recuperation_donnees", "Récupération de données"
