"""The victim's side (match list, request, follow-up, rating) and the provider's side of a request."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from cyberaide.accounts.decorators import verified_required
from cyberaide.core.forms import attach_error
from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic.models import DiagnosticResult
from cyberaide.providers.models import Provider
from cyberaide.providers.selectors import find_matches, place_for

from . import securing, services, workflow
from .forms import PlaceForm, RatingForm, ReportForm, RequestForm
from .models import AssistanceRequest
from .workflow import Actor, Status

REPLACES_SESSION_KEY = "assistance_replaces"
UNKNOWN_PLACE = "Nous ne trouvons pas ce lieu. Indiquez un code postal à 5 chiffres ou le nom de votre commune."


def result_or_404(token: str) -> DiagnosticResult:
    """A result for which providers are offered: a technical intervention can help."""
    result = get_object_or_404(DiagnosticResult.objects.select_related("incident"), token=token)
    if result.incident is None or not result.provider_expertise:
        raise Http404
    return result


def tried_providers(result: DiagnosticResult) -> set[int]:
    """Providers this victim already asked for this result and who could not help."""
    return set(
        AssistanceRequest.objects.filter(result=result, status__in=list(workflow.ENDED_WITHOUT_HELP)).values_list(
            "provider_id", flat=True
        )
    )


@require_http_methods(["GET"])
def matches(request, token):
    result = result_or_404(token)
    expertise = result.provider_expertise
    form = PlaceForm(request.GET if "lieu" in request.GET else None)
    context = {"result": result, "form": form, "expertise": expertise, "title": "Prestataires près de chez vous"}
    status = 200
    if form.is_bound and form.is_valid():
        place = place_for(form.cleaned_data["lieu"])
        if place is None:
            form.add_error("lieu", UNKNOWN_PLACE)
            status = 400
        else:
            found = find_matches(
                audience=result.audience, expertise=expertise, place=place, seed=result.token, shown=15
            )
            tried = tried_providers(result)
            found.entries = [(p, m) for p, m in found.entries if p.pk not in tried][:10]
            query = urlencode({"lieu": form.cleaned_data["lieu"]})
            for provider, _ in found.entries:
                provider.request_url = reverse("assistance:new_request", args=[token, provider.pk]) + "?" + query
            context.update(found=found, place=place, lieu=form.cleaned_data["lieu"])
    elif form.is_bound:
        status = 400
    return render(request, "assistance/matches.html", context, status=status)


@require_http_methods(["GET", "POST"])
def new_request(request, token, provider_id):
    result = result_or_404(token)
    provider = get_object_or_404(Provider.objects.referenced(), pk=provider_id)
    place = place_for(request.GET.get("lieu", "") or request.POST.get("lieu", ""))
    if place is None:
        messages.error(request, "Indiquez d'abord votre code postal ou votre commune.")
        return redirect("assistance:matches", token=token)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        replaces = AssistanceRequest.objects.filter(
            pk=request.session.get(REPLACES_SESSION_KEY), result=result
        ).first()
        sent = submit_request(
            request,
            form,
            provider=provider,
            place=place,
            result=result,
            expertise=result.provider_expertise,
            replaces=replaces,
        )
        if sent:
            request.session.pop(REPLACES_SESSION_KEY, None)
            return sent
    context = {
        "result": result,
        "provider": provider,
        "place": place,
        "lieu": request.GET.get("lieu", "") or request.POST.get("lieu", ""),
        "form": form,
        "title": f"Demander l'aide de {provider.legal_name}",
    }
    return render(request, "assistance/new_request.html", context, status=400 if form.errors else 200)


def submit_request(request, form, *, provider, place, **details):
    """Create the request from a valid form; redirect to its follow-up page, or None with the form's errors set."""
    if is_rate_limited(request, "assistance-request", settings.RATELIMIT_ASSISTANCE_REQUEST):
        form.add_error(None, "Trop de demandes ont été envoyées depuis votre connexion. Réessayez plus tard.")
        return None
    data = form.cleaned_data
    try:
        created, follow_up_token = services.create_request(
            provider=provider,
            place=place,
            contact=services.Contact(
                data["contact_name"], data["contact_email"], data["contact_phone"], data["message"]
            ),
            consent=data["consent"],
            **details,
        )
    except services.AssistanceError as error:
        attach_error(form, error)
        return None
    messages.success(
        request,
        f"Votre demande {created.reference} est envoyée à {provider.legal_name}. "
        "Gardez cette page : son adresse est votre lien de suivi (nous vous l'envoyons aussi par e-mail).",
    )
    return redirect("assistance:follow_up", token=follow_up_token)


def request_by_token_or_404(token: str) -> AssistanceRequest:
    found = AssistanceRequest.by_follow_up_token(token)
    if found is None:
        raise Http404("Ce lien de suivi n'existe pas.")
    return found


def follow_up_context(found: AssistanceRequest, token: str, rating_form) -> dict:
    return {
        "req": found,
        "token": token,
        "events": found.events.all(),
        "rating_form": rating_form,
        "title": f"Suivi de votre demande {found.reference}",
    }


@require_http_methods(["GET"])
def follow_up(request, token):
    found = request_by_token_or_404(token)
    if services.expire_if_overdue(found):
        found.refresh_from_db()
    rating_form = RatingForm() if found.status == Status.CLOSED else None
    return render(request, "assistance/follow_up.html", follow_up_context(found, token, rating_form))


@require_POST
def rate(request, token):
    found = request_by_token_or_404(token)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(found, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
        except services.AssistanceError as error:
            attach_error(form, error)
        else:
            messages.success(request, "Merci pour votre avis. Il sera publié après relecture par notre équipe.")
            return redirect("assistance:follow_up", token=token)
    return render(request, "assistance/follow_up.html", follow_up_context(found, token, form), status=400)


@require_POST
def choose_another(request, token):
    found = request_by_token_or_404(token)
    if found.status not in workflow.ENDED_WITHOUT_HELP:
        messages.error(
            request,
            "Cette demande est toujours en cours : attendez la réponse du prestataire."
            if found.is_open
            else "Cette demande est terminée : pour un nouveau problème, faites un nouveau diagnostic.",
        )
        return redirect("assistance:follow_up", token=token)
    if found.result is None:
        messages.error(request, "Le diagnostic lié à cette demande n'est plus conservé : refaites un diagnostic.")
        return redirect("diagnostic:start")
    request.session[REPLACES_SESSION_KEY] = found.pk
    return redirect(
        reverse("assistance:matches", args=[found.result.token]) + "?" + urlencode({"lieu": found.postcode})
    )


# --- Journey 3: securing one's systems with an ExpertCyber provider ---


def matching_seed(request) -> str:
    """A random seed kept for this visitor, so that equal providers take turns from one visitor to the next."""
    if "match_seed" not in request.session:
        request.session["match_seed"] = secrets.token_hex(8)
    return request.session["match_seed"]


@require_http_methods(["GET"])
def secure(request):
    form = securing.NeedsForm(request.GET if "lieu" in request.GET else None)
    context = {"form": form, "title": "Sécuriser vos systèmes avec un prestataire labellisé"}
    status = 200
    if form.is_bound and form.is_valid():
        place = place_for(form.cleaned_data["lieu"])
        if place is None:
            form.add_error("lieu", UNKNOWN_PLACE)
        else:
            found = find_matches(
                audience=form.cleaned_data["audience"],
                expertise=tuple(form.cleaned_data["needs"]),
                place=place,
                seed=matching_seed(request),
                labelled_only=True,
            )
            for provider, _ in found.entries:
                provider.request_url = (
                    reverse("assistance:secure_request", args=[provider.pk]) + "?" + request.GET.urlencode()
                )
            context.update(found=found, place=place)
    if form.is_bound and form.errors:
        status = 400
    return render(request, "assistance/secure.html", context, status=status)


@require_http_methods(["GET", "POST"])
def secure_request(request, provider_id):
    provider = get_object_or_404(Provider.objects.referenced(), pk=provider_id)
    needs_form = securing.NeedsForm(request.GET)
    place = place_for(request.GET.get("lieu", ""))
    if not needs_form.is_valid() or place is None:
        messages.error(request, "Décrivez d'abord votre besoin.")
        return redirect("assistance:secure")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        needs = needs_form.cleaned_data
        sent = submit_request(
            request,
            form,
            provider=provider,
            place=place,
            audience=needs["audience"],
            needs=securing.described_needs(needs),
            expertise=tuple(needs["needs"]),
        )
        if sent:
            return sent
    context = {
        "provider": provider,
        "place": place,
        "needs": securing.described_needs(needs_form.cleaned_data),
        "query": request.GET.urlencode(),
        "form": form,
        "title": f"Demander l'accompagnement de {provider.legal_name}",
    }
    return render(request, "assistance/secure_request.html", context, status=400 if form.errors else 200)


# --- The provider's side ---


def provider_request_or_404(request, reference) -> tuple[Provider, AssistanceRequest]:
    """Only the provider the request was sent to may see it: anyone else gets a 404, as if it did not exist."""
    provider = Provider.objects.filter(owner=request.user).first()
    if provider is None:
        raise Http404
    found = get_object_or_404(
        AssistanceRequest.objects.select_related("incident", "result"), reference=reference, provider=provider
    )
    return provider, found


def provider_request_context(provider: Provider, found: AssistanceRequest, report_form) -> dict:
    return {
        "provider": provider,
        "req": found,
        "events": found.events.all(),
        "actions": workflow.actions_for(found.status, Actor.PROVIDER),
        "report_form": report_form,
        "title": f"Demande {found.reference}",
    }


@verified_required
def provider_request(request, reference):
    provider, found = provider_request_or_404(request, reference)
    report_form = ReportForm() if found.status == Status.IN_PROGRESS else None
    return render(request, "assistance/provider_request.html", provider_request_context(provider, found, report_form))


@verified_required
@require_POST
def provider_request_action(request, reference):
    provider, found = provider_request_or_404(request, reference)
    action = request.POST.get("action", "")
    try:
        services.provider_action(
            found, action, provider=provider, by=request.user, reason=request.POST.get("reason", "")
        )
    except services.AssistanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "C'est enregistré. La victime est prévenue par e-mail.")
    return redirect("assistance:provider_request", reference=reference)


@verified_required
@require_POST
def provider_request_report(request, reference):
    provider, found = provider_request_or_404(request, reference)
    form = ReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.close_with_report(
                found,
                provider=provider,
                by=request.user,
                incident_confirmed=data["incident_confirmed"],
                incident=data["incident"],
                actions=data["actions"],
                outcome=data["outcome"],
                sector=data["sector"],
            )
        except services.AssistanceError as error:
            attach_error(form, error)
        else:
            messages.success(request, "Rapport enregistré, demande clôturée. Merci.")
            return redirect("assistance:provider_request", reference=reference)
    context = provider_request_context(provider, found, form)
    return render(request, "assistance/provider_request.html", context, status=400)
