from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "cyberaide.partners"
    verbose_name = "Module 17Cyber sur les sites partenaires"
