from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("resultat/<str:token>/prestataires/", views.matches, name="matches"),
    path("resultat/<str:token>/prestataires/<int:provider_id>/demande/", views.new_request, name="new_request"),
    path("securiser/", views.secure, name="secure"),
    path("securiser/prestataires/<int:provider_id>/demande/", views.secure_request, name="secure_request"),
    path("suivi/<str:token>/", views.follow_up, name="follow_up"),
    path("suivi/<str:token>/avis/", views.rate, name="rate"),
    path("suivi/<str:token>/autre-prestataire/", views.choose_another, name="choose_another"),
    path("espace-prestataire/demandes/<str:reference>/", views.provider_request, name="provider_request"),
    path(
        "espace-prestataire/demandes/<str:reference>/action/",
        views.provider_request_action,
        name="provider_request_action",
    ),
    path(
        "espace-prestataire/demandes/<str:reference>/rapport/",
        views.provider_request_report,
        name="provider_request_report",
    ),
]
