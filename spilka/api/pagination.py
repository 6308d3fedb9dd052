"""OSDI pages: ``page``/``per_page`` (≤ 100, default 25) and the HAL envelope.

``{total_pages, per_page, page, total_records, _links: {self, next, prev},
_embedded: {"osdi:<collection>": [...]}}``; views name the collection with
``osdi_collection = "people"`` (OSDI) or ``"spilka:campaigns"`` (Spilka's own).
A page costs the same queries whichever page it is: one count, one slice.

Walking a long collection: page numbers are OFFSETs, and the database reads every row
before the page (page 1,000 of 100,000 people reads 100,000 index entries). For
collections ordered by ``id`` alone, each ``next`` link therefore also carries ``after=<the
last id>``, and a request with it reads ``id > after`` (an index range, as fast on the last
page as on the first; and nobody is skipped or repeated if rows are added meanwhile). The
walk's total is counted on its first page and reused for a minute (per key and query).
A client that builds its own ``?page=N`` URLs gets plain offset pages; both are correct.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

AFTER = "after"
COUNT_SECONDS = 60


def _int(raw: Any) -> int | None:
    if raw is None or not str(raw).isdecimal() or len(str(raw)) > 18:
        return None
    return int(raw)


def _by_id(queryset: Any) -> bool:
    query = getattr(queryset, "query", None)
    return query is not None and tuple(query.order_by) in {("id",), ("pk",)}


def collection_key(view: Any) -> str:
    name = getattr(view, "osdi_collection", None) or "items"
    return name if ":" in name else f"osdi:{name}"


class OsdiPagination(PageNumberPagination):
    page_size = 25
    page_query_param = "page"
    page_size_query_param = "per_page"
    max_page_size = 100
    # DRF's own default is lazy too; djangorestframework-stubs type it as str.
    invalid_page_message = _("There is no such page.")  # type: ignore[assignment]
    page: Any = None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.view = view
        self.request = request
        self.keyset = _by_id(queryset)
        after = _int(request.query_params.get(AFTER)) if self.keyset else None
        if after is None:
            rows: list[Any] | None = super().paginate_queryset(queryset, request, view)
            count = self.page.paginator.count if self.page is not None else 0
            if self.keyset and count:
                cache.set(self._count_key(queryset), count, COUNT_SECONDS)
            return rows
        size = self.get_page_size(request)
        number = _int(request.query_params.get(self.page_query_param))
        number = 1 if number is None else number
        paginator = Paginator(queryset, size)
        count = cache.get(self._count_key(queryset))
        paginator.count = count if count is not None else queryset.count()  # type: ignore[misc]
        try:
            number = paginator.validate_number(number)
        except InvalidPage:
            raise NotFound(self.invalid_page_message) from None
        rows = list(queryset.filter(pk__gt=after)[:size])
        self.page = Page(rows, number, paginator)
        return rows

    def _count_key(self, queryset: Any) -> str:
        key = getattr(self.request, "auth", None)
        sql = str(queryset.query).encode()
        return f"api:count:{getattr(key, 'pk', 'anon')}:{hashlib.sha256(sql).hexdigest()[:32]}"

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        try:
            size = int(raw) if raw is not None else self.page_size
        except (TypeError, ValueError):
            size = self.page_size
        return max(1, min(size, self.max_page_size))

    def _links(self) -> dict[str, dict[str, str]]:
        assert self.request is not None  # set by paginate_queryset, which runs first
        url = self.request.build_absolute_uri()
        page = self.page.number
        links = {"self": {"href": replace_query_param(url, self.page_query_param, page)}}
        url = remove_query_param(url, AFTER)
        if self.page.has_next():
            href = replace_query_param(url, self.page_query_param, page + 1)
            rows = self.page.object_list
            if self.keyset and len(rows):
                href = replace_query_param(href, AFTER, rows[len(rows) - 1].pk)
            links["next"] = {"href": href}
        if self.page.has_previous():
            previous = page - 1
            links["prev"] = {
                "href": replace_query_param(url, self.page_query_param, previous)
                if previous > 1
                else remove_query_param(url, self.page_query_param)
            }
        return links

    def get_paginated_response(self, data: Any) -> Response:
        paginator = self.page.paginator
        return Response(
            {
                "total_pages": paginator.num_pages if paginator.count else 0,
                "per_page": paginator.per_page,
                "page": self.page.number,
                "total_records": paginator.count,
                "_links": self._links(),
                "_embedded": {collection_key(getattr(self, "view", None)): data},
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "object", "properties": {"href": {"type": "string", "format": "uri"}}}
        return {
            "type": "object",
            "required": ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
            "properties": {
                "total_pages": {"type": "integer", "example": 4},
                "per_page": {"type": "integer", "example": 25},
                "page": {"type": "integer", "example": 1},
                "total_records": {"type": "integer", "example": 93},
                "_links": {
                    "type": "object",
                    "properties": {"self": link, "next": link, "prev": link},
                },
                "_embedded": {"type": "object", "additionalProperties": schema},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number (from 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": AFTER,
                "required": False,
                "in": "query",
                "description": "Set in next links: the id the page starts after (a cursor).",
                "schema": {"type": "integer", "minimum": 0},
            },
        ]
