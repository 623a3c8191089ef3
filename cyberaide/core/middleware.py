from django.conf import settings

from cyberaide.accounts.middleware import EDITORIAL_PREFIX

# Everything is served by us: no CDN, no third-party request, no inline script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Pages whose address is a secret and whose content is a victim's own (answers, description, result, follow-up):
# never kept by a shared computer's browser, a proxy or a CDN (L5 of the security review).
PRIVATE_PREFIXES = ("/diagnostic/", "/resultat/", "/suivi/", "/api/v1/diagnostic/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = CONTENT_SECURITY_POLICY
        if request.path.startswith("/api/docs"):
            # Swagger UI (served locally) sets inline styles on the elements it draws.
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        elif request.path.startswith(EDITORIAL_PREFIX):
            # Wagtail's back office still writes a few inline scripts and styles of its own; it is reached only by
            # editors who passed the second factor, and still loads nothing from elsewhere.
            # Its live preview shows the page in a frame of the back office itself.
            policy = (
                policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
                .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
                .replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            )
        framing_origins = getattr(request, "framing_origins", None)
        if framing_origins:
            # A journey started from a partner's module: only that partner's approved sites may frame it.
            policy = policy.replace("frame-ancestors 'none'", "frame-ancestors " + " ".join(framing_origins))
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.path.startswith(PRIVATE_PREFIXES):
            response.headers["Cache-Control"] = "no-store, private"
        elif settings.DEBUG:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
