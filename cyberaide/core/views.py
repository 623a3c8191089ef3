from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    from cyberaide.content.selectors import latest_pages

    return render(request, "core/home.html", {"title": "Accueil", "latest_pages": latest_pages(4)})


def never_asked(request):
    return render(request, "core/never_asked.html", {"title": "Ce que nous ne vous demanderons jamais"})


def accessibility(request):
    return render(request, "core/accessibility.html", {"title": "Déclaration d'accessibilité"})


def privacy(request):
    return render(request, "core/privacy.html", {"title": "Données personnelles"})


def health(request):
    """For load balancers and monitoring: the process answers. Also the bare baseline of `make bench`."""
    return JsonResponse({"status": "ok"})
