from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partenaires/module/", views.apply, name="apply"),
    path("partenaires/module/demande-envoyee/", views.applied, name="applied"),
    path("embed/v1.js", views.embed_script, name="embed_script"),
    path("module/<str:key>/", views.module, name="module"),
    path("demo-partenaire/", views.demo_partner_page, name="demo"),
]
