"""Which pages a partner's site may show in a frame, and how they know it.

A page of the journey (start, questions, result, chat) started from a partner's module is framable by that
partner's approved origins only: the view calls ``allow_framing`` with the partner the journey belongs to, the
middleware lifts ``X-Frame-Options`` for that response and the Content-Security-Policy says
``frame-ancestors <origins>``. Every other page keeps ``frame-ancestors 'none'``.

Inside a frame the browser may refuse our cookies (third-party cookies), so the journey never needs one: its
pages are reached by unguessable tokens in their addresses, and their forms are protected against cross-site
posts by the Origin and Sec-Fetch-Site headers the browser sends (``same_origin_post``) rather than by the
CSRF cookie.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from .models import Partner

PARTNER_PARAMETER = "partenaire"


def approved_partner(key) -> Partner | None:
    if not isinstance(key, str) or not key or len(key) > 32:
        return None
    return Partner.objects.filter(key=key, status=Partner.Status.APPROVED).first()


def allow_framing(request, partner: Partner | None):
    """Let the approved partner's origins frame this response, and show the compact layout."""
    if partner is not None and partner.is_approved and partner.allowed_origins:
        request.embedded_partner = partner
        request.framing_origins = list(partner.allowed_origins)


def partner_query(partner: Partner | None) -> str:
    return f"?{PARTNER_PARAMETER}={partner.key}" if partner is not None else ""


class PartnerFramingMiddleware:
    """Innermost middleware: a response the view allowed to be framed is exempt from X-Frame-Options: DENY (the
    CSP's frame-ancestors, set by ContentSecurityPolicyMiddleware, then says by whom)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "framing_origins", None):
            response.xframe_options_exempt = True
        return response


def _same_origin(request) -> bool | None:
    """True or False when the browser says where the post comes from; None when it says nothing."""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    return None


def same_origin_post(view):
    """CSRF protection for the anonymous journey forms that also work inside a partner's frame."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            verdict = _same_origin(request)
            if verdict is False:
                return HttpResponseForbidden("Envoi refusé : ce formulaire ne peut être envoyé que depuis Cyberaide.")
            if verdict is None:
                # An old browser that sends neither header: the usual CSRF cookie and token are required.
                refusal = CsrfViewMiddleware(lambda r: None).process_view(request, view, args, kwargs)
                if refusal is not None:
                    return refusal
        return view(request, *args, **kwargs)

    return wrapper
