from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("prestataires/", views.directory, name="directory"),
    path("prestataires/verifier/", views.verify, name="verify"),
    path("prestataires/<int:pk>/", views.profile, name="profile"),
    path("espace-prestataire/", views.space, name="space"),
    path("espace-prestataire/inscription/", views.signup, name="signup"),
    path("espace-prestataire/candidature/envoyer/", views.submit, name="submit"),
    path("espace-prestataire/candidature/<slug:step>/", views.application_step, name="application_step"),
    path("espace-prestataire/demandes/", views.requests_fragment, name="requests_fragment"),
    path("espace-prestataire/avis/", views.ratings, name="ratings"),
    path("espace-prestataire/fiche/", views.practical_details, name="practical_details"),
    path("espace-prestataire/documentation/", views.documentation_index, name="documentation"),
    path("espace-prestataire/documentation/<slug:slug>/", views.documentation_page, name="documentation_page"),
]
