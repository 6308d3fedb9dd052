from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from spilka.demo import load_all
from spilka.network.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Load the demo network and its campaigns (idempotent: safe to run again)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with SPILKA_DEBUG=false (it creates a superuser with "
            "a published password).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # The demo creates accounts whose password is printed in the README: never in a
        # real instance by accident.
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load the demo with SPILKA_DEBUG=false: it creates accounts with "
                "a published password. Pass --allow-production if you really mean it."
            )
        created = load_all()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo network loaded: "
                + ", ".join(f"{count} new {name}" for name, count in created.items())
            )
        )
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
        for user in USERS:
            self.stdout.write(f"  {user['email']:<34} {_roles_line(user)}")


def _roles_line(user: dict) -> str:
    """What a demo login may do, so a newcomer picks the right one (README lists the same)."""
    if user.get("superuser"):
        return "superuser (every organisation, the admin site)"
    by_org: dict[str, list[str]] = {}
    for slug, role in user.get("roles", []):
        by_org.setdefault(slug, []).append(role)
    return "; ".join(f"{', '.join(roles)} of {slug}" for slug, roles in by_org.items())
