"""Aid on the organiser's desk: pledges to load and handovers awaiting confirmation reach
the donor's and the recipient's aid managers, and nobody else."""

from __future__ import annotations

import pytest

from spilka.accounts.desk import desk_for
from spilka.aid.models import Handover

pytestmark = pytest.mark.django_db


def _items(user, slug):
    rows = {row.organisation.slug: row for row in desk_for(user)}
    return {item.kind: item for item in rows[slug].items} if slug in rows else {}


def test_a_pledge_not_yet_loaded_waits_on_the_donors_desk(
    login, pledge, donor_organiser, recipient_logistics, outsider
):
    item = _items(donor_organiser, "num-durham")["aid.pledges"]
    assert item.count >= 1
    assert login(donor_organiser).get(item.url).status_code == 200
    # The recipient asked for it; loading it is the donor's work.
    assert "aid.pledges" not in _items(recipient_logistics, "npgu-pavlohrad")
    assert all(not row.items for row in desk_for(outsider))


def test_the_open_convoy_is_where_the_pledge_is_loaded(login, pledge, donor_org, donor_organiser):
    from spilka.aid.services.convoys import convoy_create

    convoy = convoy_create(by=donor_organiser, organisation=donor_org, title="Next run")
    item = _items(donor_organiser, "num-durham")["aid.pledges"]
    assert item.url == f"/en/aid/convoys/{convoy.pk}/"
    page = login(donor_organiser).get(item.url).content.decode()
    assert f'data-pledge-line="{pledge.lines.first().pk}"' in page


def test_a_departed_convoys_handover_waits_for_both_sides(
    login, loaded_convoy, donor_organiser, recipient_logistics, outsider
):
    handover = Handover.objects.get(convoy=loaded_convoy)
    for user, slug in ((donor_organiser, "num-durham"), (recipient_logistics, "npgu-pavlohrad")):
        item = _items(user, slug)["aid.handovers"]
        if item.count == 1:
            assert item.url == f"/en/aid/handovers/{handover.pk}/"
        assert login(user).get(item.url).status_code == 200
    assert all(not row.items for row in desk_for(outsider))
