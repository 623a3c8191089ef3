from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("observatoire/", views.overview, name="overview"),
    path("observatoire/donnees/", views.open_data, name="open_data"),
    path("observatoire/donnees/parcours.csv", views.cells_csv, name="cells_csv"),
    path("observatoire/donnees/parcours.json", views.cells_json, name="cells_json"),
    path("observatoire/donnees/schema.json", views.schema, name="schema"),
]
