from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "cyberaide.providers"
    verbose_name = "Prestataires"
