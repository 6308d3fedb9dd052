from django.core.management.base import BaseCommand

from spilka.outreach.services.retention import retention_run


class Command(BaseCommand):
    help = "Remove unconfirmed sign-ups, unused import files, old request addresses and inactive unsubscribed supporters."

    def handle(self, *args, **options):
        for name, count in retention_run().items():
            self.stdout.write(f"{name}: {count}")
