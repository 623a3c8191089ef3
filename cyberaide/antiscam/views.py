"""Public pages of the anti-scam filter: the checker, the contest form, and the report at the end of a diagnostic."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberaide.core.errors import UserError
from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic.models import DiagnosticResult, OfficialService
from cyberaide.partners.framing import allow_framing

from . import services
from .checker import check
from .extract import MAX_INDICATORS, InvalidInput, extract_indicators
from .forms import CheckForm, ContestForm, ReportTextForm
from .models import ResultReport

RATE_LIMITED = "Trop de demandes ont été envoyées depuis votre connexion. Réessayez dans quelques minutes."
SERVICE_CODES = ["33700", "signal_spam", "pharos", "info_escroqueries"]


def _services() -> dict[str, OfficialService]:
    return {service.code: service for service in OfficialService.objects.filter(code__in=SERVICE_CODES)}


@require_http_methods(["GET", "HEAD", "POST"])
def checker(request):
    form = CheckForm(request.POST or None)
    context = {"title": "Vérifier un lien, un numéro, un message", "form": form, "services": _services()}
    status = 200
    if request.method == "POST":
        if is_rate_limited(request, "antiscam-check", settings.RATELIMIT_ANTISCAM_CHECK):
            form.add_error(None, RATE_LIMITED)
            status = 429
        elif form.is_valid():
            try:
                extraction = extract_indicators(form.cleaned_data["texte"])
            except InvalidInput as error:
                form.add_error("texte", error.message)
                status = 422
            else:
                context["result"] = check(extraction)
        else:
            status = 422
    return render(request, "antiscam/checker.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def contest(request):
    initial = {"adresse": request.GET.get("adresse", "")[:2000]}
    form = ContestForm(request.POST or None, initial=initial)
    context = {"title": "Contester l'inscription d'un site sur la liste", "form": form}
    if request.method == "POST":
        if is_rate_limited(request, "antiscam-contest", settings.RATELIMIT_ANTISCAM_CONTEST):
            form.add_error(None, RATE_LIMITED)
            return render(request, "antiscam/contest.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contest = services.submit_contest(
                    address=data["adresse"], name=data["nom"], email=data["email"], message=data["explication"]
                )
            except UserError as error:
                form.add_error("adresse", error.message)
            else:
                return render(
                    request, "antiscam/contest_sent.html", {"title": "Contestation envoyée", "contest": contest}
                )
        return render(request, "antiscam/contest.html", context, status=422)
    return render(request, "antiscam/contest.html", context)


def _result_or_404(token: str) -> DiagnosticResult:
    return get_object_or_404(DiagnosticResult.objects.select_related("partner", "incident"), token=token)


@require_POST
def report_preview(request, token):
    """First step: the victim pastes what the scammer used; we show what we found, for them to confirm."""
    result = _result_or_404(token)
    allow_framing(request, result.partner)
    back = reverse("diagnostic:result", args=[token]) + "#indices"
    if ResultReport.objects.filter(result=result).exists():
        return redirect(back)
    form = ReportTextForm(request.POST)
    context = {"title": "Vérifiez ce que vous nous envoyez", "result": result, "form": form}
    if is_rate_limited(request, "antiscam-check", settings.RATELIMIT_ANTISCAM_CHECK):
        form.add_error(None, RATE_LIMITED)
        return render(request, "antiscam/report_preview.html", context, status=429)
    if form.is_valid():
        try:
            extraction = extract_indicators(form.cleaned_data["texte"])
        except InvalidInput as error:
            form.add_error("texte", error.message)
        else:
            context["extraction"] = extraction
            return render(request, "antiscam/report_preview.html", context)
    return render(request, "antiscam/report_preview.html", context, status=422)


@require_POST
def report_confirm(request, token):
    """Second step: record the items the victim kept ticked. Each is read again from its canonical form."""
    result = _result_or_404(token)
    allow_framing(request, result.partner)
    back = reverse("diagnostic:result", args=[token]) + "#indices"
    chosen = []
    for text in request.POST.getlist("element")[:MAX_INDICATORS]:
        found = services.single_indicator(text[:2100])
        if found is not None and found.value not in {item.value for item in chosen}:
            chosen.append(found)
    if not chosen:
        messages.error(request, "Vous n'avez coché aucun élément : rien n'a été envoyé.")
        return redirect(back)
    if is_rate_limited(request, "antiscam-report", settings.RATELIMIT_ANTISCAM_REPORT):
        messages.error(request, RATE_LIMITED)
        return redirect(back)
    try:
        services.record_reports(
            found=chosen,
            incident_code=result.incident.code if result.incident else "",
            source=services.source_key(request.META.get("REMOTE_ADDR", "")),
            result=result,
        )
    except UserError as error:
        messages.info(request, error.message)
        return redirect(back)
    count = len(chosen)
    messages.success(
        request,
        f"Merci : {count} élément{'s' if count > 1 else ''} enregistré{'s' if count > 1 else ''}, sans rien qui "
        "vous concerne. Ils aident à protéger d'autres personnes.",
    )
    return redirect(back)
