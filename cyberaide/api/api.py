"""The public JSON API (OpenAPI at /api/docs): what partner sites and the embeddable module use."""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.errors import status_for

from .diagnostic import router as diagnostic_router
from .errors import ApiError
from .filter import router as filter_router
from .providers import router as providers_router
from .stats import router as stats_router

# Room for a pasted message of 20,000 characters, each escaped in JSON (\uXXXX) at worst.
MAX_BODY_BYTES = 128 * 1024
TOO_LARGE = f"La requête est trop volumineuse ({MAX_BODY_BYTES // 1024} Ko au plus)."


class StrictJsonParser(Parser):
    """Refuse oversized or malformed bodies with a clear, stable error instead of a generic one."""

    def parse_body(self, request: HttpRequest):
        # The announced length first: a body over Django's own limit would raise before it could be measured.
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        try:
            too_large = announced > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES
        except RequestDataTooBig:
            too_large = True
        if too_large:
            raise ApiError(413, "body_too_large", TOO_LARGE)
        try:
            return json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "malformed_json", "Le corps de la requête n'est pas un JSON valide.") from None


api = NinjaAPI(
    title="API Cyberaide",
    version="1",
    description=(
        "Diagnostic des actes de cybermalveillance et prestataires référencés, pour les sites partenaires ; "
        "chiffres publiés de l'observatoire (données ouvertes, licence Etalab 2.0) ; "
        "liste anti-arnaque par préfixes de hash, pour les navigateurs et les résolveurs DNS. "
        'Les erreurs ont la forme `{"error": {"code": …, "message": …}}` : `code` est stable, '
        "`message` est en français et peut être montré à la victime."
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=StrictJsonParser(),
)
api.add_router("/v1", diagnostic_router)
api.add_router("/v1/providers", providers_router)
api.add_router("/v1/stats", stats_router)
api.add_router("/v1/filter", filter_router)


def error_response(request, status: int, code: str, message: str):
    response = api.create_response(request, {"error": {"code": code, "message": message}}, status=status)
    if request.path.startswith("/api/v1/filter/"):
        # The anti-scam list is read from any origin (an extension): its errors must be readable there too.
        response["Access-Control-Allow-Origin"] = "*"
    return response


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.code, exc.message)


@api.exception_handler(RequestDataTooBig)
def on_body_over_django_limit(request, exc):
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE, Django refuses to read the body before the parser can measure it.
    return error_response(request, 413, "body_too_large", TOO_LARGE)


@api.exception_handler(engine.DiagnosticError)
def on_diagnostic_error(request, exc: engine.DiagnosticError):
    return error_response(request, status_for(exc.code), exc.code, exc.message)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = sorted({".".join(str(p) for p in error.get("loc", [])[1:]) or "body" for error in exc.errors})
    message = "Requête incomplète ou mal formée : vérifiez " + ", ".join(f"« {f} »" for f in fields) + "."
    return error_response(request, 422, "invalid_request", message)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):  # django-ninja wraps the parser's errors
        return on_api_error(request, exc.__cause__)
    return error_response(request, exc.status_code, "bad_request", "La requête n'a pas pu être traitée.")


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, "unauthenticated", "Authentification requise.")
