"""Alert e-mails: double opt-in subscription, one-click unsubscription, and sending each alert once.

An address is stored only once its owner asked for it, receives alerts only once confirmed, and is deleted as
soon as its owner unsubscribes (or after ALERT_CONFIRMATION_DAYS days without confirmation).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from cyberaide.core.mail import absolute, send_after_commit

from .models import AlertDispatch, AlertPage, AlertSubscription
from .selectors import active_alert_pages

logger = logging.getLogger(__name__)

# Each message is sent on one open connection, in batches, so that a long list does not hold one connection.
SEND_BATCH_SIZE = 200


def confirm_url(subscription: AlertSubscription) -> str:
    return absolute(reverse("content:alerts_confirm", args=[subscription.key]))


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return absolute(reverse("content:alerts_unsubscribe", args=[subscription.key]))


# A pending address is sent its confirmation link again at most this often, whoever asks.
CONFIRMATION_RESEND_DELAY = timedelta(hours=1)


@transaction.atomic
def subscribe(*, email: str) -> None:
    """Ask to receive the alerts. The answer never says whether the address was already subscribed, and an
    address receives at most one confirmation message an hour, so that nobody can flood someone else's inbox."""
    email = email.strip().lower()
    subscription = AlertSubscription.objects.select_for_update().filter(email=email).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = AlertSubscription.objects.create(email=email)
        except IntegrityError:  # the same address sent twice at once
            return
    elif subscription.confirmed_at is not None:
        return
    elif subscription.confirmation_expired:
        # A forgotten request: start again with a fresh link.
        subscription.delete()
        subscription = AlertSubscription.objects.create(email=email)
    elif subscription.confirmation_sent_at and timezone.now() - subscription.confirmation_sent_at < (
        CONFIRMATION_RESEND_DELAY
    ):
        return
    subscription.confirmation_sent_at = timezone.now()
    subscription.save(update_fields=["confirmation_sent_at"])
    send_after_commit(
        "confirmez votre abonnement aux alertes",
        "content/email/confirm_subscription.txt",
        {"url": confirm_url(subscription), "days": settings.ALERT_CONFIRMATION_DAYS},
        subscription.email,
    )


@transaction.atomic
def confirm(*, key: str) -> bool:
    subscription = AlertSubscription.objects.select_for_update().filter(key=key).first()
    if subscription is None or not subscription.link_valid:
        return False
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return True


def unsubscribe(*, key: str) -> bool:
    """Delete the address: nothing of it is kept."""
    deleted, _ = AlertSubscription.objects.filter(key=key).delete()
    return deleted > 0


def purge_unconfirmed(now=None) -> int:
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ALERT_CONFIRMATION_DAYS)
    deleted, _ = AlertSubscription.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()
    return deleted


def due_alerts(now=None):
    """Active alerts that have not been e-mailed yet."""
    return active_alert_pages(now).filter(dispatch__isnull=True)


def enqueue_due_dispatches() -> int:
    """Claim each due alert once (a row per alert, unique) and hand its sending to a background task.

    The claim and the task are saved together; if the task cannot be queued, or if sending fails (the task then
    releases its claim), the next run of `send_due_alerts` tries again. Delivery is at least once: a failure in
    the middle of a list sends the alert again to those already reached.
    """
    count = 0
    for alert in due_alerts():
        try:
            with transaction.atomic():
                AlertDispatch.objects.create(alert=alert)
                result = send_alert_emails.enqueue(alert.pk)
        except IntegrityError:  # another process claimed it first
            continue
        except Exception:  # the task queue failed: the publication itself stands
            logger.exception("Alert %s could not be queued for e-mail; `send_due_alerts` will try again", alert.pk)
            continue
        if result.status != TaskResultStatus.FAILED:
            count += 1
    return count


def _alert_message(alert: AlertPage, subscription: AlertSubscription, connection) -> EmailMessage:
    unsubscribe = unsubscribe_url(subscription)
    body = render_to_string(
        "content/email/alert.txt",
        {"alert": alert, "url": absolute(alert.url), "unsubscribe_url": unsubscribe},
    )
    return EmailMessage(
        f"Alerte Cyberaide — {alert.title}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        connection=connection,
        # One-click unsubscription from the mail client itself (RFC 8058).
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


@task()
def send_alert_emails(alert_id: int) -> int:
    alert = AlertPage.objects.filter(pk=alert_id).first()
    if alert is None or not alert.live or not alert.is_active():
        return 0  # withdrawn or ended before its turn came
    subscriptions = AlertSubscription.objects.filter(confirmed_at__isnull=False).order_by("pk")
    sent = 0
    try:
        with get_connection() as connection:
            batch = []
            for subscription in subscriptions.iterator(chunk_size=SEND_BATCH_SIZE):
                batch.append(_alert_message(alert, subscription, connection))
                if len(batch) == SEND_BATCH_SIZE:
                    sent += connection.send_messages(batch) or 0
                    batch = []
            if batch:
                sent += connection.send_messages(batch) or 0
    except Exception:
        # Release the claim: the next run of `send_due_alerts` sends the alert again.
        AlertDispatch.objects.filter(alert_id=alert_id).delete()
        logger.exception("Alert %s could not be e-mailed; it will be tried again", alert_id)
        raise
    AlertDispatch.objects.filter(alert_id=alert_id).update(recipients=sent)
    logger.info("Alert %s e-mailed to %s subscribers", alert_id, sent)
    return sent
