"""Who gets what from every network page: a matrix of personas × URLs × exact status.

USC is the Ukraine Solidarity Campaign. ``usc_admin`` holds admin and organiser roles
there and nowhere else; roles do not pass to branches, so USC's private branch
``usc-convoy-team`` is as hidden from them as from anyone. ``razem_organiser`` and
``ussc_translator`` hold roles in other organisations only.

Not found and not allowed look the same to outsiders for private objects (404);
a public organisation's private pages say "not allowed" (403); anonymous visitors
are sent to sign in (302) before anything is looked up.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from spilka.accounts.tests.otp import mark_verified
from spilka.lib.models import AuditEntry
from spilka.network import services
from spilka.network.models import Organisation, OrganisationRole, Person
from spilka.network.tests.permission_personas import (  # noqa: F401 (_demo_network: autouse)
    CONVOY,
    CONVOY_NAMES,
    USC,
    _demo_network,
)
from spilka.network.tests.permission_personas import network_url as _url
from spilka.network.tests.permission_personas import persona_client as _client

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "usc_admin", "razem_organiser", "ussc_translator")
LOGIN_URL = "/en/accounts/login/"


def _assert_status(response, expected: int) -> None:
    assert response.status_code == expected, (
        f"expected {expected}, got {response.status_code} for {response.request['PATH_INFO']}"
    )
    if expected == 302:
        assert response["Location"].startswith(LOGIN_URL)


# --- The matrix: USC, a public organisation ------------------------------------------

PUBLIC = ("directory", "network", "organisation", "organisation_graph")
ORG_ADMIN_PAGES = ("organisation_edit", "relationship_create", "roles", "audit")
PERSON_PAGES = ("person", "person_edit", "consent_create")  # Olena Kovalenko, only at USC

USC_EXPECTED = {
    "anon": {
        **dict.fromkeys(PUBLIC, 200),
        **dict.fromkeys(ORG_ADMIN_PAGES, 302),
        "people": 302,
        "person_create": 302,
        **dict.fromkeys(PERSON_PAGES, 302),
    },
    "usc_admin": {
        **dict.fromkeys(PUBLIC, 200),
        **dict.fromkeys(ORG_ADMIN_PAGES, 200),
        "people": 200,
        "person_create": 200,
        **dict.fromkeys(PERSON_PAGES, 200),
    },
    # Outsiders see the public organisation, are refused its private pages, and cannot
    # even tell that its people exist.
    "razem_organiser": {
        **dict.fromkeys(PUBLIC, 200),
        **dict.fromkeys(ORG_ADMIN_PAGES, 403),
        "people": 403,
        "person_create": 403,
        **dict.fromkeys(PERSON_PAGES, 404),
    },
    "ussc_translator": {
        **dict.fromkeys(PUBLIC, 200),
        **dict.fromkeys(ORG_ADMIN_PAGES, 403),
        "people": 403,
        "person_create": 403,
        **dict.fromkeys(PERSON_PAGES, 404),
    },
}


@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        (persona, page, expected)
        for persona, pages in USC_EXPECTED.items()
        for page, expected in pages.items()
    ],
)
def test_each_persona_gets_the_exact_status_on_usc_pages(request, persona, page, expected):
    client = _client(request, persona)
    response = client.get(_url(page, slug=USC, person_email="olena@usc.example"))
    _assert_status(response, expected)


# --- The matrix: usc-convoy-team, a private branch of USC -----------------------------

CONVOY_PAGES = (
    "organisation",
    "organisation_graph",
    "organisation_edit",
    "relationship_create",
    "people",
    "person_create",
    "roles",
    "audit",
)


@pytest.mark.parametrize("page", CONVOY_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_private_branch_is_not_found_for_everyone_without_a_role_in_it(request, persona, page):
    client = _client(request, persona)
    response = client.get(_url(page, slug=CONVOY))
    login_first = persona == "anon" and page not in {"organisation", "organisation_graph"}
    _assert_status(response, 302 if login_first else 404)
    if response.status_code == 404:
        body = response.content.decode()
        assert not any(name in body for name in CONVOY_NAMES)


@pytest.mark.parametrize(
    ("persona", "parent", "expected"),
    [
        ("anon", USC, 302),
        ("usc_admin", USC, 200),  # USC's admin may add a branch to USC
        ("razem_organiser", USC, 403),
        ("ussc_translator", USC, 403),
        ("anon", CONVOY, 302),
        ("usc_admin", CONVOY, 404),
        ("razem_organiser", CONVOY, 404),
        ("anon", "", 302),
        ("usc_admin", "", 403),  # a free-standing organisation needs a superuser
        ("razem_organiser", "", 403),
        ("ussc_translator", "", 403),
    ],
)
def test_adding_an_organisation_needs_admin_of_its_parent(request, persona, parent, expected):
    url = reverse("network:organisation_create") + (f"?parent={parent}" if parent else "")
    _assert_status(_client(request, persona).get(url), expected)


def test_admin_of_usc_gets_nothing_from_its_branch_because_roles_do_not_pass_down(login, usc_admin):
    client = login(usc_admin)
    assert client.get(_url("organisation", slug=USC)).status_code == 200
    assert client.get(_url("organisation", slug=CONVOY)).status_code == 404
    assert client.get(_url("people", slug=CONVOY)).status_code == 404


# --- Roles mean something in one's own organisation ----------------------------------

OWN_ORG_EXPECTED = [
    # An organiser (not an admin) may see and add people, but not change the organisation.
    ("razem_organiser", "razem", "people", 200),
    ("razem_organiser", "razem", "person_create", 200),
    ("razem_organiser", "razem", "organisation_edit", 403),
    ("razem_organiser", "razem", "relationship_create", 403),
    ("razem_organiser", "razem", "roles", 403),
    ("razem_organiser", "razem", "audit", 403),
    # A translator works on texts, not with the contact list: no people, no adding.
    ("ussc_translator", "ussc", "people", 403),
    ("ussc_translator", "ussc", "person_create", 403),
    ("ussc_translator", "ussc", "organisation_edit", 403),
    ("ussc_translator", "ussc", "roles", 403),
    ("ussc_translator", "ussc", "audit", 403),
    # USC's admin is an outsider at USSC.
    ("usc_admin", "ussc", "people", 403),
    ("usc_admin", "ussc", "person_create", 403),
    ("usc_admin", "ussc", "organisation_edit", 403),
    ("usc_admin", "ussc", "audit", 403),
]


@pytest.mark.parametrize(("persona", "slug", "page", "expected"), OWN_ORG_EXPECTED)
def test_roles_grant_exactly_their_pages(request, persona, slug, page, expected):
    client = _client(request, persona)
    _assert_status(client.get(_url(page, slug=slug)), expected)


@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        # Translators may not see people, even of their own organisation.
        ("ussc_translator", "person", 404),
        ("ussc_translator", "consent_create", 404),
        ("ussc_translator", "person_edit", 404),
        ("usc_admin", "person_edit", 404),
        ("usc_admin", "person", 404),
        ("usc_admin", "consent_create", 404),
        ("razem_organiser", "person", 404),
        ("anon", "person", 302),
    ],
)
def test_person_of_ussc_is_visible_only_through_a_people_role_at_ussc(
    request, persona, page, expected
):
    client = _client(request, persona)
    _assert_status(client.get(_url(page, person_email="maria@ussc.example")), expected)


def test_organiser_who_is_not_admin_may_add_a_person(login, razem_organiser, demo):
    response = login(razem_organiser).post(
        _url("person_create", slug="razem"),
        {"full_name": "Ewa Nowicka", "email": "ewa@razem.example", "preferred_language": "pl"},
    )
    assert response.status_code == 302
    person = Person.objects.get(emails__email="ewa@razem.example")
    assert response["Location"] == _url("person", person_email="ewa@razem.example")
    assert person.memberships.get().organisation == demo["razem"]


def test_organiser_who_is_not_admin_cannot_edit_the_organisation(login, razem_organiser, demo):
    before = Organisation.objects.get(slug="razem").name
    response = login(razem_organiser).post(
        _url("organisation_edit", slug="razem"),
        {"name_en": "Renamed", "kind": "party", "country": "PL", "original_language": "pl"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get(slug="razem").name == before


# --- Revoking roles (POST only) ------------------------------------------------------


def _grant(email: str, slug: str, role: str) -> OrganisationRole:
    return OrganisationRole.objects.get(user__email=email, organisation__slug=slug, role=role)


def _revoke_url(grant: OrganisationRole, slug: str | None = None) -> str:
    return reverse(
        "network:role_revoke",
        kwargs={"slug": slug or grant.organisation.slug, "pk": grant.pk},
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 302), ("usc_admin", 302), ("razem_organiser", 403), ("ussc_translator", 403)],
)
def test_revoking_a_usc_role_needs_usc_admin(request, persona, expected):
    client = _client(request, persona)  # creating the persona writes audit rows of its own
    grant = _grant("organiser@usc.example", USC, "organiser")
    audit_rows = AuditEntry.objects.count()
    response = client.post(_revoke_url(grant))
    assert response.status_code == expected
    revoked = not OrganisationRole.objects.filter(pk=grant.pk).exists()
    if persona == "usc_admin":
        assert response["Location"] == _url("roles", slug=USC)
        assert revoked
        assert AuditEntry.objects.filter(action="network.role.revoked").count() == 1
    else:
        if persona == "anon":
            assert response["Location"].startswith(LOGIN_URL)
        assert not revoked
        assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoking_a_role_in_the_private_branch_is_not_found(request, persona):
    client = _client(request, persona)
    grant = _grant("organiser@usc.example", CONVOY, "admin")
    audit_rows = AuditEntry.objects.count()
    response = client.post(_revoke_url(grant))
    _assert_status(response, 302 if persona == "anon" else 404)
    assert OrganisationRole.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.count() == audit_rows


def test_admin_of_another_organisation_cannot_revoke_a_usc_role_through_their_own(demo):
    from django.test import Client

    razem_admin = get_user_model().objects.create_user(
        "admin@razem.test", "correct horse battery staple", display_name="razem admin"
    )
    services.role_grant(by="test setup", user=razem_admin, organisation=demo["razem"], role="admin")
    grant = _grant("organiser@usc.example", USC, "organiser")
    audit_rows = AuditEntry.objects.count()
    client = Client()
    mark_verified(client, razem_admin)  # admins verify a second factor
    # Their own organisation's address, USC's grant: the grant is not Razem's.
    assert client.post(_revoke_url(grant, slug="razem")).status_code == 404
    # USC's address: they hold no role there.
    assert client.post(_revoke_url(grant)).status_code == 403
    assert OrganisationRole.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("persona", ["usc_admin", "razem_organiser"])
def test_revoking_a_role_by_get_is_not_allowed(request, persona):
    grant = _grant("organiser@usc.example", USC, "organiser")
    response = _client(request, persona).get(_revoke_url(grant))
    assert response.status_code == 405
    assert OrganisationRole.objects.filter(pk=grant.pk).exists()


def test_anon_get_on_revoke_is_sent_to_sign_in(anon, demo):
    grant = _grant("organiser@usc.example", USC, "organiser")
    _assert_status(anon.get(_revoke_url(grant)), 302)
    assert OrganisationRole.objects.filter(pk=grant.pk).exists()


def test_admin_cannot_revoke_the_last_admin_of_usc(login, usc_admin):
    # Two admins at USC (the demo's and the persona); remove one, then the last is kept.
    client = login(usc_admin)
    demo_admin = _grant("organiser@usc.example", USC, "admin")
    assert client.post(_revoke_url(demo_admin)).status_code == 302
    own = _grant("admin@usc.test", USC, "admin")
    response = client.post(_revoke_url(own), follow=True)
    assert response.status_code == 200
    assert "at least one administrator" in response.content.decode()
    assert OrganisationRole.objects.filter(pk=own.pk).exists()
