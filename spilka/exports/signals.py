"""A deleted export row takes its file along."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from spilka.exports.models import ExportFile


@receiver(post_delete, sender=ExportFile)
def export_file_delete_with_row(
    sender: type[ExportFile], instance: ExportFile, **kwargs: Any
) -> None:
    """A row deleted (its requester or organisation erased, or by hand) takes its file along:
    no list of people stays on disk without a row that expires it."""
    if instance.file:
        instance.file.delete(save=False)
