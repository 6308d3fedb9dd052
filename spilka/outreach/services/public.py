"""What anonymous people do: sign up for updates (double opt-in) and exercise their
data-subject rights (a copy of their data, erasure)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from spilka.lib import ratelimit
from spilka.lib.audit import audit_record
from spilka.lib.mail import email_send_after_commit
from spilka.lib.models import AuditEntry, OutboxMessage
from spilka.lib.personal_data import personal_data_handlers
from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.models import DataRequest, DataRequestKind, PendingSignup
from spilka.outreach.tokens import DATA_REQUEST_SALT, SIGNUP_SALT, make_token

ERASED = "[erased]"
NAME_KEYS = {"name", "full_name", "first_name", "last_name", "display_name", "officer_name"}


def email_hash(email: str) -> str:
    """A keyed hash of the address, so logs can relate requests without holding it."""
    return hmac.new(settings.SECRET_KEY.encode(), email.encode(), hashlib.sha256).hexdigest()


def _mail(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"outreach/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"outreach/email/{template}.txt", context)
    email_send_after_commit(to=[to], subject=subject, body=body)


def _url(base_url: str, name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return base_url.rstrip("/") + reverse(name, kwargs=kwargs)


# --- Sign-up --------------------------------------------------------------------------


def signup_wording(organisation: Organisation) -> str:
    """What a person agrees to by asking for the organisation's updates."""
    return gettext(
        "I would like to receive updates by email from %(organisation)s. I can unsubscribe at any time."
    ) % {"organisation": organisation.display_name}


@transaction.atomic
def signup_request(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    country: str,
    language: str,
    wording: str,
    base_url: str,
) -> PendingSignup:
    """Keep the sign-up until confirmed and mail the confirmation link. The same answer
    whether or not the address is already a supporter (nothing to probe), and whether or not
    the address has had its share of mail this hour (then nothing is sent)."""
    signup = PendingSignup.objects.create(
        organisation=organisation,
        email=normalise_email(email),
        name=name.strip()[:200],
        country=country,
        language=language,
        wording=wording,
    )
    if not ratelimit.address_mail_allowed(signup.email):
        return signup
    link = _url(
        base_url, "outreach:signup_confirm", language, token=make_token(signup.pk, SIGNUP_SALT)
    )
    _mail(
        to=signup.email,
        template="signup_confirm",
        context={"organisation": organisation, "url": link},
        language=language,
    )
    return signup


def updates_request(
    *, organisation: Organisation, person: Mapping[str, Any], wording: str, base_url: str
) -> bool:
    """Start the organisation's double opt-in for an API record's ``person`` (the API's
    ``PersonInput``) if they asked for updates; whether it started.

    A record made through the API never subscribes anyone: the address is mailed the
    wording and a button, as the public sign-up form does with an address anyone typed in.
    """
    if not person["asks_for_updates"]:
        return False
    signup_request(
        organisation=organisation,
        email=person["email"],
        name=person["full_name"],
        country=person["country"],
        language=person["language"],
        wording=wording,
        base_url=base_url,
    )
    return True


def signup_max_age() -> int:
    return getattr(settings, "SPILKA_RETENTION_UNCONFIRMED_DAYS", 30) * 86400


@transaction.atomic
def signup_confirm(*, signup_id: int) -> Organisation | None:
    """The person pressed the button: they become (or stay) a subscribed supporter."""
    signup = (
        PendingSignup.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=signup_id)
        .first()
    )
    if signup is None:
        return None
    organisation = signup.organisation
    supporter_action_announce(
        SupporterAction(
            organisation_id=organisation.pk,
            email=signup.email,
            name=signup.name,
            language=signup.language,
            country=str(signup.country or ""),
            kind="signed_up",
            object_key=f"outreach.signup:{organisation.pk}",
            object_label="Sign-up form",
            occurred_at=timezone.now(),
            consented_to_updates=True,
            consent_wording=signup.wording,
            confirmed_by_owner=True,  # pressed the button behind the mailed link
        )
    )
    audit_record(
        actor="supporter",
        action="outreach.signup.confirmed",
        obj=signup,
        organisation=organisation,
    )
    signup.delete()  # its details now live in the supporter record
    return organisation


# --- Data-subject rights --------------------------------------------------------------


@transaction.atomic
def data_request_create(*, email: str, kind: str, language: str, base_url: str) -> DataRequest:
    """Mail a link to the address. Always, whether or not we hold anything about it, so the
    form reveals nothing to someone typing in another person's address (only the per-address
    mail limit holds a mail back, and the form answers the same then too)."""
    if kind not in DataRequestKind.values:
        raise ValueError("unknown kind")
    email = normalise_email(email)
    request = DataRequest.objects.create(
        kind=kind, email=email, email_hash=email_hash(email), language=language
    )
    if ratelimit.address_mail_allowed(email):  # else the same answer, and no mail
        link = _url(
            base_url,
            "outreach:data_request",
            language,
            token=make_token(request.pk, DATA_REQUEST_SALT),
        )
        _mail(
            to=email,
            template=f"data_{kind}",
            context={"url": link, "days": data_request_max_age() // 86400},
            language=language,
        )
    audit_record(actor="data subject", action=f"outreach.data.{kind}_requested", obj=request)
    return request


def data_request_max_age() -> int:
    return getattr(settings, "SPILKA_DATA_REQUEST_LINK_DAYS", 7) * 86400


def personal_data_export(email: str) -> dict[str, list[dict[str, Any]]]:
    return {handler.name: handler.export(email) for handler in personal_data_handlers()}


@transaction.atomic
def data_export_deliver(*, request: DataRequest) -> dict[str, list[dict[str, Any]]]:
    """Assemble the export for a confirmed link; logged with counts only."""
    data = personal_data_export(request.email)
    counts = {name: len(records) for name, records in data.items()}
    DataRequest.objects.filter(pk=request.pk).update(completed_at=timezone.now(), counts=counts)
    audit_record(
        actor="data subject",
        action="outreach.data.exported",
        obj=request,
        after={"records": counts},
    )
    return data


@transaction.atomic
def data_erase(*, request: DataRequest) -> dict[str, int]:
    """Erase everything about the address, in every app, in one transaction.

    Each registered handler anonymises its rows in place (counts and ledgers stay). Then
    audit rows and development mail that quote the address or the person's names are
    scrubbed: an audit trail must not keep what the person asked us to forget.
    """
    email = request.email
    if not email:
        return dict(request.counts or {})
    names = _names_of(email)
    counts = {handler.name: handler.erase(email) for handler in personal_data_handlers()}
    counts["audit_entries"] = _scrub_audit(email, names)
    counts["outbox"] = OutboxMessage.objects.filter(to__icontains=email).delete()[0]
    DataRequest.objects.filter(email=email).update(email="")
    request.email = ""
    request.completed_at = timezone.now()
    request.counts = counts
    request.save(update_fields=["email", "completed_at", "counts"])
    audit_record(
        actor="data subject", action="outreach.data.erased", obj=request, after={"records": counts}
    )
    return counts


def _names_of(email: str) -> set[str]:
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in NAME_KEYS and isinstance(inner, str) and len(inner.strip()) >= 3:
                    names.add(inner.strip())
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(personal_data_export(email))
    return names


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    return value


def _scrub_audit(email: str, names: set[str]) -> int:
    needles = sorted({email, *names}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    match = Q()
    for needle in needles:
        match |= (
            Q(object_repr__icontains=needle)
            | Q(before__icontains=needle)
            | Q(after__icontains=needle)
        )
    entries = list(AuditEntry.objects.filter(match))
    for entry in entries:
        entry.object_repr = _scrub(entry.object_repr, pattern)
        entry.before = _scrub(entry.before, pattern)
        entry.after = _scrub(entry.after, pattern)
    AuditEntry.objects.bulk_update(entries, ["object_repr", "before", "after"], batch_size=500)
    return len(entries)
