"""Live updates of a provider's dashboard: the server says "your requests changed", the page fetches them again.

Only a provider signed in with both factors may listen, and only to its own group.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cyberaide.accounts.twofactor import session_is_verified
from cyberaide.providers.models import Provider

from .live import provider_group


@database_sync_to_async
def provider_id_for(user, session) -> int | None:
    if not session_is_verified(user, session):
        return None
    return Provider.objects.filter(owner=user).values_list("pk", flat=True).first()


class ProviderDashboardConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        provider_id = await provider_id_for(self.scope["user"], self.scope.get("session"))
        if provider_id is None:
            await self.close(code=4403)
            return
        self.group = provider_group(provider_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """The page has nothing to say; anything received is ignored."""

    async def requests_changed(self, event):
        await self.send_json({"type": "requests.changed"})
