"""Signing in, rate limits on it, and two-factor devices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from spilka.lib import ratelimit
from spilka.lib.audit import audit_record


def _hit_all(idents: list[tuple[str, str]], limit: int, window: int) -> bool:
    """Count one attempt under every key; True when any key is now over ``limit``.

    Counting comes first and the count returned is the one compared: concurrent attempts
    each get their own number, so a burst cannot slip past a check made before counting.
    """
    counts = [ratelimit.hit(scope, ident, window) for scope, ident in idents]
    return any(count > limit for count in counts)


def login_attempt_is_limited(*, request: HttpRequest, email: str) -> bool:
    """Count a password attempt, per (hashed) visitor address and per account."""
    idents = [
        ("login-ip", ratelimit.ip_hash(request)),
        ("login-account", ratelimit.hashed(email.strip().lower())),
    ]
    return _hit_all(idents, settings.SPILKA_LOGIN_ATTEMPTS, settings.SPILKA_LOGIN_WINDOW_SECONDS)


def two_factor_attempt_is_limited(*, request: HttpRequest, user: Any) -> bool:
    """Count a two-factor code attempt, per (hashed) visitor address and per account."""
    idents = [
        ("2fa-ip", ratelimit.ip_hash(request)),
        ("2fa-account", ratelimit.hashed(f"user:{user.pk}")),
    ]
    return _hit_all(idents, settings.SPILKA_LOGIN_ATTEMPTS, settings.SPILKA_LOGIN_WINDOW_SECONDS)


def login_check(*, request: HttpRequest, email: str, password: str) -> Any:
    """The user if the credentials are right (the attempt is counted beforehand).

    A successful sign-in gives its count back, so colleagues signing in from one office
    address do not lock each other out; failures keep counting.
    """
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is not None:
        for scope, ident in (
            ("login-ip", ratelimit.ip_hash(request)),
            ("login-account", ratelimit.hashed(email.strip().lower())),
        ):
            ratelimit.give_back(scope, ident, settings.SPILKA_LOGIN_WINDOW_SECONDS)
    return user


def password_reset_is_limited(*, request: HttpRequest, email: str) -> bool:
    """At most a few reset mails per hour per address and per (hashed) visitor address."""
    idents = [
        ("reset-ip", ratelimit.ip_hash(request)),
        ("reset-account", ratelimit.hashed(email.lower())),
    ]
    return _hit_all(idents, 5, 3600)


def totp_device_for(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_start(*, user: Any) -> TOTPDevice:
    """An unconfirmed device to enrol; reuses the pending one so reloading keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
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
