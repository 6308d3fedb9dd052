"""Delete files kept for a form shown again with errors and never posted back (24 hours).

Run it hourly or daily with the other housekeeping; kept files are also refused (and
deleted) on use once they are that old.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from spilka.lib.uploads import uploads_expire


class Command(BaseCommand):
    help = "Delete kept uploads older than 24 hours (pending-uploads/ in private storage)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = uploads_expire()
        self.stdout.write(f"{deleted} kept upload(s) deleted.")
