"""The anti-abuse layers every anonymous public form goes through, in one place.

Order: per-address limit (counted first, then compared, so a burst cannot slip past),
form validation, honeypot, proof-of-work. Petitions, statement co-signing and individual
signing all call this.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from spilka.lib import ratelimit
from spilka.lib.pow import pow_verify

WINDOW_SECONDS = 600
BOT = 0  # the honeypot was filled: answer as if all went well and store nothing


def anonymous_form_check(
    request: HttpRequest, form: Any, scope: str, limited_message: str | None = None
) -> int | None:
    """None when the form may go on; else BOT or the status to answer with (errors on the form).

    ``form`` has an ``altcha`` field and an ``is_bot`` property (the honeypot).
    """
    ip = ratelimit.ip_hash(request)
    if ratelimit.hit(scope, ip, WINDOW_SECONDS) > settings.SPILKA_SIGN_RATE_LIMIT:
        form.add_error(
            None,
            limited_message
            or _(
                "Too many requests from your network in a short time. Please try again in a few minutes."
            ),
        )
        return 429
    if not form.is_valid():
        return 400
    if form.is_bot:
        return BOT
    if not pow_verify(form.cleaned_data["altcha"]):
        form.add_error(
            None,
            _(
                "The anti-spam check did not pass. Please wait for it to finish and send the form again."
            ),
        )
        return 400
    return None
