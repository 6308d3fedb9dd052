"""The shared pager: any ?page= gives a real page, never an error."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from spilka.lib.paging import page_of, search_term, text_search

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


def test_search_term_is_trimmed_and_bounded():
    assert search_term(RequestFactory().get("/?q=%20van%20")) == "van"
    assert len(search_term(RequestFactory().get("/?q=" + "x" * 500))) == 100


def test_text_search_reads_translated_fields_language_by_language():
    query = text_search(["title"], "ф", translated=["subject"])
    assert ("title__icontains", "ф") in query.children
    assert {("subject__uk__icontains", "ф"), ("subject__en__icontains", "ф")} <= set(query.children)
    # The whole JSON text is never searched: its keys would match every row.
    assert ("subject__icontains", "ф") not in query.children
