from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from spilka.accounts.tasks import password_reset_send


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"), max_length=4096, strip=False, widget=forms.PasswordInput
    )
    # Asked for only while an account sees many wrong passwords (spilka/static/spilka/pow.js).
    altcha = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six-digit code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SignInCodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    token = forms.RegexField(
        label=_("Code from your authenticator app, or a recovery code"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{8})\s*$",
        max_length=20,
        error_messages={
            "invalid": _("Enter the six-digit code or an eight-character recovery code.")
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class PasswordResetRequestForm(PasswordResetForm):
    """The reset page's form: it looks nothing up. The task worker finds the account and
    mails it, so a request for an address with an account does the same work, and takes
    the same time, as one for an address without."""

    def save(  # type: ignore[override]
        self,
        domain_override: str | None = None,
        subject_template_name: str = "registration/password_reset_subject.txt",
        email_template_name: str = "registration/password_reset_email.html",
        use_https: bool = False,
        request: Any = None,
        **unused: Any,
    ) -> None:
        kwargs = {
            "email": self.cleaned_data["email"],
            "domain": domain_override or (request.get_host() if request is not None else ""),
            "use_https": use_https,
            "language": translation.get_language() or "en",
            "subject_template_name": subject_template_name,
            "email_template_name": email_template_name,
        }
        transaction.on_commit(lambda: password_reset_send.enqueue(**kwargs))
