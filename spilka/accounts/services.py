"""Signing in, rate limits on it, and two-factor devices."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from spilka.lib import ratelimit
from spilka.lib.audit import audit_record
from spilka.lib.mail import email_send_after_commit
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
    failures = ratelimit.count(
        "login-account", _account(email), settings.SPILKA_LOGIN_WINDOW_SECONDS
    )
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


# How long a secret shown for enrolment stays good for before it must be confirmed.
ENROL_SECONDS = 10 * 60
RECOVERY_CODE_COUNT = 10


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the task queue after commit."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if not ratelimit.address_mail_allowed(to_email):
            return  # the address has had its share of mail this hour; the page says the same
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_send_after_commit(to=[to_email], subject=subject, body=body)


def password_reset_mail(
    *,
    email: str,
    domain: str,
    use_https: bool,
    subject_template_name: str,
    email_template_name: str,
) -> None:
    """Mail a reset link to each active account with this address; nothing for none. The
    task worker runs this (see ``tasks.password_reset_send``), never the request."""
    form = QueuedPasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
        )


def totp_device_for(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_start(*, user: Any, pending_id: int | None = None) -> TOTPDevice:
    """The device being enrolled in this session (``pending_id``), or a new one.

    Reloading the page in the same session keeps the QR code; a secret shown in another
    session, or longer than ``ENROL_SECONDS`` ago, is never shown or accepted again: it
    may have been seen by someone else. Starting anew removes the user's older pending ones.
    """
    fresh = timezone.now() - datetime.timedelta(seconds=ENROL_SECONDS)
    device = None
    if pending_id is not None:
        device = TOTPDevice.objects.filter(
            pk=pending_id, user=user, confirmed=False, created_at__gte=fresh
        ).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
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


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_make(*, user: Any) -> list[str]:
    """New single-use recovery codes for ``user``, replacing any older ones.

    Shown once, right away; django-otp keeps them and deletes each as it is used.
    """
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(
            user=user, name=gettext("Recovery codes"), confirmed=True
        )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        actor=user,
        action="accounts.two_factor.recovery_codes_made",
        obj=user,
        after={"count": len(codes)},
    )
    return codes


@transaction.atomic
def two_factor_check(*, user: Any, token: str) -> Device | None:
    """The device ``token`` is right for: a six-digit code from the app, or a recovery
    code (used up by this). None when it is not right."""
    token = "".join(token.split()).lower()
    if token.isdecimal():
        device = totp_device_for(user)
        return device if device is not None and device.verify_token(token) else None
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is None or not static.verify_token(token):
        return None
    audit_record(
        actor=user,
        action="accounts.two_factor.recovery_code_used",
        obj=user,
        after={"left": static.token_set.count()},
    )
    return static
