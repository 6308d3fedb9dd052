"""Odd, oversized and hostile input to the organisation and relationship forms: a clear message
and a 4xx, never a 500 or a change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation, Relationship

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _demo_network(settings, request):
    # Hashing is not under test here; Argon2 for every persona only makes tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return request.getfixturevalue("demo")


@pytest.fixture
def admin_client(login, usc_admin):
    return login(usc_admin)


def _org_url(name: str, slug: str = USC) -> str:
    return reverse(f"network:{name}", kwargs={"slug": slug})


# --- Organisation edit ---------------------------------------------------------------


def _edit_data(org: Organisation, **overrides: object) -> dict[str, object]:
    """What the edit form posts for ``org`` unchanged (inputs are named ``name_en`` …)."""
    data: dict[str, object] = {
        "short_name": org.short_name,
        "original_language": org.original_language,
        "kind": org.kind,
        "country": org.country.code,  # type: ignore[attr-defined]  # a django-countries Country
        "region": org.region,
        "city": org.city,
        "languages": list(org.languages),
        "website": org.website,
        "founded_year": org.founded_year or "",
        "parent": org.parent_id or "",
    }
    for field in ("name", "description", "points_of_unity"):
        for code in CONTENT_LANGUAGES:
            data[f"{field}_{code}"] = getattr(org, field).get(code, "")
    if org.is_public:
        data["is_public"] = "on"
    data.update(overrides)
    return data


def test_edit_form_posts_translated_fields_by_language_code(admin_client):
    body = admin_client.get(_org_url("organisation_edit")).content.decode()
    for code in CONTENT_LANGUAGES:
        assert f'name="name_{code}"' in body
        assert f'name="description_{code}"' in body


def test_saving_the_edit_form_unchanged_changes_nothing(admin_client, usc):
    response = admin_client.post(_org_url("organisation_edit"), _edit_data(usc))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="network.organisation.updated").exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name_en", "the limit is 200"),
        ("name_uk", "the limit is 200"),
        ("description_en", "the limit is 5000"),
        ("short_name", "at most 40 characters"),
        ("city", "at most 100 characters"),
    ],
)
def test_oversized_organisation_field_is_refused_and_nothing_changes(
    admin_client, usc, field, message
):
    before = Organisation.objects.get(pk=usc.pk)
    response = admin_client.post(
        _org_url("organisation_edit"), _edit_data(usc, **{field: "я" * 10_000})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    after = Organisation.objects.get(pk=usc.pk)
    assert (after.name, after.description, after.short_name, after.city) == (
        before.name,
        before.description,
        before.short_name,
        before.city,
    )
    assert not AuditEntry.objects.filter(action="network.organisation.updated").exists()
    # The page heading still shows the stored name, not the rejected one.
    assert "Ukraine Solidarity Campaign" in body


def test_organisation_needs_a_name_in_some_language(admin_client, usc):
    blank = {f"name_{code}": "" for code in CONTENT_LANGUAGES}
    response = admin_client.post(_org_url("organisation_edit"), _edit_data(usc, **blank))
    assert response.status_code == 400
    assert "at least one language" in response.content.decode()
    assert Organisation.objects.get(pk=usc.pk).name == usc.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "bogus"),
        ("country", "ZZ"),
        ("languages", ["xx"]),
        ("original_language", "xx"),
        ("founded_year", "1066"),
        ("founded_year", "abc"),
        ("website", "javascript:alert(1)"),
        ("parent", "999999"),
    ],
)
def test_invalid_organisation_field_is_refused(admin_client, usc, field, value):
    response = admin_client.post(_org_url("organisation_edit"), _edit_data(usc, **{field: value}))
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()
    assert not AuditEntry.objects.filter(action="network.organisation.updated").exists()


def test_html_in_name_and_description_is_shown_escaped(admin_client, anon, usc):
    response = admin_client.post(
        _org_url("organisation_edit"),
        _edit_data(
            usc,
            name_en=f"{XSS} USC",
            short_name=XSS,  # the label in the network pictures
            description_en=f"{XSS}\n\n<img src=x onerror=alert(2)>",
        ),
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=usc.pk).name["en"] == f"{XSS} USC"
    pages = {
        "organisation": anon.get(_org_url("organisation")),
        "directory": anon.get("/en/organisations/?country=GB"),
        "graph": anon.get(_org_url("organisation_graph", slug="kvpu")),
        "network": anon.get(reverse("network:network")),
        "edit": admin_client.get(_org_url("organisation_edit")),
    }
    for name, page in pages.items():
        body = page.content.decode()
        assert page.status_code == 200, name
        assert XSS not in body, name
        assert "<img src=x" not in body, name
    assert XSS_ESCAPED in pages["organisation"].content.decode()
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages["organisation"].content.decode()
    for name in ("directory", "graph", "network"):
        assert XSS_ESCAPED in pages[name].content.decode(), name


UNICODE_NAMES = {
    "en": "Solidarity ✊🇺🇦 with 👩‍🔧 workers",
    "uk": "Солідарність з Україною — їжак, ґанок, «лапки»",
    "pl": "Zażółć gęślą jaźń — Solidarność",
    "ru": "Солидарность: ёжик и «ёлка»",
}
RTL_TEXT = "תמיכה ועזרה — تضامن مع أوكرانيا"


def test_unicode_names_round_trip(admin_client, anon, usc):
    names = {f"name_{code}": text for code, text in UNICODE_NAMES.items()}
    response = admin_client.post(
        _org_url("organisation_edit"),
        _edit_data(usc, **names, description_en=RTL_TEXT, city="Łódź"),
    )
    assert response.status_code == 302
    stored = Organisation.objects.get(pk=usc.pk)
    assert stored.name == UNICODE_NAMES
    assert stored.description["en"] == RTL_TEXT
    assert stored.city == "Łódź"
    for code, text in UNICODE_NAMES.items():
        body = anon.get(f"/{code}/org/{USC}/").content.decode()
        assert text in body, code
    assert RTL_TEXT in anon.get(f"/en/org/{USC}/").content.decode()
    assert UNICODE_NAMES["pl"] in anon.get("/pl/organisations/?country=GB").content.decode()
    # The edit form shows the stored text back unchanged.
    edit = admin_client.get(_org_url("organisation_edit")).content.decode()
    assert UNICODE_NAMES["uk"] in edit


def test_null_character_in_a_name_is_refused(admin_client, usc):
    response = admin_client.post(
        _org_url("organisation_edit"), _edit_data(usc, name_en="USC\x00", region="a\x00b")
    )
    assert response.status_code == 400
    assert Organisation.objects.get(pk=usc.pk).name == usc.name


def test_making_an_organisation_part_of_its_own_branch_is_refused_in_the_form(login, demo):
    from django.contrib.auth import get_user_model

    # The demo's USC organiser is admin of USC and of its private branch, so sees both.
    user = get_user_model().objects.get(email="organiser@usc.example")
    usc = demo[USC]
    response = login(user).post(
        _org_url("organisation_edit"), _edit_data(usc, parent=demo["usc-convoy-team"].pk)
    )
    assert response.status_code == 400
    assert "cannot be part of its own branch" in response.content.decode()
    assert Organisation.objects.get(pk=usc.pk).parent_id is None


# --- Relationships -------------------------------------------------------------------


def _relationship_data(target: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "supports",
        "target": target.pk,
        "since_year": "",
        "started_on": "",
        "ended_on": "",
        "evidence_url": "",
    }
    data.update(overrides)
    return data


def test_relationship_form_accepts_good_input(admin_client, demo):
    response = admin_client.post(
        _org_url("relationship_create"),
        _relationship_data(demo["npgu"], started_on="2022-03-01", ended_on="2023-01-01"),
    )
    assert response.status_code == 302
    assert Relationship.objects.filter(
        source__slug=USC, target__slug="npgu", kind="supports"
    ).exists()


@pytest.mark.parametrize(
    ("target_slug", "overrides", "message"),
    [
        (USC, {}, "Select a valid choice."),
        (
            "npgu",
            {"started_on": "2023-05-01", "ended_on": "2022-05-01"},
            "cannot end before it starts",
        ),
        ("kvpu", {"kind": "partner_of"}, "already"),  # recorded by the demo data
        ("npgu", {"kind": "bogus"}, "Select a valid choice."),
        ("npgu", {"since_year": "99999"}, "less than or equal to 2100"),
        ("npgu", {"started_on": "2023-02-30"}, "Enter a valid date."),
        ("npgu", {"evidence_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_bad_relationship_is_refused_with_a_message(
    admin_client, demo, target_slug, overrides, message
):
    relationships = Relationship.objects.count()
    response = admin_client.post(
        _org_url("relationship_create"), _relationship_data(demo[target_slug], **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Relationship.objects.count() == relationships


def test_duplicate_relationship_is_refused_not_a_server_error(admin_client, demo):
    data = _relationship_data(demo["npgu"])
    assert admin_client.post(_org_url("relationship_create"), data).status_code == 302
    relationships = Relationship.objects.count()
    response = admin_client.post(_org_url("relationship_create"), data)
    assert response.status_code == 400
    assert "already" in response.content.decode()
    assert Relationship.objects.count() == relationships
