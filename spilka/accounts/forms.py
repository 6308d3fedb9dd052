from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from spilka.lib.mail import email_send_after_commit


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
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_send_after_commit(to=[to_email], subject=subject, body=body)
