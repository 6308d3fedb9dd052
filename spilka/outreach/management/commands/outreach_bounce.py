"""Mark addresses that bounce or complained, from a mail server's notifications.

The fall-back for a plain mail server whose DSN parser can only print addresses: bounces
normally arrive through the inbound webhooks (/hooks/mail/<provider>/, docs/api.md ("Inbound bounce and complaint webhooks")),
which also tell soft bounces from hard ones and ignore repeats. Give this permanent failures.

manage.py outreach_bounce --kind bounce someone@example.org other@example.org
some-dsn-parser | manage.py outreach_bounce --kind complaint -    # one address a line
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from spilka.network.models import Organisation
from spilka.outreach.services.undeliverable import address_mark_undeliverable


class Command(BaseCommand):
    help = "Mark email addresses as bouncing or complaining: they receive no more mailings."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+", help="addresses, or - to read stdin")
        parser.add_argument("--kind", choices=["bounce", "complaint"], default="bounce")
        parser.add_argument("--organisation", help="only this organisation's supporters (slug)")

    def handle(self, *args, addresses, kind, organisation=None, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation {organisation!r}.")
        if addresses == ["-"]:
            addresses = [line.strip() for line in sys.stdin if line.strip()]
        changed = bad = 0
        for address in addresses:
            try:
                changed += address_mark_undeliverable(email=address, kind=kind, organisation=org)
            except ValidationError:
                bad += 1
        self.stdout.write(f"marked: {changed}, not an address: {bad}")
