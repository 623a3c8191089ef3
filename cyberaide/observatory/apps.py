from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "cyberaide.observatory"
    verbose_name = "Observatoire"
