"""Check or rebuild the supporter counts the supporter list shows (``SupporterCount``).

The services keep them exact; rebuild after loading supporters in bulk past them (a
restore, a benchmark), or when ``--check`` finds a difference.

manage.py outreach_counts --check    # compare with a fresh count; exit 1 on a difference
manage.py outreach_counts            # count every organisation again
"""

from django.core.management.base import BaseCommand, CommandError

from spilka.outreach.services.counts import (
    supporter_counts_differences,
    supporter_counts_rebuild_all,
)


class Command(BaseCommand):
    help = "Check (--check) or rebuild the supporter counts of every organisation."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare with a fresh count")

    def handle(self, *args, check=False, **options):
        if not check:
            self.stdout.write(f"recounted: {supporter_counts_rebuild_all()} organisations")
            return
        differences = supporter_counts_differences()
        for organisation_id, statuses in differences.items():
            wrong = ", ".join(
                f"{status} {stored} (counted {counted})"
                for status, (stored, counted) in statuses.items()
            )
            self.stdout.write(f"organisation #{organisation_id}: {wrong}")
        if differences:
            raise CommandError(
                f"{len(differences)} organisations' counts differ: run outreach_counts."
            )
        self.stdout.write("every count is right")
