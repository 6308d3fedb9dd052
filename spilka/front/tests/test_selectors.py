"""The front page's selectors: public things only, oblast-level places, bounded rows and a
fixed number of queries."""

from __future__ import annotations

import datetime

import pytest

from spilka.aid.selectors.needs import needs_urgent
from spilka.campaigns.selectors import campaigns_live, statements_latest
from spilka.events.selectors import events_upcoming_public
from spilka.front.selectors import front_sections
from spilka.front.tests import builders as make
from spilka.network.selectors import network_summary
from spilka.publishing.selectors import publications_latest

pytestmark = pytest.mark.django_db

PRIVATE = "usc-convoy-team"


@pytest.fixture
def usc(demo):
    return demo["ukraine-solidarity-campaign"]


@pytest.fixture
def private_org(demo):
    org = demo[PRIVATE]
    assert not org.is_public
    return org


def _slugs(rows):
    return {row.slug for row in rows}


def test_live_campaigns_leave_out_drafts_private_and_ended_ones(usc):
    make.campaign(usc, "front-live")
    make.campaign(usc, "front-draft", status="draft")
    make.campaign(usc, "front-private", is_public=False)
    make.campaign(usc, "front-ended", status="ended")
    slugs = _slugs(campaigns_live(limit=100))
    assert "front-live" in slugs
    assert not slugs & {"front-draft", "front-private", "front-ended"}


def test_a_live_campaign_shows_only_open_petitions_most_signed_first(usc):
    campaign = make.campaign(usc, "front-petitions")
    make.petition(campaign, "front-open-small")
    big = make.petition(campaign, "front-open-big")
    type(big).objects.filter(pk=big.pk).update(confirmed_count=400)
    make.petition(campaign, "front-draft-petition", status="draft")
    make.petition(campaign, "front-closed-petition", status="closed")
    found = next(c for c in campaigns_live(limit=100) if c.slug == "front-petitions")
    assert [p.slug for p in found.live_petitions] == ["front-open-big", "front-open-small"]
    assert found.live_petitions[0].confirmed_count == 400


def test_an_organisations_live_campaigns_include_those_it_co_organises(usc, demo):
    razem = demo["razem"]
    campaign = make.campaign(usc, "front-co-organised")
    campaign.co_organisers.add(razem)
    assert "front-co-organised" in _slugs(campaigns_live(organisation=razem, limit=100))
    assert "front-co-organised" not in _slugs(campaigns_live(organisation=demo["aslef"], limit=100))


def test_urgent_needs_are_public_ones_of_public_organisations(usc, private_org):
    make.need(usc, "Front public need")
    make.need(usc, "Front hidden need", is_public=False)
    make.need(private_org, "Front need of a private organisation")
    titles = {need.title["en"] for need in needs_urgent(limit=100)}
    assert "Front public need" in titles
    assert "Front hidden need" not in titles
    assert "Front need of a private organisation" not in titles


def test_urgent_needs_give_the_oblast_and_never_a_finer_place(usc):
    make.need(
        usc,
        "Front need with a village",
        oblast="sumy",
        hromada="Secret hromada",
        settlement="Secret village",
        publish_only_oblast=False,
    )
    found = next(n for n in needs_urgent(limit=100) if n.title["en"] == "Front need with a village")
    assert found.oblast == "sumy"
    assert found.oblast_name == "Sumy oblast"
    assert not hasattr(found, "hromada")
    assert not hasattr(found, "settlement")
    assert "Secret" not in repr(found)


def test_urgent_needs_put_critical_ones_first(usc):
    make.need(usc, "Front low need", priority="low")
    make.need(usc, "Front critical need", priority="critical")
    titles = [need.title["en"] for need in needs_urgent(limit=100)]
    assert titles.index("Front critical need") < titles.index("Front low need")
    priorities = [need.priority for need in needs_urgent(limit=100)]
    order = ["critical", "high", "normal", "low"]
    assert priorities == sorted(priorities, key=order.index)


def test_upcoming_events_leave_out_private_past_and_cancelled_ones(usc):
    make.event(usc, "front-soon")
    make.event(usc, "front-members-only", is_public=False)
    make.event(usc, "front-past", days=-3)
    make.event(usc, "front-cancelled", status="cancelled")
    slugs = _slugs(events_upcoming_public(limit=100))
    assert "front-soon" in slugs
    assert not slugs & {"front-members-only", "front-past", "front-cancelled"}


def test_latest_statements_leave_out_drafts_and_those_of_private_campaigns(usc):
    public = make.campaign(usc, "front-statements")
    hidden = make.campaign(usc, "front-hidden-statements", is_public=False)
    make.statement(public, "front-statement")
    make.statement(public, "front-draft-statement", status="draft")
    make.statement(hidden, "front-hidden-statement")
    slugs = _slugs(statements_latest(limit=100))
    assert "front-statement" in slugs
    assert not slugs & {"front-draft-statement", "front-hidden-statement"}
    assert "front-statement" in _slugs(statements_latest(organisation=usc, limit=100))


def test_latest_publications_are_published_ones_of_public_organisations(usc, private_org):
    make.publication(usc, "front-published")
    make.publication(usc, "front-draft-publication", status="draft", published_on=None)
    make.publication(private_org, "front-private-publication")
    slugs = _slugs(publications_latest(limit=100))
    assert "front-published" in slugs
    assert not slugs & {"front-draft-publication", "front-private-publication"}
    assert _slugs(publications_latest(organisation=private_org, limit=100)) == set()


def test_the_network_summary_counts_public_organisations_only(demo):
    summary = network_summary()
    public = [org for org in demo.values() if org.is_public]
    assert summary.organisations == len(public)
    assert summary.countries == len({str(org.country) for org in public if org.country})
    assert sum(n for _code, n in summary.by_country) == len(public)


def test_each_section_is_bounded_and_says_how_many_there_are(usc):
    for n in range(4):
        make.campaign(usc, f"front-many-{n}", starts_on=datetime.date(2031, 1, 1 + n))
    found = campaigns_live(limit=2)
    assert len(found.rows) == 2
    assert found.total >= 4
    assert found.more


def test_the_front_sections_take_the_same_queries_with_more_data(
    usc, django_assert_max_num_queries
):
    def sections_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            front_sections()
            front_sections(organisation=usc)
        return len(queries)

    def one_of_each(n: int | str) -> None:
        campaign = make.campaign(usc, f"front-more-{n}")
        make.petition(campaign, f"front-more-{n}-a")
        make.petition(campaign, f"front-more-{n}-b")
        make.petition(campaign, f"front-more-{n}-c")
        make.need(usc, f"Front more need {n}")
        make.event(usc, f"front-more-{n}")
        make.statement(campaign, f"front-more-statement-{n}")
        make.publication(usc, f"front-more-{n}")

    one_of_each("first")  # every section has a row to start with
    before = sections_queries()
    for n in range(8):
        one_of_each(n)
    with django_assert_max_num_queries(before):
        front_sections()
        front_sections(organisation=usc)
    # Each section: its rows, what they prefetch and a count; two for the network picture.
    assert before <= 2 * (3 + 2 + 3 + 2 + 2) + 2
