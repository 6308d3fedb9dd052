from django.core.management.base import BaseCommand

from spilka.campaigns.services.individual_signatories import individuals_expire
from spilka.campaigns.services.petitions import signatures_expire


class Command(BaseCommand):
    help = (
        "Delete petition signatures and individual statement signatures never confirmed in time "
        "(run hourly from cron or a systemd timer)."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        signatures = signatures_expire()
        individuals = individuals_expire()
        self.stdout.write(
            f"{signatures} unconfirmed petition signatures and "
            f"{individuals} unconfirmed statement signatures deleted."
        )
