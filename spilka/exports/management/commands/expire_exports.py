"""Export housekeeping, run hourly: delete the files of exports past their expiry (kept 7
days), mark failed the exports whose run was lost (waiting or running for over 3 hours),
and delete the files under exports/ that no export names (older than an hour)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from spilka.exports.services import exports_sweep


class Command(BaseCommand):
    help = (
        "Delete expired export files, mark lost export runs failed, and delete export files "
        "no export names (private storage, exports/)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = exports_sweep()
        self.stdout.write(
            f"{done['expired']} expired export file(s) deleted, {done['stuck']} lost "
            f"export(s) marked failed, {done['orphans']} file(s) without an export deleted."
        )
