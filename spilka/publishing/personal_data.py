"""What publishing holds about a person: the languages a volunteer translates into.

Translators, reviewers and authors are user accounts (foreign keys on tasks and
publications, kept for the audit trail); their names are not copied here. Erasing clears
the language profile; accounts themselves are erased by the accounts app.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from spilka.lib.personal_data import personal_data_register
from spilka.publishing.models import TranslationTask, TranslatorProfile


def _users(email: str) -> Any:
    return get_user_model().objects.filter(email__iexact=email)


def export(email: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for profile in TranslatorProfile.objects.filter(user__in=_users(email)):
        records.append({"kind": "translator_languages", "languages": profile.languages})
    for task in TranslationTask.objects.filter(translator__in=_users(email)).select_related(
        "content_type"
    ):
        records.append(
            {
                "kind": "translation",
                "item": f"{task.content_type.app_label}.{task.content_type.model}:{task.object_id}",
                "language": task.target_language,
                "state": task.state,
            }
        )
    return records


def erase(email: str) -> int:
    deleted, _counts = TranslatorProfile.objects.filter(user__in=_users(email)).delete()
    return deleted


def register() -> None:
    personal_data_register("publishing.translators", export=export, erase=erase)
