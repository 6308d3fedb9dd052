import pytest

from spilka.lib.models import AuditEntry
from spilka.network.access import has_role
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db


def _form(slug, **extra):
    data = {
        "slug": slug,
        "name_en": "USC Sheffield group",
        "original_language": "en",
        "kind": "campaign",
        "country": "GB",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_parent_admin_adds_a_branch_and_becomes_its_admin(login, usc_admin, usc):
    client = login(usc_admin)
    response = client.post(
        "/en/org/new/?parent=ukraine-solidarity-campaign", _form("usc-sheffield")
    )
    assert response.status_code == 302
    branch = Organisation.objects.get(slug="usc-sheffield")
    assert branch.parent == usc
    assert has_role(usc_admin, branch, {"admin"})
    assert AuditEntry.objects.filter(
        action="network.organisation.created", object_id=str(branch.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="network.role.granted", organisation=branch).exists()


def test_branch_cannot_be_attached_to_another_parent(login, usc_admin, demo):
    client = login(usc_admin)
    client.post(
        "/en/org/new/?parent=ukraine-solidarity-campaign",
        _form("usc-leeds", parent=str(demo["razem"].pk)),
    )
    assert Organisation.objects.get(slug="usc-leeds").parent.slug == "ukraine-solidarity-campaign"


def test_outsider_cannot_add_a_branch(login, razem_organiser, usc):
    response = login(razem_organiser).post(
        "/en/org/new/?parent=ukraine-solidarity-campaign", _form("x-branch")
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="x-branch").exists()


def test_only_superusers_add_top_level_organisations(login, usc_admin, anon):
    assert login(usc_admin).get("/en/org/new/").status_code == 403
    assert anon.get("/en/org/new/").status_code == 302


def test_reserved_and_taken_addresses_are_refused(login, usc_admin, usc):
    client = login(usc_admin)
    response = client.post("/en/org/new/?parent=ukraine-solidarity-campaign", _form("new"))
    assert response.status_code == 400
    assert "reserved" in response.content.decode()
    response = client.post("/en/org/new/?parent=ukraine-solidarity-campaign", _form("razem"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_organiser_edits_a_persons_details(login, usc_admin, demo):
    from spilka.network.models import Person

    olena = Person.objects.get(emails__email="olena@usc.example")
    client = login(usc_admin)
    response = client.post(
        f"/en/people/{olena.pk}/edit/",
        {
            "full_name": "Olena Kovalenko-Smith",
            "phone": "+44 20 7946 0000",
            "country": "GB",
            "preferred_language": "uk",
        },
    )
    assert response.status_code == 302
    olena.refresh_from_db()
    assert olena.full_name == "Olena Kovalenko-Smith"
    assert olena.phone == "+442079460000"
    entry = AuditEntry.objects.get(action="network.person.updated", object_id=str(olena.pk))
    assert entry.before["full_name"] == "Olena Kovalenko"


def test_outsider_cannot_edit_a_person(login, razem_organiser, demo):
    from spilka.network.models import Person

    olena = Person.objects.get(emails__email="olena@usc.example")
    response = login(razem_organiser).post(f"/en/people/{olena.pk}/edit/", {"full_name": "X"})
    assert response.status_code == 404
    olena.refresh_from_db()
    assert olena.full_name == "Olena Kovalenko"


def test_bad_phone_on_edit_is_explained(login, usc_admin, demo):
    from spilka.network.models import Person

    olena = Person.objects.get(emails__email="olena@usc.example")
    response = login(usc_admin).post(
        f"/en/people/{olena.pk}/edit/",
        {"full_name": "Olena", "phone": "12345", "country": "GB", "preferred_language": "uk"},
    )
    assert response.status_code == 400
    assert "phone number" in response.content.decode()


def test_working_group_members_are_shown_only_to_the_networks_roles(login, anon, demo):
    from spilka.network.services import role_grant

    body = anon.get("/en/org/ensu/").content.decode()
    assert "Feminist" in body
    assert "Agnieszka Nowak" not in body

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("wg@ensu.test", "pw-123456789")
    role_grant(by="test", user=user, organisation=demo["ensu"], role="viewer")
    assert "Agnieszka Nowak" in login(user).get("/en/org/ensu/").content.decode()
