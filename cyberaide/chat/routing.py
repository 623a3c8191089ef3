from django.urls import path

from .consumers import AgentConsoleConsumer, AgentConversationConsumer, VictimConsumer

websocket_urlpatterns = [
    path("ws/17cyber/agent/", AgentConsoleConsumer.as_asgi()),
    path("ws/17cyber/agent/<str:reference>/", AgentConversationConsumer.as_asgi()),
    path("ws/17cyber/discussion/<str:token>/", VictimConsumer.as_asgi()),
]
