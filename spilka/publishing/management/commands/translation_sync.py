"""Keep translation tasks in step with content: free lapsed claims, make tasks for new
translatable items, mark translations whose original changed. Safe to run hourly."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from spilka.publishing.services.translation import translation_claims_expire
from spilka.publishing.services.translation_sources import translation_sync


class Command(BaseCommand):
    help = "Free lapsed translation claims and bring translation tasks up to date."

    def handle(self, *args: Any, **options: Any) -> None:
        freed = translation_claims_expire()
        tasks = translation_sync(by="translation_sync")
        self.stdout.write(f"{freed} lapsed claims freed; {tasks} tasks checked.")
