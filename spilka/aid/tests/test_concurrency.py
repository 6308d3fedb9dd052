"""Several organisers at once on PostgreSQL: a need is never pledged or dispatched past its record."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spilka.aid.models import ManifestLine, NeedLine, PledgeLine
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.lib.testing import errors_in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 6


def test_concurrent_pledges_never_exceed_the_need(need, donor_org, donor_organiser):
    kits = need.lines.order_by("pk").first()  # 10 needed

    def pledge(n):
        need_services.pledge_create(
            by=donor_organiser,
            need=need,
            donor_organisation=donor_org,
            lines=[{"need_line": kits, "quantity": D(3)}],
        )

    errors = errors_in_threads(pledge, THREADS)
    kits.refresh_from_db()
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(errors) == THREADS - 3  # 3 × 3 fit in 10, the rest are refused
    assert kits.pledged == D(9)
    assert kits.pledged == sum(pl.quantity for pl in PledgeLine.objects.filter(need_line=kits))


def test_concurrent_dispatch_never_exceeds_the_pledge(pledge, donor_org, donor_organiser):
    generators = pledge.lines.get(item__code="generator")  # 2 pledged
    convoys = [
        convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title=f"c{n}")
        for n in range(THREADS)
    ]

    def load(n):
        convoy_services.manifest_line_add(
            by=donor_organiser, convoy=convoys[n], pledge_line=generators, quantity=D(1)
        )

    errors = errors_in_threads(load, THREADS)
    assert all(isinstance(e, ValidationError) for e in errors), errors
    generators.refresh_from_db()
    need_line = NeedLine.objects.get(pk=generators.need_line_id)
    assert generators.dispatched == need_line.dispatched == D(2)
    assert ManifestLine.objects.filter(pledge_line=generators).count() == 2
