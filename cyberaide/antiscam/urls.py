from django.urls import path

from . import views

app_name = "antiscam"

urlpatterns = [
    path("verifier/", views.checker, name="checker"),
    path("verifier/contester/", views.contest, name="contest"),
    path("resultat/<str:token>/indices/", views.report_preview, name="report_preview"),
    path("resultat/<str:token>/indices/envoyer/", views.report_confirm, name="report_confirm"),
]
