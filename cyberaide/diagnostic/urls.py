from django.urls import path

from . import views

app_name = "diagnostic"

urlpatterns = [
    path("diagnostic/", views.start, name="start"),
    path("diagnostic/hors-perimetre/<slug:code>/", views.out_of_scope, name="out_of_scope"),
    path("diagnostic/<str:token>/", views.resume, name="resume"),
    path("diagnostic/<str:token>/question/<slug:question_id>/", views.question, name="question"),
    path("diagnostic/<str:token>/decrire/", views.describe, name="describe"),
    path("resultat/<str:token>/", views.result, name="result"),
    path("resultat/<str:token>/imprimer/", views.result_print, name="result_print"),
    path("resultat/<str:token>/pdf/", views.result_pdf_download, name="result_pdf"),
    path("resultat/<str:token>/departement/", views.result_departement, name="result_departement"),
]
