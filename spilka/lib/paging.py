"""One way to page and search organiser lists, so no list is ever cut off silently.

Every organiser list that can grow goes through ``page_of``: a ``?page=`` that is not a
number, or is past the end, shows a real page instead of an error, and the template
shows "page X of Y" with ``includes/pager.html`` so people know there is more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from spilka.lib.languages import CONTENT_LANGUAGES

T = TypeVar("T")

PER_PAGE = 50
MAX_QUERY = 100


class CountedPaginator(Paginator):
    """A paginator told how many items there are (from counts kept elsewhere, such as
    ``outreach.SupporterCount``), so it never runs a ``COUNT(*)`` over a long list."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def page_of(
    request: HttpRequest,
    items: Sequence[Any] | Any,
    per_page: int = PER_PAGE,
    param: str = "page",
    *,
    count: int | None = None,
) -> Page:
    """The page of ``items`` the request asks for in ``?<param>=``.

    ``Paginator.get_page`` already turns garbage into page 1 and a number past the end
    into the last page; ``param`` lets one page carry two paged lists side by side.
    ``count``, when the caller knows it exactly, spares counting the items.
    """
    paginator = (
        Paginator(items, per_page)
        if count is None
        else CountedPaginator(items, per_page, count=count)
    )
    page = paginator.get_page(request.GET.get(param))
    # The include template reads which parameter to change from the page itself.
    page.param = param  # type: ignore[attr-defined]
    return page


@dataclass
class UncountedPage:
    """One page of a list too long to count for each request (a search among a million
    supporters): its rows, its number and whether another follows, read as one row more
    than a page. ``includes/pager.html`` then says "Page 3", not "Page 3 of 40"."""

    object_list: list[Any]
    number: int
    more: bool  # another page follows
    param: str = "page"
    paginator: None = None  # nothing counted: the pager names no last page

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.has_previous()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


# Pages past this are not offered: each costs as much as reading every row before it.
UNCOUNTED_MAX_PAGE = 1000


def page_uncounted(
    request: HttpRequest, items: QuerySet[Any], per_page: int = PER_PAGE, param: str = "page"
) -> UncountedPage:
    """The page of ``items`` asked for in ``?<param>=``, without counting them: a number
    that is not one, or past ``UNCOUNTED_MAX_PAGE``, is page 1; a page past the end is
    empty (with a link back)."""
    text = request.GET.get(param, "")
    number = int(text) if text.isdecimal() and len(text) < 5 else 1
    number = number if 1 <= number <= UNCOUNTED_MAX_PAGE else 1
    start = (number - 1) * per_page
    rows = list(items[start : start + per_page + 1])
    return UncountedPage(
        object_list=rows[:per_page], number=number, more=len(rows) > per_page, param=param
    )


def search_term(request: HttpRequest, param: str = "q") -> str:
    """The trimmed search text from ``?q=``, cut to a sane length."""
    return request.GET.get(param, "").strip()[:MAX_QUERY]


def text_search(fields: Iterable[str], term: str, *, translated: Iterable[str] = ()) -> Q:
    """A filter matching ``term`` in any of ``fields`` (plain text) or ``translated``.

    A translated field is JSON keyed by language: it is searched language by language
    (``subject__uk__icontains``), so the keys themselves never match ("en" is not in every
    mailing) and Cyrillic is compared as letters on SQLite and PostgreSQL alike.
    """
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": term})
    for field in translated:
        for language in CONTENT_LANGUAGES:
            query |= Q(**{f"{field}__{language}__icontains": term})
    return query


@dataclass(frozen=True)
class Excerpt(Generic[T]):
    """The first few rows of a list for an overview, and how many the full list holds, so
    the overview's link to the full list can say so (nothing is cut off silently)."""

    rows: list[T]
    total: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def excerpt(items: QuerySet[Any], limit: int) -> Excerpt[Any]:
    """``limit`` rows of ``items`` (with whatever they prefetch) and how many there are:
    the same queries however many rows there are, so a page's cost does not depend on
    its data."""
    return Excerpt(list(items[:limit]), items.count())


CHUNK = 2000


def keyset_chunks(
    queryset: QuerySet[Any],
    *,
    field: str,
    descending: bool = False,
    size: int = CHUNK,
    first: int | None = None,
    position: Callable[[Any], tuple[Any, Any]] | None = None,
) -> Iterator[list[Any]]:
    """Every row of ``queryset`` in the order of ``(field, pk)``, ``size`` rows a query,
    each query starting where the last one stopped (keyset paging), for long exports.

    Not ``.iterator()``: outside a transaction, PostgreSQL materialises the whole result of
    its WITH HOLD cursor before the first row (8 s for a ledger of a million entries), and
    the plan, costed for every row, is JIT-compiled (a second or more). Each query here
    is a short ``LIMIT`` read off an index on ``(…, field, pk)``: the first rows come at
    once and the last as fast as the first (an ``OFFSET`` would reread every row before).

    ``field`` must never be NULL. For tables whose rows keep their place (the append-only
    ledger): a row added meanwhile after the current position is read, none is read twice
    or skipped. ``first`` makes the first query shorter, so a download's first bytes leave
    sooner; ``position`` reads ``(field, pk)`` from a row that is not a model instance
    (``values_list``).
    """
    sign = "-" if descending else ""
    ordered = queryset.order_by(f"{sign}{field}", f"{sign}pk")
    where = position or (lambda row: (getattr(row, field), row.pk))
    beyond = "lt" if descending else "gt"
    page, limit = ordered, first or size
    while True:
        rows = list(page[:limit])
        if rows:
            yield rows
        if len(rows) < limit:
            return
        value, pk = where(rows[-1])
        # The first condition alone is the index range the scan starts from; the second
        # only steps over the rows of the last value already read.
        page = ordered.filter(**{f"{field}__{beyond}e": value}).filter(
            Q(**{f"{field}__{beyond}": value}) | Q(**{f"pk__{beyond}": pk})
        )
        limit = size
