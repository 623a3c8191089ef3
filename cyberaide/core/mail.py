"""E-mails announce changes: they leave only once the change is committed, and carry absolute links."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_after_commit(subject: str, template: str, context: dict, recipient: str):
    """Render now, send when the current transaction commits (never if it rolls back)."""
    if not recipient:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail(f"Cyberaide — {subject}", body, settings.DEFAULT_FROM_EMAIL, [recipient]))


def staff_addresses(permission: str) -> list[str]:
    """The e-mail addresses of active staff who hold ``permission`` (directly, through a group, or as superusers)."""
    allowed = get_user_model().objects.with_perm(permission).filter(is_staff=True).exclude(email="")
    return sorted(set(allowed.values_list("email", flat=True)))
