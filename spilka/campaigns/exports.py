"""A petition's confirmed signatures, exported in the background (spilka/exports)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.campaigns import access
from spilka.campaigns.models import Petition, SignatureStatus
from spilka.campaigns.selectors import petition_export_rows
from spilka.exports.registry import ExportKind, Params, export_kind_register

CHUNK = 2000


def _petition(user: Any, params: Params) -> Petition:
    """The petition, for the organisers who run its campaign only."""
    petition = access.petition_get_for_user(user=user, slug=str(params.get("slug", "")))
    if not access.campaign_can_run(user=user, campaign=petition.campaign):
        raise PermissionDenied
    return petition


def signature_export_header() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Country"),
        _("Postcode"),
        _("Organisation"),
        _("Public"),
        _("Language"),
        _("Confirmed at"),
    ]


def signature_export_rows(petition: Petition, params: Params) -> Iterable[Iterable[Any]]:
    """The header, then one row per confirmed signature, oldest first."""
    rows = petition_export_rows(petition).iterator(chunk_size=CHUNK)
    return itertools.chain([signature_export_header()], rows)


SIGNATURES = export_kind_register(
    ExportKind(
        name="campaigns.signatures",
        label=gettext_lazy("Confirmed signatures"),
        audit_action="campaigns.signatures.exported",
        subject=_petition,
        organisation=lambda petition: petition.campaign.lead_organisation,
        count=lambda petition, params: petition.signatures.filter(
            status=SignatureStatus.CONFIRMED
        ).count(),
        rows=signature_export_rows,
        filename=lambda petition, params, fmt: f"{petition.slug}-signatures.{fmt}",
        sheet_title=gettext_lazy("Signatures"),
        formats=("csv",),
    )
)
