from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "cyberaide.content"
    verbose_name = "Conseils et prévention"

    def ready(self):
        from . import signals  # noqa: F401
