from django.urls import path

from . import feeds, views

app_name = "content"

urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("alertes/flux.rss", feeds.AlertRssFeed(), name="alerts_rss"),
    path("alertes/flux.atom", feeds.AlertAtomFeed(), name="alerts_atom"),
    path("alertes/abonnement/", views.subscribe, name="alerts_subscribe"),
    path("alertes/abonnement/<str:key>/", views.confirm_subscription, name="alerts_confirm"),
    path("alertes/desabonnement/<str:key>/", views.unsubscribe, name="alerts_unsubscribe"),
]
