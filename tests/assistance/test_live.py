"""The provider's dashboard hears about its own requests over a WebSocket, and only about its own."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from tests.providers.factories import ProviderFactory

from .helpers import make_request

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/ws/espace-prestataire/"


def headers_for(client):
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1")]


async def connect(headers):
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


def test_a_new_request_is_announced_to_its_provider_only(client, verified_login, make_result):
    provider, other = ProviderFactory(), ProviderFactory()
    result = make_result()
    verified_login(client, provider.owner)
    other_client = client.__class__()
    verified_login(other_client, other.owner)

    async def scenario():
        mine, connected, _ = await connect(headers_for(client))
        assert connected
        theirs, connected, _ = await connect(headers_for(other_client))
        assert connected
        await sync_to_async(make_request)(result, provider)
        assert await mine.receive_json_from(timeout=2) == {"type": "requests.changed"}
        assert await theirs.receive_nothing(timeout=0.3)
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()


def test_without_the_second_factor_the_socket_is_refused(client):
    provider = ProviderFactory()
    client.force_login(provider.owner)

    async def scenario():
        communicator, connected, code = await connect(headers_for(client))
        assert not connected and code == 4403
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_anonymous_and_cross_site_sockets_are_refused(client, verified_login):
    provider = ProviderFactory()
    verified_login(client, provider.owner)
    cross_site = [h for h in headers_for(client) if h[0] != b"origin"] + [(b"origin", b"https://pirate.example")]

    async def scenario():
        for headers in ([(b"origin", b"http://127.0.0.1")], cross_site):
            communicator, connected, _ = await connect(headers)
            assert not connected
            await communicator.disconnect()

    async_to_sync(scenario)()
