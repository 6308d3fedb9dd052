"""The kinds of export: each app declares its own in its ``exports.py``.

A kind says how to find its subject again *through the resource's access helper* (so the
request, the background task and every download ask the same question), which organisation
it belongs to, how many rows it will have, and which rows to write (the header first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

Params = dict[str, Any]


@dataclass(frozen=True)
class ExportKind:
    name: str  # "campaigns.signatures": stored on ExportFile.kind
    label: Any  # lazy text: "Confirmed signatures"
    audit_action: str  # "campaigns.signatures.exported"
    # (user, params) -> the subject, or PermissionDenied / Http404: the resource's access helper.
    subject: Callable[[Any, Params], Model]
    organisation: Callable[[Any], Any]
    count: Callable[[Any, Params], int]
    rows: Callable[[Any, Params], Iterable[Iterable[Any]]]
    filename: Callable[[Any, Params, str], str]
    sheet_title: Any = ""
    formats: tuple[str, ...] = ("csv", "xlsx")
    header_rows: int = 1


_KINDS: dict[str, ExportKind] = {}


def export_kind_register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.name] = kind
    return kind


def export_kind_get(name: str) -> ExportKind:
    """The kind called ``name``; a KeyError for one no app declares (any more)."""
    return _KINDS[name]
