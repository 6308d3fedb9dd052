"""Write one archive with the database and the uploaded files (spilka/lib/backup.py).

manage.py spilka_backup /srv/backups/spilka-$(date +%F).tar.gz
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from spilka.lib.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Back up the database and the private and public files into one tar.gz archive."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Path of the archive to write (.tar.gz).")
        parser.add_argument(
            "--database", default="default", help="Database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if archive.exists():
            raise CommandError(f"{archive} exists already: choose a new name.")
        try:
            manifest = backup_write(archive, alias=options["database"], report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        archive.chmod(0o600)  # it holds every person's data
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {archive}: {sum(manifest.counts.values())} rows, "
                f"{len(manifest.files)} files, {archive.stat().st_size} bytes."
            )
        )
