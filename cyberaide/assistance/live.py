"""Tell a provider's open dashboards that its requests changed. A notification only: the database is the truth."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def provider_group(provider_id: int) -> str:
    return f"provider-{provider_id}"


def announce_requests_changed(provider_id: int):
    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(provider_group(provider_id), {"type": "requests.changed"})

    transaction.on_commit(send)
