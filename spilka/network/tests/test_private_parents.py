"""A public branch of a private organisation never names its parent to those who cannot see it.

``hidden-union`` is private; its branch ``open-branch`` is public. Only users with a role in
``hidden-union`` (and superusers) may learn that the branch belongs to it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.lib.testing import user_with_roles
from spilka.network import services
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

PARENT_NAME = "Hidden Union of Dockers"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hidden_parent(demo):
    return services.organisation_create(
        by="test",
        slug="hidden-union",
        name={"en": PARENT_NAME},
        kind="trade_union",
        country="GB",
        is_public=False,
    )


@pytest.fixture
def open_branch(hidden_parent):
    return services.organisation_create(
        by="test",
        slug="open-branch",
        name={"en": "Open dockers' branch"},
        kind="union_branch",
        country="GB",
        parent=hidden_parent,
        is_public=True,
    )


@pytest.fixture
def hidden_member(hidden_parent):
    return user_with_roles("viewer@hidden.test", [(hidden_parent, "viewer")])


def _pages(client, branch: Organisation) -> dict[str, str]:
    return {
        "organisation": client.get(branch.get_absolute_url()).content.decode(),
        "directory": client.get(reverse("network:directory"), {"q": "dockers"}).content.decode(),
        "graph": client.get(
            reverse("network:organisation_graph", kwargs={"slug": branch.slug})
        ).content.decode(),
    }


@pytest.mark.parametrize("persona", ["anon", "usc_admin", "razem_organiser", "ussc_translator"])
def test_public_branch_of_a_private_organisation_never_names_its_parent(
    request, persona, open_branch
):
    client = (
        request.getfixturevalue("anon")
        if persona == "anon"
        else request.getfixturevalue("login")(request.getfixturevalue(persona))
    )
    for page, body in _pages(client, open_branch).items():
        assert "Open dockers" in body, page  # the branch itself is shown
        assert PARENT_NAME not in body, page
        assert "hidden-union" not in body, page
        assert "Part of" not in body, page


def test_member_of_the_private_parent_sees_where_the_branch_belongs(
    login, open_branch, hidden_member
):
    pages = _pages(login(hidden_member), open_branch)
    assert PARENT_NAME in pages["organisation"]
    assert reverse("network:organisation", kwargs={"slug": "hidden-union"}) in pages["organisation"]
    assert f"Part of {PARENT_NAME}" in pages["directory"]


def test_directory_still_names_a_public_parent(anon, demo):
    body = anon.get(reverse("network:directory"), {"q": "durham"}).content.decode()
    assert "Part of National Union of Mineworkers" in body


def test_organisation_page_still_links_a_public_parent(anon, demo):
    body = anon.get(reverse("network:organisation", kwargs={"slug": "num-durham"})).content.decode()
    assert 'href="/en/org/num/"' in body


def test_branch_of_a_private_organisation_is_private_unless_said_otherwise(hidden_parent):
    branch = services.organisation_create(
        by="test",
        slug="hidden-branch",
        name={"en": "Hidden branch"},
        kind="union_branch",
        country="GB",
        parent=hidden_parent,
    )
    assert branch.is_public is False
    public = services.organisation_create(
        by="test",
        slug="public-branch",
        name={"en": "Public branch"},
        kind="union_branch",
        country="GB",
        parent=hidden_parent,
        is_public=True,
    )
    assert public.is_public is True


def test_branch_of_a_public_organisation_stays_public_by_default(demo):
    branch = services.organisation_create(
        by="test",
        slug="usc-leeds",
        name={"en": "USC Leeds"},
        kind="campaign",
        country="GB",
        parent=demo["ukraine-solidarity-campaign"],
    )
    assert branch.is_public is True


def test_branch_form_under_a_private_parent_starts_unticked(login, demo):
    from django.contrib.auth import get_user_model

    # The demo's USC organiser administers the private convoy team.
    user = get_user_model().objects.get(email="organiser@usc.example")
    client = login(user)
    form = client.get(reverse("network:organisation_create") + "?parent=usc-convoy-team")
    assert form.status_code == 200
    assert form.context["form"]["is_public"].value() is False
    public_parent = client.get(
        reverse("network:organisation_create") + "?parent=ukraine-solidarity-campaign"
    )
    assert public_parent.context["form"]["is_public"].value() is True
