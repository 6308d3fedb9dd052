from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from spilka.accounts import services
from spilka.accounts.desk import desk_for
from spilka.accounts.forms import (
    LoginForm,
    PasswordResetRequestForm,
    SignInCodeForm,
    TokenForm,
)
from spilka.accounts.middleware import needs_second_factor
from spilka.lib.pow import pow_challenge

PENDING_KEY = "spilka_2fa_pending_user"
PENDING_NEXT = "spilka_2fa_next"
PENDING_AT = "spilka_2fa_pending_at"
# The device being enrolled in this session (its secret is never shown to another one).
ENROL_KEY = "spilka_2fa_enrolling"
# How long the password step stays good for while the code is being typed.
PENDING_SECONDS = 5 * 60
TOO_MANY = _lazy("Too many failed attempts. Wait a few minutes and try again.")
WRONG_CODE = _lazy("This code is not right or has expired.")
SLOW_DOWN = _lazy(
    "Many wrong passwords were tried for this account recently, so signing in to it now "
    "takes a short check in your browser. Wait until it says it is ready, then enter your "
    "password again and sign in."
)


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _two_factor_url(next_url: str | None) -> str:
    url = reverse("accounts:two_factor")
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_KEY, PENDING_NEXT, PENDING_AT):
        request.session.pop(key, None)


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = LoginForm(request.POST or None)
    status = 200
    challenge = ""
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            work = None
            if services.login_attempt_is_limited(request=request, email=email):
                form.add_error(None, TOO_MANY)
                status = 429
            elif (
                work := services.login_proof_of_work_needed(email=email)
            ) and not services.login_proof_of_work_accept(payload=form.cleaned_data["altcha"]):
                # Asked before the password is checked: the answer says nothing about it.
                form.add_error(None, SLOW_DOWN)
                challenge = pow_challenge(max_number=work)
                status = 429
            else:
                user = services.login_check(
                    request=request, email=email, password=form.cleaned_data["password"]
                )
                if user is None:
                    form.add_error(None, _("The email or password is not right."))
                    status = 400
                    if work:  # the next attempt needs a proof-of-work again
                        challenge = pow_challenge(max_number=work)
                elif services.totp_device_for(user) is not None:
                    # A new session key for the half-signed-in state, and a deadline.
                    request.session.cycle_key()
                    request.session[PENDING_KEY] = user.pk
                    request.session[PENDING_AT] = int(time.time())
                    request.session[PENDING_NEXT] = next_url or ""
                    return redirect("accounts:login_verify")
                else:
                    login(request, user)
                    if needs_second_factor(user):
                        # Those whose role needs it enrol an authenticator app first.
                        return redirect(_two_factor_url(next_url))
                    return redirect(next_url or "accounts:home")
        else:
            status = 400
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url or "", "challenge": challenge},
        status=status,
    )


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_KEY)
    started = request.session.get(PENDING_AT)
    if user_id and (not isinstance(started, int) or time.time() - started > PENDING_SECONDS):
        _clear_pending(request)
        messages.info(request, _("The sign-in took too long. Sign in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = SignInCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if services.two_factor_attempt_is_limited(request=request, user=user):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            device = form.is_valid() and services.two_factor_check(
                user=user, token=form.cleaned_data["token"]
            )
            if device:
                next_url = request.session.get(PENDING_NEXT) or None
                _clear_pending(request)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                return redirect(_safe_next(request, next_url) or "accounts:home")
            if not form.errors:
                form.add_error("token", WRONG_CODE)
            status = 400
    return render(request, "accounts/verify.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link by email; the page never says whether the address has an account."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        if services.password_reset_is_limited(
            request=self.request, email=form.cleaned_data["email"]
        ):
            # Same answer as a real send: a mail bomber learns nothing and sends nothing.
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("front:index")


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organiser's desk, where sign-in lands: per organisation, what waits and where
    to act on it (``accounts.desk``). Never cached: the counts change with every answer."""
    return render(request, "accounts/home.html", {"rows": desk_for(request.user)})


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url or ""})


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app, or verify it for this session.

    Never cached: the enrolment page shows the device's secret key, and the page after it
    the recovery codes.
    """
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next")) or ""
    device = services.totp_device_for(request.user)
    is_verified = getattr(request.user, "is_verified", None)  # django-otp's middleware sets it
    verified = bool(is_verified and is_verified())
    if device is not None and verified:
        return render(
            request,
            "accounts/two_factor.html",
            {
                "enrolled": True,
                "verified": True,
                "left": services.recovery_codes_left(request.user),
            },
        )
    form = (SignInCodeForm if device is not None else TokenForm)(request.POST or None)
    limited = request.method == "POST" and services.two_factor_attempt_is_limited(
        request=request, user=request.user
    )
    if limited:
        form.is_valid()
        form.add_error(None, TOO_MANY)
    if device is not None:
        if request.method == "POST" and not limited and form.is_valid():
            used = services.two_factor_check(user=request.user, token=form.cleaned_data["token"])
            if used is not None:
                otp_login(request, used)
                return redirect(next_url or "accounts:home")
            form.add_error("token", WRONG_CODE)
        return render(
            request,
            "accounts/two_factor.html",
            {"form": form, "next": next_url, "enrolled": True},
            status=429 if limited else 400 if form.errors else 200,
        )
    # The secret shown is this session's own: never one shown in another session.
    pending = services.totp_device_start(
        user=request.user, pending_id=request.session.get(ENROL_KEY)
    )
    request.session[ENROL_KEY] = pending.pk
    if request.method == "POST" and not limited and form.is_valid():
        if services.totp_device_confirm(device=pending, token=form.cleaned_data["token"]):
            request.session.pop(ENROL_KEY, None)
            otp_login(request, pending)
            codes = services.recovery_codes_make(user=request.user)
            messages.success(request, _("Two-factor authentication is on."))
            return _recovery_codes_page(request, codes, next_url)
        form.add_error("token", WRONG_CODE)
    svg = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    secret = base64.b32encode(pending.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "next": next_url,
            "enrolled": False,
            "required": needs_second_factor(request.user),
            "qr_svg": svg,
            "secret": secret,
        },
        status=429 if limited else 400 if form.errors else 200,
    )


@never_cache
@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, replacing the old ones; only from a verified session."""
    verified = getattr(request.user, "is_verified", None)
    if services.totp_device_for(request.user) is None or not (verified and verified()):
        return redirect("accounts:two_factor")
    codes = services.recovery_codes_make(user=request.user)
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return _recovery_codes_page(request, codes, "")
