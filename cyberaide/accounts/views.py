from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from cyberaide.core.ratelimit import is_rate_limited

from . import twofactor
from .forms import LoginForm, TotpConfirmForm


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = LoginForm(request.POST or None, request=request)
    refused = ""
    if request.method == "POST":
        if is_rate_limited(request, "login", settings.RATELIMIT_LOGIN):
            refused = "Trop de tentatives de connexion depuis votre connexion. Réessayez dans quelques minutes."
            form = LoginForm(initial={"email": request.POST.get("email", "")}, request=request)
        elif form.is_valid():
            login(request, form.user)
            if form.device is None:
                return redirect("accounts:totp_setup")
            otp_login(request, form.device)
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    context = {"form": form, "refused": refused, "next": safe_next(request, ""), "title": "Se connecter"}
    status = 429 if refused else 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/login.html", context, status=status)


@login_required(login_url="accounts:login")
def home(request):
    """Where a person lands after signing in: the back office for staff, the 17Cyber console for agents, the
    editorial back office for editors, the provider's space otherwise."""
    if hasattr(request.user, "chat_agent"):
        return redirect("chat:console")
    if request.user.is_staff:
        return redirect("admin:index")
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect("wagtailadmin_home")
    return redirect("providers:space")


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("core:home")


@login_required(login_url="accounts:login")
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    if twofactor.confirmed_device(request.user) is not None:
        if request.user.is_verified():
            return redirect(settings.LOGIN_REDIRECT_URL)
        return redirect("accounts:login")
    device = twofactor.pending_device(request.user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(request, device, form.cleaned_data["code"]):
            messages.success(
                request, "La double authentification est activée : elle vous sera demandée à chaque connexion."
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("code", "Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et réessayez.")
    context = {
        "form": form,
        "qr_code": twofactor.qr_code_svg(device),
        "secret": twofactor.base32_secret(device),
        "title": "Activer la double authentification",
    }
    return render(request, "accounts/totp_setup.html", context, status=400 if form.errors else 200)
