"""The provider's journey (account, application, space) and the public directory. Views parse, check, call."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cyberaide.accounts.decorators import verified_required
from cyberaide.accounts.forms import SignupForm
from cyberaide.assistance.models import AssistanceRequest, Rating
from cyberaide.assistance.workflow import OPEN
from cyberaide.core.forms import attach_error
from cyberaide.core.geography import DEPARTEMENT_CHOICES, DEPARTEMENTS

from . import documentation, selectors, services
from .forms import ActivityForm, AddressForm, AreaForm, CharterForm, IdentityForm, PracticalDetailsForm
from .models import CharterVersion, Provider

STEPS = {
    "identite": ("Identité de l'entreprise", IdentityForm),
    "adresse": ("Adresse", AddressForm),
    "activite": ("Activité et prix", ActivityForm),
    "zone": ("Zone d'intervention", AreaForm),
    "charte": ("Charte", CharterForm),
}


def provider_of(request) -> Provider | None:
    return Provider.objects.filter(owner=request.user).first()


def referenced_provider_or_404(request) -> Provider:
    provider = provider_of(request)
    if provider is None or not provider.is_referenced:
        raise Http404("Réservé aux prestataires référencés.")
    return provider


# --- Account ---


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("providers:space")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est créé. Protégez-le maintenant par la double authentification.")
        return redirect("accounts:totp_setup")
    context = {"form": form, "title": "Créer un compte prestataire"}
    return render(request, "providers/signup.html", context, status=400 if form.errors else 200)


# --- Application ---


def initial_for(step: str, provider: Provider | None) -> dict:
    if provider is None:
        return {}
    return {
        "identite": {
            "legal_name": provider.legal_name,
            "siret": provider.siret,
            "phone": provider.phone,
            "public_email": provider.public_email,
            "website": provider.website,
        },
        "adresse": {"street": provider.street, "postcode": provider.postcode, "commune": provider.commune_name},
        "activite": {
            "description": provider.description,
            "clientele": provider.clientele,
            "expertise": provider.expertise,
            "price_statement": provider.price_statement,
        },
        "zone": {"departements": provider.departements, "radius_km": provider.radius_km, "remote": provider.remote},
        "charte": {},
    }[step]


def save_step(request, step: str, provider: Provider | None, data: dict) -> Provider:
    if step == "identite" and provider is None:
        provider = services.start_application(owner=request.user, legal_name=data["legal_name"], siret=data["siret"])
        fields = {key: data[key] for key in ("phone", "public_email", "website")}
    elif step == "identite":
        fields = {key: data[key] for key in ("legal_name", "siret", "phone", "public_email", "website")}
    elif step == "adresse":
        fields = {"street": data["street"], "postcode": data["postcode"], "commune_code": data["commune_code"]}
    elif step == "activite":
        fields = {"description": data["description"], "price_statement": data["price_statement"]}
        provider.clientele, provider.expertise = data["clientele"], data["expertise"]
        fields.update(clientele_mask=provider.clientele_mask, expertise_mask=provider.expertise_mask)
    elif step == "zone":
        return services.update_application(
            provider, departements=data["departements"], radius_km=data["radius_km"], remote=data["remote"]
        )
    else:
        services.accept_charter(provider, charter=CharterVersion.current(), by=request.user)
        return provider
    return services.update_application(provider, **fields)


@verified_required
@require_http_methods(["GET", "POST"])
def application_step(request, step):
    if step not in STEPS:
        raise Http404
    provider = provider_of(request)
    if provider is None and step != "identite":
        return redirect("providers:application_step", step="identite")
    if provider is not None and not provider.is_editable:
        messages.error(request, "Votre candidature a été envoyée : elle ne peut plus être modifiée pour le moment.")
        return redirect("providers:space")
    title, form_class = STEPS[step]
    form = form_class(request.POST or None, initial=initial_for(step, provider))
    if request.method == "POST" and form.is_valid():
        try:
            provider = save_step(request, step, provider, form.cleaned_data)
        except services.ApplicationError as error:
            attach_error(form, error)
        else:
            names = list(STEPS)
            following = names[names.index(step) + 1] if step != names[-1] else None
            messages.success(request, f"Étape « {title} » enregistrée.")
            if following:
                return redirect("providers:application_step", step=following)
            return redirect("providers:space")
    context = {
        "form": form,
        "step": step,
        "step_title": title,
        "step_number": list(STEPS).index(step) + 1,
        "step_count": len(STEPS),
        "steps": STEPS,
        "provider": provider,
        "charter": CharterVersion.current() if step == "charte" else None,
        "title": f"Candidature : {title}",
    }
    return render(request, "providers/application_step.html", context, status=400 if form.errors else 200)


@verified_required
@require_POST
def submit(request):
    provider = provider_of(request)
    if provider is None:
        return redirect("providers:application_step", step="identite")
    try:
        services.submit(provider, by=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Votre candidature est envoyée. Nous vous répondrons par e-mail.")
    return redirect("providers:space")


# --- Space ---


@verified_required
def space(request):
    provider = provider_of(request)
    context = {"provider": provider, "title": "Mon espace prestataire"}
    if provider is not None:
        context["missing_steps"] = services.missing_steps(provider) if provider.is_editable else []
        context["last_transition"] = provider.transitions.order_by("-at", "-pk").first()
        context["steps"] = STEPS
        if provider.is_active:
            context.update(requests_context(provider))
            context["label"] = provider.current_label()
    return render(request, "providers/space.html", context)


def requests_context(provider: Provider) -> dict:
    requests = AssistanceRequest.objects.filter(provider=provider).select_related("incident")
    return {
        "open_requests": list(requests.filter(status__in=OPEN)),
        "past_requests": list(requests.exclude(status__in=OPEN)[:20]),
    }


@verified_required
def requests_fragment(request):
    """The requests table alone, fetched by the page when the server announces a change."""
    provider = provider_of(request)
    if provider is None:
        raise Http404
    return render(request, "providers/_requests.html", requests_context(provider))


@verified_required
@require_http_methods(["GET", "POST"])
def practical_details(request):
    provider = provider_of(request)
    if provider is None or not provider.is_active:
        raise Http404("Réservé aux prestataires référencés.")
    initial = {name: getattr(provider, name) for name in services.PRACTICAL_DETAILS}
    form = PracticalDetailsForm(request.POST or None, initial={**initial, "departements": provider.departements})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_practical_details(
                provider,
                departements=data["departements"],
                **{name: data[name] for name in services.PRACTICAL_DETAILS},
            )
        except services.ApplicationError as error:
            attach_error(form, error)
        else:
            messages.success(request, "Votre fiche est à jour.")
            return redirect("providers:space")
    context = {"form": form, "provider": provider, "title": "Mettre à jour ma fiche"}
    return render(request, "providers/practical_details.html", context, status=400 if form.errors else 200)


@verified_required
def ratings(request):
    provider = provider_of(request)
    if provider is None or not provider.is_active:
        raise Http404("Réservé aux prestataires référencés.")
    received = Rating.objects.filter(request__provider=provider).select_related("request").order_by("-created_at")
    context = {"provider": provider, "ratings": received, "title": "Avis reçus"}
    return render(request, "providers/ratings.html", context)


@verified_required
def documentation_index(request):
    referenced_provider_or_404(request)
    return render(
        request, "providers/documentation_index.html", {"pages": documentation.pages(), "title": "Documentation"}
    )


@verified_required
def documentation_page(request, slug):
    referenced_provider_or_404(request)
    page = documentation.page(slug)
    if page is None:
        raise Http404
    return render(request, "providers/documentation_page.html", {"page": page, "title": page["title"]})


# --- Public ---


def directory(request):
    query = request.GET.get("q", "").strip()[:100]
    departement = request.GET.get("departement", "")
    if departement not in DEPARTEMENTS:
        departement = ""
    page = Paginator(selectors.directory(query, departement), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "departement": departement,
        "departement_choices": DEPARTEMENT_CHOICES,
        "title": "Annuaire des prestataires référencés",
    }
    return render(request, "providers/directory.html", context)


def verify(request):
    query = request.GET.get("q", "").strip()[:100]
    error = ""
    found = []
    if "q" in request.GET:
        if len(query) < 3:
            error = "Saisissez au moins 3 caractères : un nom, un numéro SIRET ou une ville."
        else:
            found = list(selectors.verify(query))
    context = {"query": query, "found": found, "error": error, "title": "Vérifier un prestataire"}
    return render(request, "providers/verify.html", context, status=400 if error else 200)


def profile(request, pk):
    provider = get_object_or_404(Provider.objects.referenced().with_label().prefetch_related("areas"), pk=pk)
    published = Rating.objects.filter(request__provider=provider, status=Rating.Status.PUBLISHED).order_by(
        "-created_at"
    )[:10]
    context = {"provider": provider, "ratings": published, "title": provider.legal_name}
    return render(request, "providers/profile.html", context)
