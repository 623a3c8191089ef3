"""E-mails about assistance requests, sent only once the change they announce is committed.

The victim's follow-up link is only in the first e-mail: the token is stored hashed and cannot be rebuilt.
"""

from django.urls import reverse

from cyberaide.core.mail import absolute, send_after_commit

from .workflow import Status


def request_created(request, token: str):
    follow_up_url = absolute(reverse("assistance:follow_up", args=[token]))
    send_after_commit(
        f"Votre demande {request.reference}",
        "assistance/emails/victim_created.txt",
        {"request": request, "follow_up_url": follow_up_url},
        request.contact_email,
    )
    send_after_commit(
        f"Nouvelle demande d'assistance {request.reference}",
        "assistance/emails/provider_new_request.txt",
        {"request": request, "space_url": absolute(reverse("assistance:provider_request", args=[request.reference]))},
        request.provider.owner.email,
    )


def status_changed(request):
    if request.status not in (Status.ACCEPTED, Status.DECLINED, Status.IN_PROGRESS, Status.CLOSED):
        return
    send_after_commit(
        f"Votre demande {request.reference} : {request.status_label.lower()}",
        "assistance/emails/victim_status.txt",
        {"request": request},
        request.contact_email,
    )


def request_expired(request):
    send_after_commit(
        f"Votre demande {request.reference} : pas de réponse du prestataire",
        "assistance/emails/victim_expired.txt",
        {"request": request},
        request.contact_email,
    )
    send_after_commit(
        f"Demande {request.reference} expirée",
        "assistance/emails/provider_expired.txt",
        {"request": request},
        request.provider.owner.email,
    )
