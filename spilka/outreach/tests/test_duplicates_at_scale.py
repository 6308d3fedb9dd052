"""Possible duplicates when a name is common: each group shows its first few supporters,
in the same queries however many share the name."""

from __future__ import annotations

import pytest

from spilka.outreach.selectors import possible_duplicates

pytestmark = pytest.mark.django_db


def test_a_name_shared_by_many_supporters_shows_its_first_ten_in_the_same_queries(
    demo, announce, login, usc_admin, django_assert_max_num_queries
):
    usc = demo["ukraine-solidarity-campaign"]
    client = login(usc_admin)
    url = f"/en/outreach/{usc.slug}/duplicates/"
    for n in range(3):
        announce(usc, f"maria.{n}@example.org", name="Aaron Abramowicz")
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    for n in range(3, 14):
        announce(usc, f"maria.{n}@example.org", name="aaron abramowicz")

    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()

    groups = [g for g in possible_duplicates(usc).groups if g[0].name.lower() == "aaron abramowicz"]
    assert len(groups) == 1
    assert [s.email for s in groups[0]] == [f"maria.{n}@example.org" for n in range(10)]
    assert body.count("compare") >= 9
    assert "maria.13@example.org" not in body
