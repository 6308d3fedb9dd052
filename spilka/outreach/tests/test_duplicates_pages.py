"""Possible duplicates are found by walking names on the index, a page at a time: each
group shown is a real shared name with its oldest supporters, and a page costs the same
few queries however many supporters and names there are."""

from __future__ import annotations

import re

import pytest

from spilka.lib.testing import user_with_roles
from spilka.outreach import selectors
from spilka.outreach.models import Supporter
from spilka.outreach.selectors import possible_duplicates

pytestmark = pytest.mark.django_db


@pytest.fixture
def razem_outreach(demo, login, announce):
    razem = demo["razem"]
    Supporter.objects.filter(organisation=razem).delete()
    names = {
        "Anna Kowalska": 3,
        "anna kowalska": 1,  # the same name, written otherwise
        "Bartosz Nowak": 1,
        "Celina Wiśniewska": 2,
        "Dawid Zieliński": 1,
        "Ewa Wójcik": 2,
    }
    n = 0
    for name, count in names.items():
        for _ in range(count):
            announce(razem, f"person{n}@example.org", name=name)
            n += 1
    announce(razem, "nameless@example.org", name="")
    announce(razem, "nameless2@example.org", name="")
    return razem


def _names(groups):
    return [group[0].name.lower() for group in groups]


def test_only_shared_names_are_grouped_with_their_oldest_supporters_first(razem_outreach):
    found = possible_duplicates(razem_outreach)
    assert _names(found.groups) == ["anna kowalska", "celina wiśniewska", "ewa wójcik"]
    assert [s.email for s in found.groups[0]] == [f"person{n}@example.org" for n in range(4)]
    assert found.more_after is None
    shown = possible_duplicates(razem_outreach, per_group=2)
    assert [len(group) for group in shown.groups] == [2, 2, 2]


def test_a_page_looks_at_a_bounded_number_of_names_and_the_next_goes_on(razem_outreach):
    first = possible_duplicates(razem_outreach, walk=2)
    # Two names looked at: "anna kowalska" (shared) and "bartosz nowak" (alone).
    assert _names(first.groups) == ["anna kowalska"]
    assert Supporter.objects.get(pk=first.more_after).name == "Bartosz Nowak"
    second = possible_duplicates(razem_outreach, walk=2, after=first.more_after)
    assert _names(second.groups) == ["celina wiśniewska"]
    third = possible_duplicates(razem_outreach, walk=2, after=second.more_after)
    assert _names(third.groups) == ["ewa wójcik"]
    assert third.more_after is None
    # At most ``limit`` groups a page; the next starts after the last one shown.
    one = possible_duplicates(razem_outreach, limit=1)
    assert _names(one.groups) == ["anna kowalska"]
    assert _names(possible_duplicates(razem_outreach, after=one.more_after).groups) == [
        "celina wiśniewska",
        "ewa wójcik",
    ]


def test_the_page_links_to_more_and_costs_the_same_queries(
    razem_outreach, login, demo, django_assert_max_num_queries, announce, monkeypatch
):
    monkeypatch.setattr(selectors, "DUPLICATE_NAMES_WALKED", 2)
    client = login(user_with_roles("outreach@razem.test", [(demo["razem"], "admin")]))
    url = f"/en/outreach/{razem_outreach.slug}/duplicates/"
    body = client.get(url).content.decode()
    assert "Anna Kowalska" in body and "Celina" not in body
    more = re.search(r'href="\?after=(\d+)"', body)
    assert more
    with django_assert_max_num_queries(40) as small:
        body = client.get(f"{url}?after={more.group(1)}").content.decode()
    assert "Celina Wiśniewska" in body and "Anna Kowalska" not in body
    for n in range(30):
        announce(razem_outreach, f"more{n}@example.org", name="Celina Wiśniewska")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(f"{url}?after={more.group(1)}").content.decode()
    assert body.count("compare") == 9  # the first ten of the name, compared with the first
    assert client.get(url + "?after=nonsense").status_code == 200
    assert client.get(url + "?after=99999999999999999999").status_code == 200
