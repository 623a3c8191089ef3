from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

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
    path("", include("cyberaide.chat.urls")),
    path("", include("cyberaide.partners.urls")),
    path("", include("cyberaide.observatory.urls")),
    path("", include("cyberaide.antiscam.urls")),
    path("api/", api.urls),
    # Everyone signs in through the same page, which asks for the one-time code in French and in one step.
    path("gestion/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("gestion/", admin.site.urls),
    # The editorial back office (Wagtail), behind the same sign-in page and one-time code.
    path("cms/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cyberaide.content.urls")),
    # The prevention content: Wagtail serves its pages under /conseils/ (the root page of its site). Only its page
    # view is mounted: its own front-end sign-in would bypass ours (second factor, rate limit).
    re_path(r"^conseils/((?:[\w\-]+/)*)$", wagtail_views.serve, name="wagtail_serve"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
