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
from spilka.lib.pow import pow_mark, pow_solution_marker


def _hit_all(idents: list[tuple[str, str]], limit: int, window: int) -> bool:
    """Count one attempt under every key; True when any key is now over ``limit``.

    Counting comes first and the count returned is the one compared: concurrent attempts
    each get their own number, so a burst cannot slip past a check made before counting.
    """
    counts = [ratelimit.hit(scope, ident, window) for scope, ident in idents]
    return any(count > limit for count in counts)


def _pair(request: HttpRequest, email: str) -> str:
    """The (hashed) visitor address and account together: one key per pair."""
    return ratelimit.hashed(f"{ratelimit.ip_hash(request)}|{email.strip().lower()}")


def _account(email: str) -> str:
    return ratelimit.hashed(email.strip().lower())


def login_attempt_is_limited(*, request: HttpRequest, email: str) -> bool:
    """Count a password attempt; True when this address must wait.

    Counted per (address, account) pair, so wrong guesses from one address never lock the
    owner out from another, and per address across all accounts (a higher limit), so one
    address cannot try a password on thousands of accounts. Nothing here depends on
    whether the account exists.
    """
    window = settings.SPILKA_LOGIN_WINDOW_SECONDS
    pair = ratelimit.hit("login-pair", _pair(request, email), window)
    address = ratelimit.hit("login-ip", ratelimit.ip_hash(request), window)
    return pair > settings.SPILKA_LOGIN_ATTEMPTS or address > settings.SPILKA_LOGIN_ADDRESS_ATTEMPTS


def login_proof_of_work_needed(*, email: str) -> int | None:
    """How hard a proof-of-work a sign-in to this account must bring, or None for none.

    After many failed passwords on one account from anywhere, every sign-in to it (the
    owner's too) first solves a proof-of-work, harder the more failures there were: an
    attacker spread over many addresses is slowed down, the owner waits a few seconds more
    and still signs in. Unknown accounts are counted the same way, so this reveals nothing.
    """
    threshold = settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN
    failures = ratelimit.count("login-account", _account(email), settings.SPILKA_LOGIN_WINDOW_SECONDS)
    if failures < threshold:
        return None
    # Twice the work for every further ``threshold`` failures, up to 16 times.
    factor = 2 ** min(failures // threshold - 1, 4)
    return settings.SPILKA_POW_MAX_NUMBER * factor


def login_proof_of_work_accept(*, payload: str) -> bool:
    """Whether ``payload`` solves a challenge we signed, and was not used before."""
    marker = pow_solution_marker(payload)
    return marker is not None and pow_mark(marker)


def login_check(*, request: HttpRequest, email: str, password: str) -> Any:
    """The user if the credentials are right (the attempt is counted beforehand).

    A failure also counts against the account, from whatever address (see
    ``login_proof_of_work_needed``). A successful sign-in gives its counts back, so
    colleagues signing in from one office address do not lock each other out.
    """
    window = settings.SPILKA_LOGIN_WINDOW_SECONDS
    # Counted before the (slow) check, so a burst of guesses cannot slip under the count.
    ratelimit.hit("login-account", _account(email), window)
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is not None:
        for scope, ident in (
            ("login-pair", _pair(request, email)),
            ("login-ip", ratelimit.ip_hash(request)),
            ("login-account", _account(email)),
        ):
            ratelimit.give_back(scope, ident, window)
    return user


def two_factor_attempt_is_limited(*, request: HttpRequest, user: Any) -> bool:
    """Count a two-factor code attempt, per (hashed) visitor address and per account.

    Per account as well: whoever tries codes already has the password, and six digits
    must not be guessable from many addresses.
    """
    idents = [
        ("2fa-ip", ratelimit.ip_hash(request)),
        ("2fa-account", ratelimit.hashed(f"user:{user.pk}")),
    ]
    return _hit_all(idents, settings.SPILKA_LOGIN_ATTEMPTS, settings.SPILKA_LOGIN_WINDOW_SECONDS)


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
