"""No organisation can claim another on its own word.

A relationship recorded by the source's administrator is shown publicly only once the
target's administrators accept it; until then only the administrators of either side see
it, and only the target's may accept. A parent can be chosen only among organisations
the user administers.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles
from spilka.network.demo import load_demo
from spilka.network.models import Organisation, Relationship

pytestmark = pytest.mark.django_db

POSLE = "Posle (After)"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def posle_admin(demo):
    return user_with_roles("admin@posle.test", [(demo["posle"], "admin")])


@pytest.fixture
def ensu_admin(demo):
    return user_with_roles("admin@ensu.test", [(demo["ensu"], "admin")])


def _org_url(name: str, slug: str) -> str:
    return reverse(f"network:{name}", kwargs={"slug": slug})


def _claim_membership(client, demo) -> Relationship:
    response = client.post(
        _org_url("relationship_create", "posle"),
        {"kind": "member_of", "target": demo["ensu"].pk},
    )
    assert response.status_code == 302
    return Relationship.objects.get(source__slug="posle", kind="member_of", target__slug="ensu")


def _accept_url(rel: Relationship, slug: str = "ensu") -> str:
    return reverse("network:relationship_accept", kwargs={"slug": slug, "pk": rel.pk})


# --- A claim is not shown until accepted ---------------------------------------------


def test_a_claimed_membership_is_not_shown_on_the_networks_public_page(
    login, anon, posle_admin, demo
):
    rel = _claim_membership(login(posle_admin), demo)
    assert rel.confirmed is False
    body = anon.get(_org_url("organisation", "ensu")).content.decode()
    assert "Members of this network" in body  # the confirmed members are listed
    assert "Left Together (Razem)" in body
    assert POSLE not in body
    assert _org_url("organisation", "posle") not in body


@pytest.mark.parametrize("persona", ["anon", "razem_organiser", "usc_admin"])
def test_a_claim_is_not_in_the_pictures(request, login, posle_admin, demo, persona):
    _claim_membership(login(posle_admin), demo)
    client = (
        request.getfixturevalue("anon")
        if persona == "anon"
        else login(request.getfixturevalue(persona))
    )
    graph = client.get(_org_url("organisation_graph", "ensu")).content.decode()
    assert POSLE not in graph
    network = client.get(reverse("network:network")).content.decode()
    assert f"<title>{POSLE} is a member of ENSU</title>" not in network
    source_page = client.get(_org_url("organisation", "posle")).content.decode()
    assert "European Network for Solidarity with Ukraine" not in source_page


def test_the_claiming_side_sees_its_claim_awaiting_confirmation(login, posle_admin, demo):
    client = login(posle_admin)
    _claim_membership(client, demo)
    body = client.get(_org_url("organisation", "posle")).content.decode()
    assert "European Network for Solidarity with Ukraine" in body
    assert "Awaiting confirmation" in body
    assert "/relationships/" not in body.split("Awaiting confirmation")[1].split("</tr>")[0]


def test_the_targets_admin_sees_the_claim_with_an_accept_button(
    login, posle_admin, ensu_admin, demo
):
    rel = _claim_membership(login(posle_admin), demo)
    body = login(ensu_admin).get(_org_url("organisation", "ensu")).content.decode()
    assert POSLE in body
    assert "Awaiting confirmation" in body
    assert f'action="{_accept_url(rel)}"' in body
    members = body.split("Members of this network")[1].split("</section>")[0]
    assert POSLE not in members  # not a member until accepted


def test_a_network_organiser_who_is_not_admin_does_not_see_the_claim(login, posle_admin, demo):
    _claim_membership(login(posle_admin), demo)
    organiser = get_user_model().objects.get(email="international@razem.example")
    body = login(organiser).get(_org_url("organisation", "ensu")).content.decode()
    assert POSLE not in body


# --- Accepting -----------------------------------------------------------------------


def test_the_targets_admin_accepts_and_the_member_is_listed(
    login, anon, posle_admin, ensu_admin, demo
):
    rel = _claim_membership(login(posle_admin), demo)
    response = login(ensu_admin).post(_accept_url(rel))
    assert response.status_code == 302
    assert response["Location"] == _org_url("organisation", "ensu")
    rel.refresh_from_db()
    assert rel.confirmed is True
    entry = AuditEntry.objects.get(action="network.relationship.confirmed", object_id=str(rel.pk))
    assert entry.actor == ensu_admin
    assert entry.organisation == demo["ensu"]
    assert (entry.before, entry.after) == ({"confirmed": False}, {"confirmed": True})
    body = anon.get(_org_url("organisation", "ensu")).content.decode()
    members = body.split("Members of this network")[1].split("</section>")[0]
    assert POSLE in members
    assert POSLE in anon.get(_org_url("organisation_graph", "ensu")).content.decode()
    network = anon.get(reverse("network:network")).content.decode()
    assert f"<title>{POSLE} is a member of ENSU</title>" in network


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 302), ("posle_admin", 403), ("razem_organiser", 403), ("usc_admin", 403)],
)
def test_only_the_targets_admin_may_accept(request, login, posle_admin, demo, persona, expected):
    rel = _claim_membership(login(posle_admin), demo)
    client = (
        request.getfixturevalue("anon")
        if persona == "anon"
        else login(request.getfixturevalue(persona))
    )
    assert client.post(_accept_url(rel)).status_code == expected
    rel.refresh_from_db()
    assert rel.confirmed is False
    assert not AuditEntry.objects.filter(action="network.relationship.confirmed").exists()


def test_the_source_cannot_accept_through_its_own_address(login, posle_admin, demo):
    rel = _claim_membership(login(posle_admin), demo)
    response = login(posle_admin).post(_accept_url(rel, slug="posle"))
    assert response.status_code == 404
    rel.refresh_from_db()
    assert rel.confirmed is False


def test_accepting_by_get_is_not_allowed(login, posle_admin, ensu_admin, demo):
    rel = _claim_membership(login(posle_admin), demo)
    assert login(ensu_admin).get(_accept_url(rel)).status_code == 405
    rel.refresh_from_db()
    assert rel.confirmed is False


def test_accepting_an_unknown_relationship_is_not_found(login, ensu_admin):
    url = reverse("network:relationship_accept", kwargs={"slug": "ensu", "pk": 999999})
    assert login(ensu_admin).post(url).status_code == 404


# --- Who confirms at once ------------------------------------------------------------


def test_an_admin_of_both_sides_records_a_confirmed_relationship(login, demo):
    user = user_with_roles("both@example.test", [(demo["posle"], "admin"), (demo["ensu"], "admin")])
    rel = _claim_membership(login(user), demo)
    assert rel.confirmed is True


def test_demo_relationships_are_all_confirmed(demo):
    assert Relationship.objects.exists()
    assert not Relationship.objects.filter(confirmed=False).exists()


def test_load_demo_confirms_demo_relationships_loaded_before_confirmation(demo):
    Relationship.objects.filter(source__slug="razem", target__slug="ensu").update(confirmed=False)
    load_demo()
    assert Relationship.objects.get(source__slug="razem", target__slug="ensu").confirmed


# --- Parents: only one's own organisations -------------------------------------------


def _edit_data(org: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_en": org.name.get("en", ""),
        "name_uk": org.name.get("uk", ""),
        "name_pl": org.name.get("pl", ""),
        "name_ru": org.name.get("ru", ""),
        "original_language": org.original_language,
        "kind": org.kind,
        "country": org.country.code,  # type: ignore[attr-defined]  # a django-countries Country
        "languages": list(org.languages),
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_an_admin_cannot_make_their_organisation_a_branch_of_another(login, posle_admin, demo):
    posle = demo["posle"]
    client = login(posle_admin)
    form = client.get(_org_url("organisation_edit", "posle")).content.decode()
    assert f'value="{demo["ensu"].pk}"' not in form
    response = client.post(
        _org_url("organisation_edit", "posle"), _edit_data(posle, parent=demo["ensu"].pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Organisation.objects.get(pk=posle.pk).parent_id is None
    branches = login(posle_admin).get(_org_url("organisation", "ensu")).content.decode()
    assert "Branches and sections" not in branches


def test_an_admin_of_both_may_attach_one_to_the_other(login, demo):
    user = user_with_roles("both@example.test", [(demo["posle"], "admin"), (demo["ensu"], "admin")])
    response = login(user).post(
        _org_url("organisation_edit", "posle"), _edit_data(demo["posle"], parent=demo["ensu"].pk)
    )
    assert response.status_code == 302
    assert Organisation.objects.get(slug="posle").parent == demo["ensu"]


def test_a_branch_admin_keeps_the_parent_they_cannot_choose(login, demo):
    # The demo's NPGU Pavlohrad admin does not administer NPGU, its parent.
    user = get_user_model().objects.get(email="logistics@npgu.example")
    branch = demo["npgu-pavlohrad"]
    client = login(user)
    form = client.get(_org_url("organisation_edit", branch.slug)).content.decode()
    assert 'name="parent"' not in form
    response = client.post(
        _org_url("organisation_edit", branch.slug),
        _edit_data(branch, city="Pavlohrad-2", parent=""),
    )
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.city == "Pavlohrad-2"
    assert branch.parent == demo["npgu"]


def test_the_edit_form_never_names_a_private_parent(login, demo):
    from spilka.network import services

    hidden = services.organisation_create(
        by="test",
        slug="hidden-union",
        name={"en": "Hidden Union of Dockers"},
        kind="trade_union",
        country="GB",
        is_public=False,
    )
    branch = services.organisation_create(
        by="test",
        slug="open-branch",
        name={"en": "Open branch"},
        kind="union_branch",
        country="GB",
        parent=hidden,
        is_public=True,
    )
    admin = user_with_roles("admin@open.test", [(branch, "admin")])
    body = login(admin).get(_org_url("organisation_edit", "open-branch")).content.decode()
    assert "Hidden Union of Dockers" not in body
    assert f'value="{hidden.pk}"' not in body
