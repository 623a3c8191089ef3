"""Alerts: the banner's cache is cleared whenever an alert changes, and a published alert is e-mailed once."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import AlertPage
from .selectors import forget_banner_alerts


@receiver(page_published, sender=AlertPage)
def alert_published(sender, instance, **kwargs):
    from .alerts import enqueue_due_dispatches

    forget_banner_alerts()
    transaction.on_commit(enqueue_due_dispatches)


@receiver(page_unpublished, sender=AlertPage)
@receiver(post_delete, sender=AlertPage)
def alert_withdrawn(sender, instance, **kwargs):
    forget_banner_alerts()
