from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic.triage import MAX_CHARS

from . import alerts
from .forms import SearchForm, SubscriptionForm
from .models import AlertSubscription
from .search import search as run_search


@require_http_methods(["GET", "POST"])
def search(request):
    """A few words in the search bar (GET), or a pasted message (POST, too long for an address)."""
    form = SearchForm(request.POST if request.method == "POST" else request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "query": query,
        "results": None,
        "too_long": not form.is_valid(),
        "max_chars": MAX_CHARS,
        "title": "Rechercher",
    }
    if query and is_rate_limited(request, "search", settings.RATELIMIT_SEARCH):
        context["refused"] = "Trop de recherches depuis votre connexion. Réessayez dans quelques minutes."
        return render(request, "content/search.html", context, status=429)
    context["results"] = run_search(query) if query else None
    return render(request, "content/search.html", context, status=200 if form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscriptionForm(request.POST or None)
    refused = ""
    status = 200
    if request.method == "POST":
        if is_rate_limited(request, "alert-subscription", settings.RATELIMIT_ALERT_SUBSCRIPTION):
            refused = "Trop de demandes d'abonnement depuis votre connexion. Réessayez dans une heure."
            status = 429
        elif form.is_valid():
            alerts.subscribe(email=form.cleaned_data["email"])
            return render(
                request,
                "content/subscription_sent.html",
                {"title": "Vérifiez votre messagerie", "days": settings.ALERT_CONFIRMATION_DAYS},
            )
        else:
            status = 400
    return render(
        request,
        "content/subscribe.html",
        {"form": form, "refused": refused, "title": "Recevoir les alertes par courriel"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm_subscription(request, key):
    """The link in the confirmation e-mail shows a button: a mail scanner opening the link confirms nothing."""
    subscription = AlertSubscription.objects.filter(key=key).first()
    if subscription is None or not subscription.link_valid:
        return render(request, "content/subscription_invalid.html", {"title": "Lien non valable"}, status=404)
    if request.method == "POST":
        alerts.confirm(key=key)
        return render(request, "content/subscription_confirmed.html", {"title": "Abonnement confirmé"})
    return render(request, "content/subscription_confirm.html", {"title": "Confirmer votre abonnement", "key": key})


@csrf_exempt  # mail clients post here for one-click unsubscription (RFC 8058); the key in the URL is the secret
@require_http_methods(["GET", "POST"])
def unsubscribe(request, key):
    if request.method == "POST":
        alerts.unsubscribe(key=key)
        # Same answer whether or not the key still existed: a second click is not an error.
        return render(request, "content/unsubscribed.html", {"title": "Désabonnement effectué"})
    if not AlertSubscription.objects.filter(key=key).exists():
        return render(request, "content/unsubscribed.html", {"title": "Désabonnement effectué"})
    return render(request, "content/unsubscribe.html", {"title": "Se désabonner des alertes", "key": key})
