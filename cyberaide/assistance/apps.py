from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "cyberaide.assistance"
    verbose_name = "Demandes d'assistance"
