import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_asgi_app = get_asgi_application()

# Django must be set up before the consumers are imported.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from cyberaide.assistance.routing import websocket_urlpatterns as assistance_websockets  # noqa: E402
from cyberaide.chat.routing import websocket_urlpatterns as chat_websockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Same-origin pages only (no cross-site WebSocket hijacking), session authentication as for HTTP.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(assistance_websockets + chat_websockets))
        ),
    }
)
