from django.core.management.base import BaseCommand

from spilka.demo import load_all
from spilka.network.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Load the demo network and its campaigns (idempotent: safe to run again)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        created = load_all()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo network loaded: "
                + ", ".join(f"{count} new {name}" for name, count in created.items())
            )
        )
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
        for user in USERS:
            self.stdout.write(f"  {user['email']}")
