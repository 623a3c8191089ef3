from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cyberaide.core"
    label = "core"
    verbose_name = "Socle"
