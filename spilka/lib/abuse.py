"""The anti-abuse layers every anonymous public form goes through, in one place.

Order: form validation, honeypot, proof-of-work (signed challenge, then the solution
marked spent so it cannot be replayed), per-address limit. Only a submission carrying a
valid, unspent solution is counted against its address (counted, then compared, so a
burst cannot slip past): a refused one costs its sender nothing, so counting it would let
a page elsewhere use up a whole network's limit with its readers' empty posts. Petitions, statement co-signing and individual
signing, event registration and outreach sign-up all call this.

``anonymous_form_check`` does it all, with two round trips to the shared cache for an
accepted form. The petition sign path splits it: ``anonymous_form_screen`` makes the checks
that need no shared state and returns the two marks still owed (``AbuseMarks``), which the
signature intake records in the same Redis script that accepts the signature.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from spilka.lib import ratelimit
from spilka.lib.pow import POW_MARK_SECONDS, pow_mark, pow_mark_accepted, pow_solution_marker
from spilka.lib.types import StrOrPromise

log = logging.getLogger(__name__)

WINDOW_SECONDS = 600
# Why the shared marks refused a form that passed every local check.
LIMITED = "limited"
REPLAYED = "replayed"
UNAVAILABLE = "unavailable"  # the shared cache could not be reached: nothing was taken


@dataclass(frozen=True)
class Refusal:
    """An anonymous form that is not taken. ``status`` is the HTTP status to answer with
    (the reason is on the form). A ``bot`` (the honeypot was filled) is answered as if all
    went well, and nothing is stored."""

    status: int
    bot: bool = False


HONEYPOT = Refusal(status=200, bot=True)


@dataclass(frozen=True)
class AbuseMarks:
    """What an accepted anonymous form still owes the shared cache: one hit on its address's
    counter (refused past ``limit``) and its proof-of-work solution marked spent (refused if
    it already was). Keys are the cache's own keys, before the cache's prefix."""

    rate_key: str
    rate_seconds: int
    limit: int
    pow_key: str
    pow_seconds: int
    # What the spent mark holds once the form is accepted: 1, or a number naming what was
    # accepted, so that a second identical submission (a double click) can be recognised
    # by ``pow_spent_on`` and answered like the first.
    pow_value: int = 1


def anonymous_form_screen(
    request: HttpRequest, form: Any, scope: str, limited_message: StrOrPromise | None = None
) -> AbuseMarks | Refusal:
    """The checks that need no shared state; the marks owed once they pass.

    Returns the marks for a form that may go on once they are recorded (by ``marks_record``
    or an intake script doing the same), else the ``Refusal``. A refused form is not
    counted against its address: only one carrying a valid solution is, when its marks are
    recorded.
    """
    if not form.is_valid():
        return Refusal(status=400)
    if form.is_bot:
        return HONEYPOT
    marker = pow_solution_marker(form.cleaned_data["altcha"])
    if marker is None:
        # Not counted: only a solved challenge costs its sender anything, so a page
        # elsewhere could otherwise have its readers' browsers post empty forms here and
        # use up the limit of every network they sit on.
        return Refusal(status=refuse(form, REPLAYED))
    ip = ratelimit.ip_hash(request)
    return AbuseMarks(
        rate_key=ratelimit.key(scope, ip, WINDOW_SECONDS),
        rate_seconds=WINDOW_SECONDS + 1,
        limit=settings.SPILKA_SIGN_RATE_LIMIT,
        pow_key=marker,
        pow_seconds=POW_MARK_SECONDS,
    )


def marks_record(marks: AbuseMarks) -> str | None:
    """Record the marks in the shared cache: None, or LIMITED / REPLAYED / UNAVAILABLE."""
    try:
        # The solution first: a replayed one is not counted against the address either.
        if not pow_mark(marks.pow_key, marks.pow_seconds):
            return REPLAYED
        if ratelimit.hit_key(marks.rate_key, marks.rate_seconds) > marks.limit:
            return LIMITED
        if marks.pow_value != 1:
            pow_mark_accepted(marks.pow_key, marks.pow_value, marks.pow_seconds)
    except ratelimit.cache_errors() as error:
        # Without the shared marks a replay or a flood could not be refused: take nothing.
        log.error("anonymous form refused, the shared cache is unreachable: %s", error)
        return UNAVAILABLE
    return None


def refuse(form: Any, reason: str, limited_message: StrOrPromise | None = None) -> int:
    """Put the refusal on the form; return the status to answer with."""
    if reason == LIMITED:
        form.add_error(
            None,
            limited_message
            or _(
                "Too many requests from your network in a short time. Please try again in a few minutes."
            ),
        )
        return 429
    if reason == UNAVAILABLE:
        form.add_error(
            None,
            _(
                "Our anti-spam check cannot be reached at the moment, so nothing was sent. "
                "Please send the form again in a minute."
            ),
        )
        return 503
    form.add_error(
        None,
        _(
            "The anti-spam check did not pass. Please wait for it to finish and send the form again."
        ),
    )
    return 400


def anonymous_form_check(
    request: HttpRequest, form: Any, scope: str, limited_message: str | None = None
) -> Refusal | None:
    """None when the form may go on; else why not (errors on the form).

    ``form`` has an ``altcha`` field and an ``is_bot`` property (the honeypot).
    """
    screened = anonymous_form_screen(request, form, scope, limited_message)
    if isinstance(screened, Refusal):
        return screened
    refused = marks_record(screened)
    return None if refused is None else Refusal(status=refuse(form, refused, limited_message))
