from django.urls import path

from .consumers import ProviderDashboardConsumer

websocket_urlpatterns = [path("ws/espace-prestataire/", ProviderDashboardConsumer.as_asgi())]
