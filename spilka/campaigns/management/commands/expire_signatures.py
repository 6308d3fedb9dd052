from django.core.management.base import BaseCommand

from spilka.campaigns.services.petitions import signatures_expire


class Command(BaseCommand):
    help = "Delete petition signatures never confirmed within SPILKA_SIGNATURE_CONFIRM_HOURS (run hourly)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        deleted = signatures_expire()
        self.stdout.write(f"{deleted} unconfirmed signatures deleted.")
