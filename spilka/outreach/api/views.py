"""OSDI people, tags, taggings and lists of the key's organisation (scope ``supporters``).

Reads filter by the key's organisation, as the organiser pages do (``outreach.access``);
writes go through the outreach services, recorded as the key (``spilka.api.audit``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from spilka.api.audit import api_actor
from spilka.api.permissions import request_key
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.api.serializers import (
    ListItemSerializer,
    ListItemThrough,
    ListSerializer,
    PersonSerializer,
    PersonSignupSerializer,
    TaggingCreateSerializer,
    TaggingSerializer,
    TaggingThrough,
    TagSerializer,
)
from spilka.outreach.models import Supporter, SupporterList, Tag
from spilka.outreach.services.groups import supporter_add_tag, supporter_remove_tag, tag_create
from spilka.outreach.services.supporters import person_signup


def _pk(raw: Any) -> int:
    """An id from the path; anything malformed is a 404 like a missing one."""
    raw = str(raw)
    if not raw.isdecimal() or len(raw) > 18:
        raise Http404
    return int(raw)


if TYPE_CHECKING:
    # To mypy the mixin is the viewset it is mixed into (request, kwargs, get_object).
    _ViewSet = viewsets.GenericViewSet
else:
    _ViewSet = object


class SupportersView(_ViewSet):
    scope_family = "supporters"

    def organisation(self) -> Organisation | None:
        key = request_key(self.request)
        return key.organisation if key is not None else None

    def organisation_id(self) -> int:
        key = request_key(self.request)
        return key.organisation_id if key is not None else 0

    def get_object(self) -> Any:
        self.kwargs[self.lookup_field] = _pk(self.kwargs.get(self.lookup_field))
        return super().get_object()


class PersonViewSet(SupportersView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """People: the supporters of the key's organisation. POST is OSDI's person signup helper."""

    osdi_collection = "people"
    odata_fields = {"modified_date": "updated_at", "email_address": "email"}
    serializer_class = PersonSerializer
    queryset = Supporter.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Supporter]:
        # Oldest first by id: stable while new supporters arrive at the end.
        return Supporter.objects.filter(organisation_id=self.organisation_id()).order_by("id")

    @extend_schema(
        request=PersonSignupSerializer, responses={201: PersonSerializer, 200: PersonSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Person signup helper: match the person by address or add them, add tags, and
        (unless their address is given as ``unsubscribed``) mail them a confirmation:
        they are subscribed only once they confirm it themselves."""
        form = PersonSignupSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        person = form.validated_data["person"]
        first_email = person["email_addresses"][0]
        languages = [
            code for code in person.get("languages_spoken", []) if code in CONTENT_LANGUAGES
        ]
        countries = [a.get("country", "") for a in person.get("postal_addresses", [])]
        key = request_key(request)
        assert key is not None  # HasScope let only a key with supporters:write through
        signup = person_signup(
            organisation=key.organisation,
            email=normalise_email(first_email["address"]),
            name=" ".join(
                part
                for part in (person.get("given_name", ""), person.get("family_name", ""))
                if part
            ).strip(),
            language=languages[0] if languages else "en",
            country=(countries[0] if countries else "").upper(),
            wants_updates=first_email.get("status", "subscribed") == "subscribed",
            tags=[t for t in form.validated_data.get("add_tags", []) if t],
            by=api_actor(request),
            via=key.prefix,
        )
        body = PersonSerializer(signup.supporter, context=self.get_serializer_context()).data
        return Response(
            body, status=status.HTTP_201_CREATED if signup.created else status.HTTP_200_OK
        )


class TagViewSet(SupportersView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tags of the key's organisation. POST ``{"name": ...}`` returns the tag of that name,
    adding it if it is new."""

    osdi_collection = "tags"
    serializer_class = TagSerializer
    queryset = Tag.objects.none()

    def get_queryset(self) -> QuerySet[Tag]:
        return Tag.objects.filter(organisation_id=self.organisation_id()).order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = TagSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        organisation = self.organisation()
        assert organisation is not None
        name = form.validated_data["name"].strip()
        created = not Tag.objects.filter(organisation=organisation, name=name).exists()
        tag = tag_create(organisation=organisation, name=name, by=api_actor(request), reuse=True)
        body = TagSerializer(tag, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("tag_pk", int, OpenApiParameter.PATH)])
class TaggingViewSet(
    SupportersView, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Taggings of one tag: who carries it. POST tags a person; DELETE removes the tag."""

    osdi_collection = "taggings"
    serializer_class = TaggingSerializer
    queryset = TaggingThrough.objects.none()

    def tag(self) -> Tag:
        tag = Tag.objects.filter(
            organisation_id=self.organisation_id(), pk=_pk(self.kwargs.get("tag_pk"))
        ).first()
        if tag is None:
            raise Http404
        return tag

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return TaggingThrough.objects.none()
        return TaggingThrough.objects.filter(tag=self.tag()).order_by("id")

    def get_serializer_class(self) -> Any:
        return TaggingCreateSerializer if self.action == "create" else TaggingSerializer

    @extend_schema(
        request=TaggingCreateSerializer, responses={201: TaggingSerializer, 200: TaggingSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tag = self.tag()
        form = TaggingCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        supporter = Supporter.objects.filter(
            organisation_id=tag.organisation_id, pk=form.validated_data["_links"]
        ).first()
        if supporter is None:
            raise Http404
        created = supporter_add_tag(supporter=supporter, tag=tag, by=api_actor(request))
        row = TaggingThrough.objects.get(tag=tag, supporter=supporter)
        body = TaggingSerializer(row, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        supporter = Supporter.objects.get(pk=row.supporter_id)
        supporter_remove_tag(supporter=supporter, tag=row.tag, by=api_actor(request))
        # A body, not a bare 204: OSDI clients read JSON from every answer.
        return Response({"notice": _("The tagging was deleted.")}, status=status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("person_pk", int, OpenApiParameter.PATH)])
class PersonTaggingViewSet(SupportersView, viewsets.ReadOnlyModelViewSet):
    """The taggings of one person."""

    osdi_collection = "taggings"
    serializer_class = TaggingSerializer
    queryset = TaggingThrough.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return TaggingThrough.objects.none()
        return TaggingThrough.objects.filter(
            supporter__organisation_id=self.organisation_id(),
            supporter_id=_pk(self.kwargs.get("person_pk")),
        ).order_by("id")


class ListViewSet(SupportersView, viewsets.ReadOnlyModelViewSet):
    """Lists of the key's organisation."""

    osdi_collection = "lists"
    serializer_class = ListSerializer
    queryset = SupporterList.objects.none()

    def get_queryset(self) -> QuerySet[SupporterList]:
        return SupporterList.objects.filter(organisation_id=self.organisation_id()).order_by("id")


@extend_schema(parameters=[OpenApiParameter("list_pk", int, OpenApiParameter.PATH)])
class ListItemViewSet(SupportersView, viewsets.ReadOnlyModelViewSet):
    """The people on one list."""

    osdi_collection = "items"
    serializer_class = ListItemSerializer
    queryset = ListItemThrough.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return ListItemThrough.objects.none()
        owner = SupporterList.objects.filter(
            organisation_id=self.organisation_id(), pk=_pk(self.kwargs.get("list_pk"))
        ).first()
        if owner is None:
            raise Http404
        return ListItemThrough.objects.filter(supporterlist=owner).order_by("id")
