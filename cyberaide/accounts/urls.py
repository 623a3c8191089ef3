from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("compte/", views.home, name="home"),
    path("compte/connexion/", views.sign_in, name="login"),
    path("compte/deconnexion/", views.sign_out, name="logout"),
    path("compte/double-authentification/", views.totp_setup, name="totp_setup"),
]
