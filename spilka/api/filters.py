"""OData-style filters as OSDI uses them: ``filter=modified_date gt '2026-01-01'``.

Views declare ``odata_fields = {"modified_date": "updated_at", "email_address": "email"}``
(OSDI name → model lookup). Dates and times take ``gt``/``lt``/``eq`` (and ``ge``/``le``),
other fields ``eq`` only; clauses join with ``and``. A filter that cannot be read is a
400 with a message saying why, never a 500 and never a silently wider result.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from spilka.network.normalise import normalise_email

CLAUSE = re.compile(r"^\s*([a-z_]+)\s+(eq|gt|lt|ge|le)\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
DATE_LOOKUPS = {"eq": "exact", "gt": "gt", "lt": "lt", "ge": "gte", "le": "lte"}
MAX_FILTER_LENGTH = 1000


def _bad(message: Any) -> ValidationError:
    return ValidationError({"filter": [message]})


def _model_field(model: type[models.Model], lookup: str) -> models.Field | None:
    field = None
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field  # type: ignore[return-value]


def _as_datetime(raw: str) -> datetime.datetime:
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise ValueError
            moment = datetime.datetime.combine(day, datetime.time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        # In UTC here, so a date at the edge of the calendar ("0001-01-01T00:00+14:00")
        # is refused as bad input rather than overflowing in the database adapter.
        moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise _bad(
            _("'%(value)s' is not a date or time (use ISO 8601, e.g. 2026-01-31T12:00:00Z).")
            % {"value": raw[:60]}
        ) from None
    return moment


def _email(raw: str) -> str:
    # Addresses are stored normalised; compare the same way, so the index is used.

    try:
        return normalise_email(raw)
    except DjangoValidationError:
        return raw.strip().lower()


def parse_odata(raw: str, fields: dict[str, str], model: type[models.Model]) -> models.Q:
    if len(raw) > MAX_FILTER_LENGTH:
        raise _bad(_("The filter is too long."))
    if "\x00" in raw:
        raise _bad(_("The filter contains a null character."))
    query = models.Q()
    for clause in re.split(r"\s+and\s+", raw.strip(), flags=re.IGNORECASE):
        match = CLAUSE.match(clause)
        if match is None:
            raise _bad(
                _(
                    "Cannot read the filter %(clause)s: write field op 'value', e.g. "
                    "modified_date gt '2026-01-01'."
                )
                % {"clause": repr(clause[:80])}
            )
        name, op, value = match.group(1).lower(), match.group(2).lower(), match.group(3)
        value = value.replace("''", "'")
        if name not in fields:
            raise _bad(
                _("Cannot filter on %(field)s; filterable fields: %(fields)s.")
                % {"field": name, "fields": ", ".join(sorted(fields))}
            )
        lookup = fields[name]
        field = _model_field(model, lookup)
        if isinstance(field, models.DateTimeField | models.DateField):
            moment = _as_datetime(value)
            target: Any = moment.date() if not isinstance(field, models.DateTimeField) else moment
            query &= models.Q(**{f"{lookup}__{DATE_LOOKUPS[op]}": target})
        else:
            if op != "eq":
                raise _bad(_("%(field)s can only be compared with eq.") % {"field": name})
            if isinstance(field, models.EmailField):
                query &= models.Q(**{lookup: _email(value)})
            else:
                query &= models.Q(**{lookup: value})
    return query


class ODataFilter(BaseFilterBackend):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        raw = request.query_params.get("filter")
        fields = getattr(view, "odata_fields", None) or {}
        if raw is None or raw.strip() == "":
            return queryset
        if not fields:
            raise _bad(_("This collection cannot be filtered."))
        return queryset.filter(parse_odata(raw, fields, queryset.model))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = getattr(view, "odata_fields", None) or {}
        if not fields:
            return []
        return [
            {
                "name": "filter",
                "required": False,
                "in": "query",
                "description": (
                    "OData-style filter on "
                    + ", ".join(sorted(fields))
                    + ": field eq|gt|lt|ge|le 'value', clauses joined with and; "
                    "e.g. modified_date gt '2026-01-01'."
                ),
                "schema": {"type": "string", "maxLength": MAX_FILTER_LENGTH},
            }
        ]
