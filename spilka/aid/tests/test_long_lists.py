"""Every convoy an organiser can see is reachable: paged, searchable, counted on the index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.aid.models import Convoy
from spilka.lib.paging import PER_PAGE

LIST = "/en/aid/convoys/"


def _convoys(org, count, prefix="T"):
    # Newest (highest pk) first on the list: the first made is the last shown.
    Convoy.objects.bulk_create(
        Convoy(organisation=org, reference=f"{prefix}-{i:03d}", title=f"Durham run {i:03d}")
        for i in range(count)
    )


@pytest.mark.django_db
def test_the_first_convoy_made_is_on_the_second_page(donor_org, donor_organiser, login):
    _convoys(donor_org, PER_PAGE + 1)
    client = login(donor_organiser)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Durham run 000" not in first and "Durham run 050" in first
    assert "Durham run 000" in second and "Durham run 050" not in second
    assert "Page 2 of" in second


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "999", "0", ""])
def test_any_page_number_answers(donor_org, donor_organiser, login, page):
    _convoys(donor_org, PER_PAGE + 1)
    assert login(donor_organiser).get(LIST, {"page": page}).status_code == 200


@pytest.mark.django_db
def test_search_finds_a_convoy_past_the_first_page(donor_org, donor_organiser, login):
    _convoys(donor_org, PER_PAGE + 1)
    client = login(donor_organiser)
    by_title = client.get(LIST, {"q": "run 000"}).content.decode()
    assert "Durham run 000" in by_title and "Durham run 001" not in by_title
    by_reference = client.get(LIST, {"q": "t-000"}).content.decode()
    assert "Durham run 000" in by_reference and "Durham run 001" not in by_reference


@pytest.mark.django_db
def test_queries_do_not_grow_with_convoys(
    donor_org, donor_organiser, login, django_assert_max_num_queries
):
    client = login(donor_organiser)
    _convoys(donor_org, 2, prefix="A")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    _convoys(donor_org, PER_PAGE * 3, prefix="B")
    with django_assert_max_num_queries(len(few)):
        client.get(LIST + "?page=2")


@pytest.mark.django_db
def test_the_index_says_how_many_convoys_the_full_list_holds(donor_org, donor_organiser, login):
    _convoys(donor_org, 30)
    page = login(donor_organiser).get("/en/aid/").content.decode()
    total = Convoy.objects.filter(organisation=donor_org).count()
    assert f"All your convoys ({total})" in page
    assert page.count("Durham run ") == 20  # the excerpt stays short; the link says more exist


def test_a_report_names_the_20_donors_with_most_deliveries_and_says_how_many_there_are(
    anon, items, donor_org, donor_organiser, recipient_org
):
    from decimal import Decimal

    from spilka.aid.selectors.reports import PARTIES_SHOWN, aid_report
    from spilka.aid.services import convoys as convoy_services
    from spilka.aid.services.handovers import ReceivedLine, handover_confirm
    from spilka.network.models import Organisation

    donors = list(Organisation.objects.filter(is_public=True).exclude(pk=recipient_org.pk)[:25])
    assert len(donors) == 25
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="X")
    for donor in donors:
        convoy_services.manifest_line_add(
            by=donor_organiser,
            convoy=convoy,
            item=items["radio"],
            quantity=Decimal(1),
            recipient=recipient_org,
            donor_organisation=donor,
        )
    for step in ("loading", "departed"):
        convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to=step)
    handover = convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(line.pk, line.quantity) for line in handover.lines.all()],
        signer_name="A",
    )
    report = aid_report(organisation=recipient_org)
    assert len(report.donors) == PARTIES_SHOWN
    assert report.donor_total >= 25
    page = anon.get(f"/en/aid/report/organisations/{recipient_org.slug}/").content.decode()
    donors_table = page.split("<h2>Donors</h2>")[1].split("</table>")[0]
    assert donors_table.count("<tr>") == PARTIES_SHOWN
    assert f"The 20 with the most deliveries of {report.donor_total} donors." in page
