"""A fund's page in the books: fifty entries a page, the same queries for any size of
ledger, the count and total from the monthly summary, reversals marked on the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from spilka.funds.services.donations import donation_record
from spilka.funds.services.ledger import transaction_reverse
from spilka.funds.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def _donate(fund, treasurer, count: int, start: int = 0) -> list:
    return [
        donation_record(
            fund=fund,
            amount=f"{10 + n}.00",
            currency="GBP",
            occurred_on=DAY - datetime.timedelta(days=n % 20),
            by=treasurer,
            donor_name=f"Donor {n}",
            description=f"Gift {n}",
        )
        for n in range(start, start + count)
    ]


def test_the_fund_page_keeps_its_queries_as_the_ledger_grows_past_a_page(
    login, treasurer, fund, django_assert_max_num_queries
):
    client = login(treasurer)
    url = reverse("funds:fund", kwargs={"org": fund.organisation.slug, "fund": fund.slug})
    first = _donate(fund, treasurer, 3)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    transaction_reverse(entry=first[0], by=treasurer, reason="Entered twice")
    _donate(fund, treasurer, 55, start=3)

    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()

    # 3 + 55 gifts and one reversal: 59 entries, two pages, counted by the summary.
    assert "Page 1 of 2" in body
    second = client.get(url + "?page=2").content.decode()
    badge = '<span class="badge">reversed</span>'
    assert (body + second).count(badge) == 1  # the reversed gift, asked of its page only
    assert "Gift 0" in body + second
