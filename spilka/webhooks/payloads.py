"""The ``data`` of each event: the receiving organisation's own view of its own object.

Rules (docs/api.md ("Webhooks")): ids, names, amounts, statuses; an email address only where
the organisation already reads it on its own pages (its signers' export, its supporters,
its events' registrations); another organisation appears only by its public identity, and
a non-public one not at all. Builders take the objects the services already hold and read
only loaded fields or cheap foreign keys, so an emit costs nothing when nobody listens
(they run only when ``webhook_emit`` found an endpoint: see ``lazy``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def lazy(builder: Callable[..., Data]) -> Callable[..., Callable[[], Data]]:
    """``payloads.x(obj)`` returns the builder bound to ``obj``: it runs only if an endpoint
    listens (see ``webhook_emit``), so an event nobody subscribed to costs one query."""

    @functools.wraps(builder)
    def bind(*args: Any, **kwargs: Any) -> Callable[[], Data]:
        return functools.partial(builder, *args, **kwargs)

    return bind


def _text(values: Any) -> Any:
    # Translated fields stay maps of language → text; the receiver picks its language.
    return dict(values) if isinstance(values, dict) else str(values or "")


def _other_organisation(org: Any) -> dict[str, Any] | None:
    """Another organisation, only as the public sees it."""
    if org is None or not getattr(org, "is_public", False):
        return None
    return {"id": org.pk, "slug": org.slug, "name": _text(org.name)}


@lazy
def signature(sig: Any) -> dict[str, Any]:
    petition = sig.petition
    return {
        "signature": {
            "id": sig.pk,
            "full_name": sig.full_name,
            "email": sig.email,
            "country": str(sig.country or ""),
            "postcode": getattr(sig, "postcode", ""),
            "organisation_name": getattr(sig, "organisation_name", ""),
            "show_name": getattr(sig, "show_name", False),
            "language": sig.language,
            "confirmed_at": sig.confirmed_at,
        },
        "petition": {
            "id": petition.pk,
            "slug": petition.slug,
            "title": _text(petition.title),
            "confirmed_count": petition.confirmed_count + 1,
        },
    }


@lazy
def supporter(sup: Any, via: str = "") -> dict[str, Any]:
    return {
        "supporter": {
            "id": sup.pk,
            "email": sup.email,
            "name": sup.name,
            "language": sup.language,
            "country": str(sup.country or ""),
            "status": sup.status,
        },
        "via": via,
    }


@lazy
def registration(reg: Any) -> dict[str, Any]:
    event = reg.event
    return {
        "registration": {
            "id": reg.pk,
            "full_name": reg.full_name,
            "email": reg.email,
            "language": reg.language,
            "status": reg.status,
            "created_at": reg.created_at,
            "cancelled_at": reg.cancelled_at,
        },
        "event": {"id": event.pk, "slug": event.slug, "title": _text(event.title)},
    }


@lazy
def donation(entry: Any) -> dict[str, Any]:
    fund = entry.fund
    donor = entry.donor
    return {
        "donation": {
            "id": entry.pk,
            "kind": entry.kind,
            "amount": entry.amount,
            "currency": entry.currency,
            "occurred_on": entry.occurred_on,
            "reference": entry.reference,
            "donor": None if donor is None else {"id": donor.pk, "name": donor.name},
        },
        "fund": {"id": fund.pk, "slug": fund.slug, "name": _text(fund.name)},
    }


@lazy
def pledge(p: Any) -> dict[str, Any]:
    need = p.need
    return {
        "pledge": {
            "id": p.pk,
            "status": p.status,
            "note": p.note,
            "donor_organisation": _other_organisation(p.donor_organisation),
            "lines": [
                {
                    "item": _text(line.item.name),
                    "unit": line.item.unit,
                    "quantity": line.quantity,
                    "need_line": line.need_line_id,
                }
                for line in p.lines.select_related("item").order_by("pk")
            ],
        },
        "need": None if need is None else {"id": need.pk, "title": _text(need.title)},
    }


@lazy
def handover(h: Any) -> dict[str, Any]:
    convoy = h.convoy
    return {
        "handover": {
            "id": h.pk,
            "confirmed_at": h.confirmed_at,
            "signer_name": h.signer_name,
            "has_discrepancy": h.has_discrepancy,
            "recipient": _other_organisation(h.recipient),
            "lines": [
                {
                    "item": _text(line.item.name),
                    "unit": line.item.unit,
                    "dispatched": line.quantity,
                    "received": line.received_quantity,
                    "discrepancy": line.discrepancy,
                }
                for line in h.lines.select_related("item").order_by("pk")
            ],
        },
        "convoy": {"id": convoy.pk, "slug": getattr(convoy, "slug", ""), "title": convoy.title},
    }


@lazy
def adoption(a: Any) -> dict[str, Any]:
    resolution = a.resolution
    return {
        "adoption": {
            "id": a.pk,
            "status": a.status,
            "meeting_date": a.meeting_date,
            "verified_at": a.verified_at,
            "body": _other_organisation(a.body),
        },
        "resolution": {
            "id": resolution.pk,
            "slug": resolution.slug,
            "title": _text(resolution.title),
        },
    }


@lazy
def cosignature(c: Any) -> dict[str, Any]:
    statement = c.statement
    return {
        "cosignature": {
            "id": c.pk,
            "method": c.method,
            "confirmed_at": c.confirmed_at,
            "organisation": _other_organisation(c.organisation),
        },
        "statement": {"id": statement.pk, "slug": statement.slug, "title": _text(statement.title)},
    }


@lazy
def publication(p: Any) -> dict[str, Any]:
    return {
        "publication": {
            "id": p.pk,
            "slug": p.slug,
            "title": _text(p.title),
            "original_language": p.original_language,
            "published_on": p.published_on,
            "url": p.get_absolute_url() if hasattr(p, "get_absolute_url") else "",
        }
    }
