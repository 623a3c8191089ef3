from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cyberaide.accounts"
    label = "accounts"
    verbose_name = "Comptes"
