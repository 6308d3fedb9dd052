"""OSDI petitions (public) and signatures (the petition's organisers only), with the record
signature helper. Thin: the access helpers decide what a key sees, the signing service
records what it writes."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.audit import api_actor
from spilka.api.permissions import request_key_required
from spilka.campaigns import access
from spilka.campaigns.api.helpers import base_url, reader
from spilka.campaigns.api.serializers import (
    PetitionSerializer,
    RecordSignatureInput,
    SignerSerializer,
)
from spilka.campaigns.forms.signing import consent_wording
from spilka.campaigns.models import Petition, Signature, SignatureStatus
from spilka.campaigns.selectors.campaigns import campaigns_pickable_for
from spilka.campaigns.services.signing import Signer, petition_sign
from spilka.outreach.services.public import updates_request


class PetitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Petitions: public ones to anyone, the key's organisation's drafts to its keys."""

    serializer_class = PetitionSerializer
    scope_family = "campaigns"
    public_read = True
    osdi_collection = "petitions"
    lookup_value_regex = "[0-9]+"
    # Petitions keep no time of change: modified_date filters on when they were created.
    odata_fields = {"modified_date": "created_at"}

    def get_queryset(self) -> Any:
        return (
            access.petitions_visible_to(reader(self.request, "campaigns"))
            .select_related("campaign")
            .order_by("-created_at", "-pk")
        )


class SignatureViewSet(viewsets.ReadOnlyModelViewSet):
    """Confirmed signatures of the petitions the key's organisation runs (lead or
    co-organiser, as the web's signature export), with the signers' details; nothing for
    any other organisation. Unconfirmed ones are not listed: their owner has not yet said
    the address is theirs."""

    serializer_class = SignerSerializer
    scope_family = "campaigns"
    osdi_collection = "signatures"
    lookup_value_regex = "[0-9]+"
    odata_fields = {"modified_date": "created_at"}

    def _own_petitions(self) -> Any:
        # The campaigns the key's organisation leads or co-organises (the web's runners).
        campaigns = campaigns_pickable_for(
            user=self.request.user, organisation=request_key_required(self.request).organisation
        )
        return Petition.objects.filter(campaign__in=campaigns)

    def _petition(self) -> Petition | None:
        pk = self.kwargs.get("petition_pk")
        if pk is None:
            return None
        try:
            petition = self._own_petitions().select_related("campaign").get(pk=int(pk))
        except (Petition.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if not access.campaign_can_run(user=self.request.user, campaign=petition.campaign):
            raise Http404
        return petition

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a key
            return Signature.objects.none()
        petition = self._petition()
        petitions = [petition] if petition is not None else self._own_petitions()
        return Signature.objects.filter(
            petition__in=petitions, status=SignatureStatus.CONFIRMED
        ).order_by("-created_at", "-pk")


class PetitionSignatureViewSet(SignatureViewSet):
    """One petition's signatures; POST is the record signature helper."""

    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        request=RecordSignatureInput,
        responses={200: OpenApiResponse(description="Accepted; counts once the signer confirms.")},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        petition = self._petition()
        if petition is None:
            raise Http404
        data = RecordSignatureInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = data.validated_data["person"]
        if not petition.accepts_signatures():
            raise ValidationError(
                {"petition": [translation.gettext("This petition is not open for signatures.")]}
            )
        petition_sign(
            Signer(
                petition_id=petition.pk,
                full_name=person["full_name"],
                email=person["email"],
                country=person["country"],
                postcode=person["postcode"],
                organisation_name=data.validated_data.get("organisation_name", ""),
                show_name=data.validated_data["show_name"],
                consents=(),  # never ticked on the signer's behalf: see updates_request
                language=person["language"],
                base_url=base_url(request),
            ),
            petition=petition,
            actor=api_actor(request),
        )
        organisation = request_key_required(request).organisation
        with translation.override(person["language"]):
            wording = data.validated_data.get("consent_wording") or consent_wording(organisation)
        asked = updates_request(
            organisation=organisation, person=person, wording=wording, base_url=base_url(request)
        )
        # The same answer whether or not the address had signed before: nothing to probe.
        return Response(
            {
                "status": str(SignatureStatus.PENDING),
                "updates_confirmation_sent": asked,
                "detail": translation.gettext(
                    "The signer has been mailed a link; the signature counts once they confirm it."
                ),
                "_links": {
                    "osdi:petition": {
                        "href": request.build_absolute_uri(f"/api/v1/petitions/{petition.pk}/")
                    }
                },
            },
            status=status.HTTP_200_OK,
        )
