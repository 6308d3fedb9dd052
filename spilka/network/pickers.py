"""Search-as-you-type organisation pickers: one widget, one JSON endpoint, one rule.

A form field that names organisations is given its choices by a *scope*: a function of
the user (and of a few ids) registered here by name. The form's queryset and the
endpoint's matches both come from ``scope_queryset``, so the endpoint never names an
organisation the form would refuse. The page carries the scope's name and ids signed
and bound to the user (``picker_token``); the endpoint recomputes the queryset for the
user asking, whatever the token says.

The widget renders only what is chosen (ticked boxes, or a ticked radio button, with the
names) and a text box. With JavaScript (``spilka/picker.js``) the box asks the endpoint
as one types (ARIA combobox). Without it, text typed in the box is a search: the form
comes back unsaved with the matching organisations to tick (``PickerFormMixin``).
Up to ``PLAIN_UP_TO`` choices, the widget is a plain list of boxes or a select: a short
list is quicker to scan than to search and needs no script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.urls import reverse

from spilka.network.models import Organisation
from spilka.network.selectors import organisations_pickable_for

PLAIN_UP_TO = 50
MATCHES = 20
QUERY_MAX = 100
TOKEN_SALT = "spilka.network.picker"
TOKEN_MAX_AGE = 2 * 24 * 3600
QUERY_SUFFIX = "__q"

Scope = Callable[..., QuerySet[Organisation]]
SCOPES: dict[str, Scope] = {}


def picker_scope(name: str) -> Callable[[Scope], Scope]:
    """Register a scope: ``fn(*, user, **params)`` returns the organisations ``user`` may pick."""

    def register(fn: Scope) -> Scope:
        SCOPES[name] = fn
        return fn

    return register


@picker_scope("pickable")
def _pickable(
    *, user: Any, purpose: str = "partner", keep: Iterable[int] = (), exclude: Iterable[int] = ()
) -> QuerySet[Organisation]:
    keep = list(keep)
    kept = Organisation.objects.filter(pk__in=keep) if keep else None
    return organisations_pickable_for(user=user, purpose=purpose, keep=kept).exclude(
        pk__in=list(exclude)
    )


def scope_queryset(scope: str, *, user: Any, **params: Any) -> QuerySet[Organisation]:
    return SCOPES[scope](user=user, **params).order_by("slug")


def picker_token(scope: str, *, user: Any, key: str = "pk", **params: Any) -> str:
    """The scope, its ids and the value the field submits (pk or slug), signed for ``user``."""
    payload = {"s": scope, "a": params, "u": getattr(user, "pk", None), "k": key}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def picker_token_read(token: str, *, user: Any) -> tuple[str, dict[str, Any], str] | None:
    """Scope, ids and key, if ``token`` is ours, recent, and was made for ``user``."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("s") not in SCOPES:
        return None
    return data["s"], dict(data.get("a") or {}), "slug" if data.get("k") == "slug" else "pk"


def search_text_of(query: str) -> str:
    return " ".join(query.split())[:QUERY_MAX].casefold()


def scope_search(queryset: QuerySet[Organisation], query: str) -> list[Organisation]:
    """At most ``MATCHES`` organisations of ``queryset`` whose names match ``query``.

    ``search_text`` is every name, the short name, city and address, case-folded in
    Python: "львів", "ŁÓDŹ" and "Lodz" each match their own spelling on any database.
    A public organisation is found by any of them; one that is not public only by its
    names, which the form shows anyway: typing city after city must not tell where a
    private partner is.
    """
    wanted = search_text_of(query)
    if not wanted:
        return []
    matching = queryset.filter(search_text__contains=wanted)
    found = list(matching.filter(is_public=True)[:MATCHES])
    private = matching.filter(is_public=False)[: MATCHES * 5]
    found += [org for org in private if _named(org, wanted)]
    return found[:MATCHES]


def _named(org: Organisation, wanted: str) -> bool:
    names = [*(org.name or {}).values(), org.short_name]
    return any(wanted in search_text_of(str(name)) for name in names if name)


def organisation_label(org: Organisation) -> str:
    if not org.country:
        return org.display_name
    return f"{org.display_name} ({org.country.name})"  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin


class OrganisationPicker(forms.Widget):
    """Chosen organisations as ticked boxes, and a box to find more (see the module doc)."""

    template_name = "network/widgets/organisation_picker.html"

    def __init__(self, *, multiple: bool, token: str = "", attrs: Any = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.token = token
        self.choices: Any = []
        self.query = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = search_text_of(str(data.get(name + QUERY_SUFFIX, "")))
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def _plain(self) -> forms.Widget:
        plain: forms.Widget = (
            forms.CheckboxSelectMultiple(attrs=self.attrs)
            if self.multiple
            else forms.Select(attrs=self.attrs)
        )
        plain.choices = self.choices  # type: ignore[attr-defined]
        plain.is_required = self.is_required
        return plain

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        field = self.choices.field
        queryset = self.choices.queryset
        key = field.to_field_name or "pk"
        if len(queryset[: PLAIN_UP_TO + 1]) <= PLAIN_UP_TO and not self.query:
            return {"plain": self._plain().get_context(name, value, attrs), "is_plain": True}
        context = super().get_context(name, value, attrs)
        chosen_values = self.format_value(value)
        if key == "pk":  # a forged "abc" is refused by the form; shown, it is just not chosen
            chosen_values = [v for v in chosen_values if v.isdigit()]
        chosen = list(queryset.filter(**{f"{key}__in": chosen_values})) if chosen_values else []
        chosen_keys = {str(getattr(org, key)) for org in chosen}
        found = [
            org
            for org in (scope_search(queryset, self.query) if self.query else [])
            if str(getattr(org, key)) not in chosen_keys
        ]
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context.update(
            {
                "is_plain": False,
                "multiple": self.multiple,
                "optional": not field.required,
                "input_type": "checkbox" if self.multiple else "radio",
                "chosen": [(getattr(o, key), organisation_label(o)) for o in chosen],
                "found": [(getattr(o, key), organisation_label(o)) for o in found],
                "query": self.query,
                "searched": bool(self.query),
                "query_name": name + QUERY_SUFFIX,
                "widget_id": widget_id,
                "url": reverse("network:picker_organisations") if self.token else "",
                "token": self.token,
                "key": key,
            }
        )
        return context


def use_picker(field: forms.Field, *, user: Any, scope: str = "pickable", **params: Any) -> None:
    """Give a model choice field the organisations of ``scope`` and the search widget."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = scope_queryset(scope, user=user, **params)
    signed = getattr(user, "is_authenticated", False)
    widget = OrganisationPicker(
        multiple=isinstance(field, forms.ModelMultipleChoiceField),
        token=picker_token(scope, user=user, key=field.to_field_name or "pk", **params)
        if signed
        else "",
        attrs=field.widget.attrs,
    )
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget


class PickerFormMixin:
    """Text typed in a picker's box (no script) is a search: the form comes back unsaved."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def picker_searching(self) -> bool:
        if not self.is_bound:
            return False
        prefix = self.add_prefix  # type: ignore[attr-defined]
        return any(
            isinstance(field.widget, OrganisationPicker)
            and search_text_of(str(self.data.get(prefix(name) + QUERY_SUFFIX, "")))
            for name, field in self.fields.items()
        )

    def full_clean(self) -> None:
        if self.picker_searching():
            # Read each picker's box so the widget shows the matches; validate nothing.
            for name, field in self.fields.items():
                if isinstance(field.widget, OrganisationPicker):
                    prefixed = self.add_prefix(name)  # type: ignore[attr-defined]
                    field.widget.value_from_datadict(self.data, None, prefixed)
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            return
        super().full_clean()  # type: ignore[misc]

    def is_valid(self) -> bool:
        return super().is_valid() and not self.picker_searching()  # type: ignore[misc]
