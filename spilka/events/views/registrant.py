"""A registrant's private pages, reached by signed links: confirmation, cancel, offer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from spilka.events import access, tokens
from spilka.events.calendar import registrant_ics
from spilka.events.mail import checkin_qr_svg, registration_links
from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services import registrations as services
from spilka.events.views.common import event_times, moment_in, time_context


def _invalid(request: HttpRequest, status: int = 404) -> HttpResponse:
    return render(request, "events/link_invalid.html", status=status)


def _registration(token: str, salt: str) -> Registration | None:
    pk = tokens.read_token(token, salt)
    if pk is None:
        return None
    return Registration.objects.select_related("event", "event__organiser").filter(pk=pk).first()


def _private(response: HttpResponse) -> HttpResponse:
    # The page may carry the join link: no shared cache keeps it, no referrer leaks it to
    # another site. "same-origin", not "no-referrer": with no referrer at all the browser
    # posts this page's own buttons (cancel, take the offer, confirm) with ``Origin: null``,
    # which Django's CSRF check refuses.
    patch_cache_control(response, private=True, no_store=True)
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token, tokens.REGISTRATION_SALT)
    if registration is None:
        return _invalid(request)
    event = registration.event
    base = request.build_absolute_uri("/").rstrip("/")
    show_join = registration.sees_join_link and not event.is_past()
    times = time_context(request, event, fallback=registration.time_zone)
    context = {
        "registration": registration,
        "event": event,
        "links": registration_links(registration, base),
        "token": token,
        "show_join": show_join,
        "awaiting_email": registration.email_confirmed_at is None,
        "qr_svg": checkin_qr_svg(registration, base)
        if registration.status == RegistrationStatus.CONFIRMED
        else "",
        **times,
        **event_times(event, times["viewer_zone"]),
    }
    return _private(render(request, "events/registration_detail.html", context))


def registration_ics(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token, tokens.REGISTRATION_SALT)
    if registration is None or not registration.sees_join_link:  # the .ics carries the link
        return _invalid(request)
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        registrant_ics(registration, registration_links(registration, base)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return _private(response)


@require_http_methods(["GET", "POST"])
def registration_confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to the registrant. GET shows a button; only the POST confirms (mail
    scanners open links), then the registration page (with the join link where due)."""
    registration = _registration(token, tokens.EMAIL_SALT)
    if registration is None:
        return _invalid(request)
    if request.method == "POST":
        if services.registration_email_confirm(registration_id=registration.pk) is None:
            return _invalid(request, status=410)
        return redirect(
            "events:registration",
            token=tokens.make_token(registration.pk, tokens.REGISTRATION_SALT),
        )
    return _private(
        render(
            request,
            "events/registration_confirm_email.html",
            {
                "registration": registration,
                "event": registration.event,
                # What confirming agrees to: whoever filled the form may not be the owner.
                "consents": registration.consents.select_related("organisation"),
            },
        )
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST cancels (mail scanners open links)."""
    registration = _registration(token, tokens.CANCEL_SALT)
    if registration is None:
        return _invalid(request)
    if request.method == "POST":
        services.registration_cancel(registration_id=registration.pk)
        return render(request, "events/registration_cancelled.html", {"event": registration.event})
    return _private(
        render(
            request,
            "events/registration_cancel.html",
            {"registration": registration, "event": registration.event},
        )
    )


@require_http_methods(["GET", "POST"])
def offer_accept(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token, tokens.OFFER_SALT)
    if registration is None:
        return _invalid(request)
    if request.method == "POST":
        accepted = services.offer_accept(registration_id=registration.pk)
        if accepted is None:
            return render(
                request,
                "events/offer_lapsed.html",
                {"event": registration.event},
                status=410,
            )
        return redirect(
            "events:registration",
            token=tokens.make_token(registration.pk, tokens.REGISTRATION_SALT),
        )
    times = time_context(request, registration.event, fallback=registration.time_zone)
    return _private(
        render(
            request,
            "events/offer_accept.html",
            {
                "registration": registration,
                "event": registration.event,
                "until": moment_in(
                    registration.offer_expires_at, times["viewer_zone"], registration.event
                ),
                **times,
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_scan(request: HttpRequest, token: str) -> HttpResponse:
    """Where the QR code leads: only the event's organisers can check someone in here."""
    registration = _registration(token, tokens.CHECKIN_SALT)
    if registration is None:
        return _invalid(request)
    if not access.event_can_run(user=request.user, event=registration.event):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            registration = services.registration_check_in(
                registration=registration, by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif registration.status != RegistrationStatus.CONFIRMED:
        error = _("This registration is not confirmed: %(status)s.") % {
            "status": registration.get_status_display()
        }
    times = time_context(request, registration.event)
    return render(
        request,
        "events/checkin_scan.html",
        {
            "registration": registration,
            "event": registration.event,
            "error": error,
            "checked_in": moment_in(
                registration.checked_in_at, times["viewer_zone"], registration.event
            ),
        },
        status=400 if error and request.method == "POST" else 200,
    )
