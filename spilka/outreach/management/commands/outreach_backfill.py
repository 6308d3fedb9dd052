from django.core.management.base import BaseCommand

from spilka.outreach.services.supporters import supporters_backfill_from_signatures


class Command(BaseCommand):
    help = (
        "Create supporters from confirmed petition signatures whose signers consented (idempotent)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"recorded: {supporters_backfill_from_signatures()}")
