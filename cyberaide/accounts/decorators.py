from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .twofactor import confirmed_device


def sign_in_redirect(request):
    """Where someone not fully signed in goes: to set up a second factor if they have none yet, otherwise to the
    sign-in page, and back here afterwards."""
    if request.user.is_authenticated and confirmed_device(request.user) is None:
        return redirect("accounts:totp_setup")
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))


def verified_required(view):
    """Signed in with a password and a one-time code. Someone without a second factor yet must set one up."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_verified():
            return sign_in_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper
