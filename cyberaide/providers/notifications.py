"""E-mails to providers, sent only once the change they announce is committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .enums import ProviderStatus

SUBJECTS = {
    ProviderStatus.SUBMITTED: "Votre candidature a bien été envoyée",
    ProviderStatus.INFO_REQUESTED: "Votre candidature : des informations sont demandées",
    ProviderStatus.ACCEPTED: "Vous êtes référencé sur Cyberaide",
    ProviderStatus.REFUSED: "Votre candidature n'a pas été retenue",
    ProviderStatus.SUSPENDED: "Votre référencement est suspendu",
    ProviderStatus.DELISTED: "Votre référencement a pris fin",
}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify_status_change(provider, transition):
    subject = SUBJECTS.get(transition.to_status)
    if subject is None or not provider.owner.email:
        return
    body = render_to_string(
        "providers/emails/status_changed.txt",
        {"provider": provider, "transition": transition, "space_url": absolute(reverse("providers:space"))},
    )
    recipient = provider.owner.email
    transaction.on_commit(lambda: send_mail(f"Cyberaide — {subject}", body, settings.DEFAULT_FROM_EMAIL, [recipient]))


def notify_label(provider, label, granted: bool):
    if not provider.owner.email:
        return
    body = render_to_string("providers/emails/label.txt", {"provider": provider, "label": label, "granted": granted})
    subject = "Label ExpertCyber accordé" if granted else "Label ExpertCyber retiré"
    recipient = provider.owner.email
    transaction.on_commit(lambda: send_mail(f"Cyberaide — {subject}", body, settings.DEFAULT_FROM_EMAIL, [recipient]))
