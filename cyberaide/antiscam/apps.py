from django.apps import AppConfig


class AntiscamConfig(AppConfig):
    name = "cyberaide.antiscam"
    verbose_name = "Filtre anti-arnaque"
