"""OSDI donations: the transparency page's donations to anyone; the donors themselves to
the fund's organisation's treasurer-scoped keys; the record donation helper through
``donation_record`` (the ledger's own posting, rate and audit row)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.audit import api_actor
from spilka.api.permissions import request_key_required
from spilka.funds.access import can_treasure
from spilka.funds.api.serializers import DonationSerializer, RecordDonationInput
from spilka.funds.models import Fund, Transaction, TransactionKind
from spilka.funds.selectors.transparency import public_funds
from spilka.funds.services.donations import donation_record


class DonationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DonationSerializer
    scope_family = "funds"
    public_read = True
    osdi_collection = "donations"
    lookup_value_regex = "[0-9]+"
    # Ledger entries are never changed (a mistake is reversed by a new entry).
    odata_fields = {"modified_date": "created_at"}

    def _books_organisation(self) -> Any:
        """The key's organisation when the key keeps its books (``funds:books``)."""
        organisation = getattr(self.request.auth, "organisation", None)
        if organisation is not None and can_treasure(self.request.user, organisation):
            return organisation
        return None

    def _fund(self) -> Fund | None:
        pk = self.kwargs.get("fund_pk")
        if pk is None:
            return None
        books = self._books_organisation()
        shown = Q(pk__in=public_funds().values("pk"))
        if books is not None:
            shown |= Q(organisation=books)
        try:
            return Fund.objects.select_related("organisation").filter(shown).get(pk=int(pk))
        except (Fund.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        books = self._books_organisation()
        context["books_organisation_id"] = books.pk if books is not None else None
        return context

    def get_queryset(self) -> Any:
        books = self._books_organisation()
        shown = Q(fund__in=public_funds().values("pk"))
        if books is not None:
            shown |= Q(fund__organisation=books)
        fund = self._fund()
        rows = Transaction.objects.filter(shown, kind=TransactionKind.DONATION)
        if fund is not None:
            rows = rows.filter(fund=fund)
        return (
            rows.annotate(voided=Exists(Transaction.objects.filter(reverses=OuterRef("pk"))))
            .select_related("fund__organisation", "donor")
            .order_by("-occurred_on", "-pk")
        )


class FundDonationViewSet(DonationViewSet):
    """One fund's donations (OSDI's fundraising page); POST is the record donation helper."""

    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=RecordDonationInput, responses={201: DonationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        fund = self._fund()
        if fund is None:
            raise Http404
        if fund.organisation_id != request_key_required(request).organisation_id:
            raise Http404  # another organisation's public fund: not a page this key keeps
        if self._books_organisation() is None:
            # Recording money is a treasurer's act on the web too (``can_treasure``).
            raise PermissionDenied(
                _("Recording a donation needs a key with the funds:books scope.")
            )
        data = RecordDonationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = values.get("person") or {}
        entry = donation_record(
            fund=fund,
            amount=values["amount"],
            currency=values["currency"],
            occurred_on=values["action_date"],
            by=api_actor(request),
            donor_name=person.get("full_name", ""),
            donor_email=person.get("email", ""),
            show_name=values["show_name"],
            # Outreach subscribes nobody on it: the address is mailed a confirmation.
            consented_updates=bool(person.get("asks_for_updates")),
            reference=values.get("reference_number", ""),
            description=values.get("description", ""),
        )
        entry = self.get_queryset().get(pk=entry.pk)
        body = self.get_serializer(entry).data
        return Response(body, status=status.HTTP_201_CREATED)
