"""The shared pager: any ?page= gives a real page, never an error; long exports read in
chunks that neither skip nor repeat a row."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from spilka.lib.paging import keyset_chunks, page_of, page_uncounted, search_term, text_search

ITEMS = list(range(51))


@pytest.mark.parametrize(
    ("query", "number"),
    [("", 1), ("page=2", 2), ("page=abc", 1), ("page=999", 2), ("page=-3", 2), ("page=0", 2)],
)
def test_page_of_turns_any_page_number_into_a_real_page(query, number):
    page = page_of(RequestFactory().get(f"/?{query}"), ITEMS, per_page=50)
    assert page.number == number


def test_second_page_holds_the_item_past_the_first():
    page = page_of(RequestFactory().get("/?page=2"), ITEMS, per_page=50)
    assert list(page) == [50]


def test_each_list_reads_its_own_parameter():
    request = RequestFactory().get("/?claims_page=2&page=abc")
    assert page_of(request, ITEMS, param="claims_page").number == 2
    assert page_of(request, ITEMS).number == 1


def test_a_page_told_its_count_never_asks_the_items():
    class Uncountable(list):
        def count(self, *args):
            raise AssertionError("counted")

    page = page_of(RequestFactory().get("/?page=9"), Uncountable(ITEMS), per_page=50, count=51)
    assert (page.number, page.paginator.num_pages, list(page)) == (2, 2, [50])


@pytest.mark.parametrize(
    ("query", "number", "rows", "more"),
    [
        ("", 1, list(range(50)), True),
        ("page=2", 2, [50], False),
        ("page=abc", 1, None, True),
        ("page=3", 3, [], False),
        ("page=0", 1, None, True),
        ("page=99999", 1, None, True),
    ],
)
@pytest.mark.django_db
def test_an_uncounted_page_reads_one_row_more_than_it_shows(query, number, rows, more):
    from spilka.lib.models import AuditEntry

    AuditEntry.objects.bulk_create([AuditEntry(action=f"paging.t{n:02d}") for n in range(51)])
    entries = AuditEntry.objects.filter(action__startswith="paging.").order_by("action")
    page = page_uncounted(RequestFactory().get(f"/?{query}"), entries, per_page=50)
    assert page.number == number and page.has_next() is more and page.paginator is None
    expected = rows if rows is not None else range(50)
    assert [entry.action for entry in page] == [f"paging.t{n:02d}" for n in expected]
    assert page.has_previous() is (number > 1)


def test_search_term_is_trimmed_and_bounded():
    assert search_term(RequestFactory().get("/?q=%20van%20")) == "van"
    assert len(search_term(RequestFactory().get("/?q=" + "x" * 500))) == 100


def test_text_search_reads_translated_fields_language_by_language():
    query = text_search(["title"], "ф", translated=["subject"])
    assert ("title__icontains", "ф") in query.children
    assert {("subject__uk__icontains", "ф"), ("subject__en__icontains", "ф")} <= set(query.children)
    # The whole JSON text is never searched: its keys would match every row.
    assert ("subject__icontains", "ф") not in query.children


def test_every_paged_template_uses_the_one_pager():
    """One pager for every list: a template that pages builds its links only through
    ``includes/pager.html`` (which keeps the other query parameters and names its own)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own_pagers = []
    for template in root.glob("**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if template.name != "pager.html" and (
            'class="pagination"' in text or "previous_page_number" in text
        ):
            own_pagers.append(str(template.relative_to(root)))
    assert own_pagers == []


def test_the_pager_keeps_the_search_and_changes_only_the_page(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/en/organisations/?q=miners&page=2")
    page = Paginator(list(range(120)), 50).get_page(2)
    html = render_to_string("includes/pager.html", {"page": page, "request": request})
    assert "q=miners&amp;page=1" in html and "q=miners&amp;page=3" in html
    assert "Page 2 of 3" in html


@pytest.fixture
def people_joined_on_three_days(db):
    """Seven users, several joining on the same day: the chunks must break ties by id."""
    import datetime

    from django.contrib.auth import get_user_model

    days = [datetime.datetime(2026, 1, day, tzinfo=datetime.UTC) for day in (3, 1, 3, 2, 3, 1, 3)]
    model = get_user_model()
    users = [
        model.objects.create_user(f"p{n}@example.org", date_joined=d) for n, d in enumerate(days)
    ]
    return model.objects.filter(pk__in=[user.pk for user in users])


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    ("size", "lengths"), [(2, [2, 2, 2, 1]), (3, [3, 3, 1]), (7, [7]), (50, [7])]
)
def test_keyset_chunks_read_every_row_once_in_order_a_chunk_a_query(
    people_joined_on_three_days, django_assert_num_queries, descending, size, lengths
):
    users = people_joined_on_three_days
    sign = "-" if descending else ""
    expected = list(users.order_by(f"{sign}date_joined", f"{sign}pk"))
    # A full chunk asks for the next; with seven rows in chunks of seven, that one is empty.
    with django_assert_num_queries(len(lengths) + (size == 7)):
        chunks = list(keyset_chunks(users, field="date_joined", descending=descending, size=size))
    assert [row for chunk in chunks for row in chunk] == expected
    assert [len(chunk) for chunk in chunks] == lengths


def test_a_shorter_first_chunk_leads_the_others(people_joined_on_three_days):
    users = people_joined_on_three_days
    chunks = list(keyset_chunks(users, field="date_joined", size=3, first=1))
    assert [len(chunk) for chunk in chunks] == [1, 3, 3]
    assert [row for chunk in chunks for row in chunk] == list(users.order_by("date_joined", "pk"))


def test_keyset_chunks_read_plain_rows_where_the_position_says(people_joined_on_three_days):
    from operator import itemgetter

    rows = people_joined_on_three_days.values_list("email", "date_joined", "pk")
    chunks = keyset_chunks(rows, field="date_joined", size=2, position=itemgetter(1, 2))
    read = [row for chunk in chunks for row in chunk]
    assert read == list(rows.order_by("date_joined", "pk"))
