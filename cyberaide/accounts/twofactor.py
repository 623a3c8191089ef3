"""Second factor: a TOTP app (any authenticator) confirmed once, then asked at every sign-in."""

import base64

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being set up (created on first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning address as an inline SVG QR code, drawn here (no third-party service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="Code QR à scanner avec votre application"
    )


def base32_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm(request, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def session_is_verified(user, session) -> bool:
    """For WebSocket consumers, which do not go through OTPMiddleware: did this session pass the second factor?"""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not user.is_authenticated or not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id, for_verify=False)
    return device is not None and device.user_id == user.pk and device.confirmed
