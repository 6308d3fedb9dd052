"""The registry of content volunteers may translate through the workflow (app ``publishing``).

The texts themselves are stored and read by ``spilka.lib.translated``.

An app registers each model whose ``TranslatedField`` maps volunteers may translate, in its
``AppConfig.ready()``. The workflow keeps one task per (item, target language) and reads and
writes the maps through this spec, so it needs to know nothing else about the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from spilka.network.models import Organisation

_M = TypeVar("_M", bound=models.Model)


def _original_language(obj: models.Model) -> str:
    return str(getattr(obj, "original_language", "") or "en")


@dataclass(frozen=True)
class TranslatableSpec:
    model: type[models.Model]
    fields: tuple[str, ...]  # names of TranslatedField (JSON map) fields, in display order
    # Each takes an instance of ``model``; a statement without a campaign has no organisation.
    organisation: Callable[[Any], Organisation | None]
    source_language: Callable[[Any], str]

    @property
    def key(self) -> str:
        return self.model._meta.label_lower  # e.g. "campaigns.petition"


_specs: dict[str, TranslatableSpec] = {}


def translatable_register(
    model: type[_M],
    *,
    fields: tuple[str, ...],
    organisation: Callable[[_M], Organisation | None],
    source_language: Callable[[_M], str] = _original_language,
) -> None:
    spec = TranslatableSpec(
        model=model, fields=fields, organisation=organisation, source_language=source_language
    )
    _specs[spec.key] = spec


def translatable_specs() -> list[TranslatableSpec]:
    return [_specs[key] for key in sorted(_specs)]


def translatable_spec_for(model: type[models.Model]) -> TranslatableSpec | None:
    return _specs.get(model._meta.label_lower)
