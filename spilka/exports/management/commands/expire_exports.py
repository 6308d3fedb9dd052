"""Delete export files past their expiry (kept 7 days). Run daily with the housekeeping."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from spilka.exports.services import exports_expire


class Command(BaseCommand):
    help = "Delete the files of exports older than their expiry (private storage, exports/)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = exports_expire()
        self.stdout.write(f"{deleted} export file(s) deleted.")
