"""Mail to registrants: rendered in their language, queued after commit, .ics attached."""

from __future__ import annotations

import io
import zoneinfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from spilka.events import tokens, zones
from spilka.events.calendar import registrant_ics
from spilka.events.models import Registration
from spilka.lib.mail import email_send_after_commit


def base_url_for(registration: Registration) -> str:
    return registration.base_url or getattr(settings, "SPILKA_BASE_URL", "")


def registration_links(registration: Registration, base_url: str | None = None) -> dict[str, str]:
    """The registrant's private links (absolute when a base address is known)."""
    base = base_url_for(registration) if base_url is None else base_url
    pk = registration.pk
    with translation.override(registration.language):
        return {
            "page_url": base
            + reverse(
                "events:registration",
                kwargs={"token": tokens.make_token(pk, tokens.REGISTRATION_SALT)},
            ),
            "cancel_url": base
            + reverse("events:cancel", kwargs={"token": tokens.make_token(pk, tokens.CANCEL_SALT)}),
            "offer_url": base
            + reverse("events:offer", kwargs={"token": tokens.make_token(pk, tokens.OFFER_SALT)}),
            "checkin_url": base
            + reverse(
                "events:checkin_scan", kwargs={"token": tokens.make_token(pk, tokens.CHECKIN_SALT)}
            ),
        }


def checkin_qr_svg(registration: Registration, base_url: str | None = None) -> str:
    """An SVG QR code of the signed check-in link (only an organiser's session can use it)."""
    url = registration_links(registration, base_url)["checkin_url"]
    return segno.make(url, error="m").svg_inline(scale=4, title="check-in")


def checkin_qr_svg_document(registration: Registration, base_url: str | None = None) -> str:
    """The same QR code as a standalone SVG file, for the mail attachment.

    Inline SVG in HTML needs no namespace; a ``.svg`` file without
    ``xmlns="http://www.w3.org/2000/svg"`` is not SVG to any viewer, and shows nothing.
    """
    url = registration_links(registration, base_url)["checkin_url"]
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, title="check-in", xmldecl=True)
    return out.getvalue().decode("utf-8")


def recipient_zone(registration: Registration) -> zoneinfo.ZoneInfo:
    """The zone a registrant reads times in: the one their browser had when they registered,
    else the event's own."""
    return zones.zone_or_none(registration.time_zone) or registration.event.zone


def recipient_times(registration: Registration) -> dict[str, object]:
    """Start and offer deadline in the recipient's zone, labelled, with the event's own
    local start for when the two zones differ."""
    event = registration.event
    zone = recipient_zone(registration)
    expires = registration.offer_expires_at
    return {
        "when_start": zones.local(event.starts_at, zone),
        "when_event_zone": zones.local(event.starts_at, event.zone),
        "when_same_zone": zone.key == event.zone.key,
        "until": zones.local(expires, zone) if expires else None,
    }


def registration_mail(registration: Registration, kind: str, **extra: object) -> None:
    """Queue one of the registrant mails (``confirmed``, ``waitlisted``, ``pending``,
    ``offered``, ``reminder``, ``cancelled``, ``event_cancelled``, ``message``).

    Must run inside the transaction that caused it: the mail leaves only if it commits.
    """
    event = registration.event
    with translation.override(registration.language):
        links = registration_links(registration)
        context = {
            "registration": registration,
            "event": event,
            "links": links,
            "show_join": registration.sees_join_link,
            **recipient_times(registration),
            # Never in ``registration_links``: those also appear on the registration page,
            # which whoever typed the address may see; this link proves the address.
            "confirm_email_url": ""
            if registration.email_confirmed_at
            else base_url_for(registration)
            + reverse(
                "events:confirm_email",
                kwargs={"token": tokens.make_token(registration.pk, tokens.EMAIL_SALT)},
            ),
            **extra,
        }
        subject = " ".join(render_to_string(f"events/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"events/email/{kind}.txt", context)
        attachments = []
        if context["show_join"] and kind in {"confirmed", "reminder"}:
            attachments.append(
                {
                    "filename": "event.ics",
                    "content": registrant_ics(registration, links),
                    "mimetype": "text/calendar",
                }
            )
            attachments.append(
                {
                    "filename": "check-in.svg",
                    "content": checkin_qr_svg_document(registration),
                    "mimetype": "image/svg+xml",
                }
            )
    email_send_after_commit(
        to=[registration.email], subject=subject, body=body, attachments=attachments
    )
