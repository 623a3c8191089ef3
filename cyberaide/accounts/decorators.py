from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .twofactor import confirmed_device


def verified_required(view):
    """Signed in with a password and a one-time code. Someone without a second factor yet must set one up."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))
        if not user.is_verified():
            if confirmed_device(user) is None:
                return redirect("accounts:totp_setup")
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapper
