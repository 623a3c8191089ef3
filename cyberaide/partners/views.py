"""The partner module: the application form, the one-line script, the framed entry point and a demonstration
partner page."""

import logging
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic import views as diagnostic_views

from .forms import PartnerApplicationForm
from .framing import approved_partner
from .models import Partner

logger = logging.getLogger("cyberaide.partners")


@require_http_methods(["GET", "POST"])
def apply(request):
    form = PartnerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_rate_limited(request, "partner-application", settings.RATELIMIT_PARTNER_APPLICATION):
            form.add_error(None, "Trop de demandes ont été envoyées depuis votre connexion. Réessayez demain.")
        else:
            data = form.cleaned_data
            Partner.objects.create(
                name=data["name"],
                kind=data["kind"],
                website=data["website"],
                allowed_origins=data["origins"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                reason=data["reason"],
            )
            return redirect("partners:applied")
    context = {"form": form, "title": "Proposer le module 17Cyber sur votre site"}
    return render(request, "partners/apply.html", context, status=422 if form.errors else 200)


def applied(request):
    return render(request, "partners/applied.html", {"title": "Demande envoyée"})


@lru_cache(maxsize=1)
def _embed_script() -> str:
    return render_to_string("partners/embed_v1.js")


@require_GET
@cache_control(public=True, max_age=3600)
def embed_script(request):
    """The script of the one-line snippet. It only draws a frame pointing to the module of its partner key."""
    response = HttpResponse(_embed_script(), content_type="text/javascript; charset=utf-8")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # loaded by the partners' pages
    return response


def module(request, key):
    """The framed entry point: the diagnostic's first question, compact, for an approved partner only."""
    partner = approved_partner(key)
    if partner is None:
        logger.warning("partner module refused: unknown, pending or suspended key")
        raise Http404("Module indisponible")
    embedder = _origin_of(request.headers.get("Referer", ""))
    if request.headers.get("Sec-Fetch-Dest") == "iframe" and embedder and embedder not in partner.allowed_origins:
        # The browser will refuse to show the frame (frame-ancestors); staff may want to know who tried.
        logger.warning("partner module framed by an origin not approved for partner %s: %s", partner.pk, embedder)
    return diagnostic_views.start(request, partner=partner)


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@require_GET
def demo_partner_page(request):
    """A town hall's page that embeds the module, for the demonstration and the browser tests. The page is
    served from the other local name (localhost ↔ 127.0.0.1) than the module, as a real partner's site is."""
    if not settings.PARTNER_DEMO_PAGE:
        raise Http404
    partner = Partner.objects.filter(key=settings.PARTNER_DEMO_KEY).first()
    host, _, port = request.get_host().partition(":")
    platform_host = "127.0.0.1" if host == "localhost" else "localhost"
    platform = f"{request.scheme}://{platform_host}{':' + port if port else ''}"
    response = render(
        request,
        "partners/demo_partner.html",
        {"partner": partner, "script_url": platform + reverse("partners:embed_script"), "platform": platform},
    )
    response["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {platform}; frame-src {platform}; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
    return response
