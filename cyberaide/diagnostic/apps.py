from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "cyberaide.diagnostic"
    label = "diagnostic"
    verbose_name = "Diagnostic"
