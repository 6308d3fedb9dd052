"""Signing in, rate limits on it, and two-factor devices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from spilka.lib import ratelimit
from spilka.lib.audit import audit_record


def _idents(request: HttpRequest, email: str) -> list[tuple[str, str]]:
    return [
        ("login-ip", ratelimit.ip_hash(request)),
        ("login-account", ratelimit.hashed(email.lower())),
    ]


def login_is_limited(*, request: HttpRequest, email: str) -> bool:
    window = settings.SPILKA_LOGIN_WINDOW_SECONDS
    limit = settings.SPILKA_LOGIN_ATTEMPTS
    return any(
        ratelimit.is_limited(scope, ident, limit, window)
        for scope, ident in _idents(request, email)
    )


def login_check(*, request: HttpRequest, email: str, password: str) -> Any:
    """The user if the credentials are right; counts failures towards the limit."""
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is None:
        login_failure_record(request=request, email=email)
    return user


def login_failure_record(*, request: HttpRequest, email: str) -> None:
    for scope, ident in _idents(request, email):
        ratelimit.hit(scope, ident, settings.SPILKA_LOGIN_WINDOW_SECONDS)


def password_reset_is_limited(*, request: HttpRequest, email: str) -> bool:
    """At most a few reset mails per hour per address and per (hashed) visitor address."""
    window = 3600
    idents = [
        ("reset-ip", ratelimit.ip_hash(request)),
        ("reset-account", ratelimit.hashed(email.lower())),
    ]
    limited = any(ratelimit.is_limited(scope, ident, 5, window) for scope, ident in idents)
    if not limited:
        for scope, ident in idents:
            ratelimit.hit(scope, ident, window)
    return limited


def totp_device_for(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_start(*, user: Any) -> TOTPDevice:
    """An unconfirmed device to enrol; reuses the pending one so reloading keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    audit_record(
        actor=device.user,
        action="accounts.two_factor.enabled",
        obj=device.user,
        after={"device": device.name},
    )
    return True
