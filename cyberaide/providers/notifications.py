"""E-mails to providers, sent only once the change they announce is committed."""

from django.urls import reverse

from cyberaide.core.mail import absolute, send_after_commit

from .enums import ProviderStatus

SUBJECTS = {
    ProviderStatus.SUBMITTED: "Votre candidature a bien été envoyée",
    ProviderStatus.INFO_REQUESTED: "Votre candidature : des informations sont demandées",
    ProviderStatus.ACCEPTED: "Vous êtes référencé sur Cyberaide",
    ProviderStatus.REFUSED: "Votre candidature n'a pas été retenue",
    ProviderStatus.SUSPENDED: "Votre référencement est suspendu",
    ProviderStatus.DELISTED: "Votre référencement a pris fin",
}


def notify_status_change(provider, transition):
    subject = SUBJECTS.get(transition.to_status)
    if subject is None:
        return
    send_after_commit(
        subject,
        "providers/emails/status_changed.txt",
        {"provider": provider, "transition": transition, "space_url": absolute(reverse("providers:space"))},
        provider.owner.email,
    )


def notify_label(provider, label, granted: bool):
    send_after_commit(
        "Label ExpertCyber accordé" if granted else "Label ExpertCyber retiré",
        "providers/emails/label.txt",
        {"provider": provider, "label": label, "granted": granted},
        provider.owner.email,
    )
