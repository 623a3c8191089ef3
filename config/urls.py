from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from cyberaide.api.api import api

if settings.ADMIN_REQUIRE_2FA:
    # Staff sign in with a password and a code from their authenticator app.
    admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Cyberaide — administration"
admin.site.site_title = "Cyberaide"

urlpatterns = [
    path("", include("cyberaide.core.urls")),
    path("", include("cyberaide.diagnostic.urls")),
    path("", include("cyberaide.accounts.urls")),
    path("", include("cyberaide.providers.urls")),
    path("", include("cyberaide.assistance.urls")),
    path("api/", api.urls),
    # Everyone signs in through the same page, which asks for the one-time code in French and in one step.
    path("gestion/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("gestion/", admin.site.urls),
]
