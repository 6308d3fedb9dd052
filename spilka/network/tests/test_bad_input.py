"""Odd, oversized and hostile input: a clear message and a 4xx, never a 500 or a change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation, Person, PersonEmail, Relationship

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
FILTER_MESSAGE = "Some filters could not be used:"
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


# --- Unknown addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/org/no-such-org/", "/en/org/no-such-org/graph.svg", "/uk/org/no-such-org/"]
)
def test_unknown_organisation_is_not_found(anon, path):
    assert anon.get(path).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/en/people/999999/"),
        ("get", "/en/people/999999/consents/new/"),
        ("get", "/en/org/no-such-org/edit/"),
        ("get", "/en/org/no-such-org/people/"),
        ("get", "/en/org/no-such-org/people/new/"),
        ("get", "/en/org/no-such-org/relationships/new/"),
        ("get", "/en/org/no-such-org/roles/"),
        ("get", "/en/org/no-such-org/audit/"),
        ("post", "/en/org/no-such-org/roles/1/revoke/"),
        ("post", f"/en/org/{USC}/roles/999999/revoke/"),
    ],
)
def test_unknown_object_is_not_found_even_for_an_admin(admin_client, method, path):
    assert getattr(admin_client, method)(path).status_code == 404


# --- Directory filters ---------------------------------------------------------------

BAD_FILTERS = [
    "?country=ZZ",
    "?country=%3Cscript%3E",
    "?kind=bogus",
    "?language=xx",
    "?page=abc",
    "?page=-1",
    "?page=0",
    "?page=99999999999",
    "?q=" + "x" * 10_000,
]


@pytest.mark.parametrize("query", BAD_FILTERS, ids=lambda q: q[:20])
def test_malformed_directory_filter_is_explained_and_the_list_still_shown(anon, query):
    response = anon.get("/en/organisations/" + query)
    body = response.content.decode()
    assert response.status_code == 400
    assert FILTER_MESSAGE in body
    assert 'role="alert"' in body
    # The bad filter is dropped, the others (none here) applied: the whole list is shown.
    assert "National Union of Mineworkers, Durham Area" in body
    assert "<script>" not in body


def test_directory_does_not_echo_a_bad_country_unescaped(anon):
    body = anon.get("/en/organisations/?country=%3Cb%3E").content.decode()
    assert "<b>" not in body


def test_valid_filters_are_applied_next_to_an_invalid_one(anon):
    response = anon.get("/en/organisations/?country=UA&kind=bogus")
    body = response.content.decode()
    assert response.status_code == 400
    assert FILTER_MESSAGE in body
    assert "Confederation of Free Trade Unions of Ukraine" in body
    assert "Left Together (Razem)" not in body


@pytest.mark.parametrize("query", ["", "?q=", "?country=gb", "?page=1", "?page=500"])
def test_well_formed_directory_filters_are_not_errors(anon, query):
    response = anon.get("/en/organisations/" + query)
    assert response.status_code == 200
    assert FILTER_MESSAGE not in response.content.decode()


def test_search_text_is_shown_back_escaped(anon):
    body = anon.get("/en/organisations/", {"q": XSS}).content.decode()
    assert XSS_ESCAPED in body
    assert XSS not in body


def test_malformed_filter_message_is_translated_in_ukrainian(anon):
    response = anon.get("/uk/organisations/?kind=bogus&page=abc")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'lang="uk"' in body
    assert 'role="alert"' in body
    assert "Незалежна профспілка гірників України" in body  # the list, in Ukrainian
    # From spilka/locale/uk/LC_MESSAGES/django.po ("Some filters could not be used:").
    assert "Деякі фільтри не вдалося застосувати:" in body
    assert FILTER_MESSAGE not in body


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


# --- People --------------------------------------------------------------------------


def _person_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Iryna Bondarenko",
        "email": "iryna@usc.example",
        "phone": "",
        "country": "GB",
        "preferred_language": "uk",
        "role_title": "Volunteer",
    }
    data.update(overrides)
    return data


def test_person_form_accepts_good_input(admin_client):
    # The control for the refusals below: the same form, well filled, creates a person.
    response = admin_client.post(_org_url("person_create"), _person_data(phone="020 7946 0958"))
    assert response.status_code == 302
    person = Person.objects.get(emails__email="iryna@usc.example")
    assert person.phone == "+442079460958"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "two@@example.org"}, "email", "Enter a valid email address."),
        ({"phone": "12345", "country": ""}, "phone", "with its country code"),
        ({"phone": "abc"}, "phone", "with its country code"),
        ({"phone": "12345", "country": "GB"}, "phone", "This phone number is not valid."),
        ({"email": "OLENA@usc.example"}, "email", "already in your organisation's directory"),
        ({"email": " olena@USC.EXAMPLE "}, "email", "already in your organisation's directory"),
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"full_name": "x" * 10_000}, "full_name", "at most 200 characters"),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"preferred_language": "xx"}, "preferred_language", "Select a valid choice."),
    ],
)
def test_bad_person_input_gets_a_field_error_and_creates_nothing(
    admin_client, overrides, field, message
):
    people = Person.objects.count()
    emails = PersonEmail.objects.count()
    audit_rows = AuditEntry.objects.count()
    response = admin_client.post(_org_url("person_create"), _person_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Person.objects.count() == people
    assert PersonEmail.objects.count() == emails
    assert AuditEntry.objects.count() == audit_rows


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


# --- Search text in any alphabet -----------------------------------------------------

NO_MATCH = "No organisation matches these filters."


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/uk/organisations/?q=Незалежна", "Незалежна профспілка гірників України"),
        ("/uk/organisations/?q=незалежна", "Незалежна профспілка гірників України"),
        ("/pl/organisations/?q=Solidarności", "Kampania Solidarności z Ukrainą"),
        ("/en/organisations/?q=Ukrainą", "Kampania Solidarności z Ukrainą"),
        ("/ru/organisations/?q=Зона", "Зона солидарности"),
    ],
    ids=["ukrainian", "ukrainian-lower-case", "polish", "polish-from-english", "russian"],
)
def test_search_finds_organisations_by_names_in_any_alphabet(anon, path, expected):
    response = anon.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert NO_MATCH not in body
    if "/en/" in path:
        # The English page shows English names; the match is on the Polish one.
        assert "Ukraine Solidarity Campaign" in body
    else:
        assert expected in body


@pytest.mark.parametrize(
    "q", ['":', '{"', '", "', "\\u04"], ids=["colon", "brace", "comma", "escape"]
)
def test_search_does_not_match_how_names_are_stored(anon, q):
    # Names are a JSON map; searching must look at the text, not the JSON around it.
    response = anon.get("/en/organisations/", {"q": q})
    body = response.content.decode()
    assert response.status_code == 200
    assert NO_MATCH in body


def test_search_for_a_language_code_does_not_list_every_organisation(anon):
    # "ru" is a key of every translated name; only names containing "ru" should match.
    body = anon.get("/en/organisations/", {"q": "ru"}).content.decode()
    assert "Left Together (Razem)" not in body
    assert "Posle (After)" not in body
    assert "Social Movement (Sotsialnyi Rukh)" in body


# --- Other private forms -------------------------------------------------------------


def test_null_character_in_a_name_is_refused(admin_client, usc):
    response = admin_client.post(
        _org_url("organisation_edit"), _edit_data(usc, name_en="USC\x00", region="a\x00b")
    )
    assert response.status_code == 400
    assert Organisation.objects.get(pk=usc.pk).name == usc.name


def test_search_with_a_null_character_is_explained(anon):
    response = anon.get("/en/organisations/?q=%00")
    assert response.status_code == 400
    assert FILTER_MESSAGE in response.content.decode()


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


def _consent_data(for_organisation: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organisation": for_organisation.pk,
        "purpose": "updates",
        "granted": "yes",
        "wording": "I would like email updates.",
        "wording_language": "en",
        "source": "stall at a union conference",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": "sell_my_data"}, "Select a valid choice."),
        ({"granted": "maybe"}, "Select a valid choice."),
        ({"wording": ""}, "This field is required."),
        ({"wording": "x" * 10_000}, "at most 2000 characters"),
        ({"source": "x" * 10_000}, "at most 200 characters"),
        ({"organisation": "999999"}, "Select a valid choice."),
        ({"wording_language": "xx"}, "Select a valid choice."),
        ({"wording_language": ""}, "This field is required."),
    ],
)
def test_bad_consent_input_is_refused_and_records_nothing(admin_client, overrides, message):
    from spilka.network.models import Consent

    olena = Person.objects.get(emails__email="olena@usc.example")
    consents = Consent.objects.count()
    response = admin_client.post(
        reverse("network:consent_create", kwargs={"pk": olena.pk}),
        _consent_data(Organisation.objects.get(slug=USC), **overrides),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Consent.objects.count() == consents


def test_consent_cannot_be_recorded_for_an_organisation_the_user_does_not_run(admin_client, demo):
    from spilka.network.models import Consent

    olena = Person.objects.get(emails__email="olena@usc.example")
    consents = Consent.objects.count()
    response = admin_client.post(
        reverse("network:consent_create", kwargs={"pk": olena.pk}), _consent_data(demo["razem"])
    )
    assert response.status_code == 400
    assert Consent.objects.count() == consents


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Issue 13: an address without an account is no longer refused (it would say whether
        # the address has an account); see test_role_invitations.py.
        ({"email": "not-an-email", "role": "viewer"}, "Enter a valid email address."),
        ({"email": "organiser@razem.test", "role": "emperor"}, "Select a valid choice."),
    ],
)
def test_bad_role_grant_is_refused(admin_client, razem_organiser, data, message):
    from spilka.network.models import OrganisationRole

    grants = OrganisationRole.objects.count()
    response = admin_client.post(_org_url("roles"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert OrganisationRole.objects.count() == grants


@pytest.mark.parametrize("page", ["people", "audit"])
@pytest.mark.parametrize("number", ["abc", "-1", "0", "99999999999"])
def test_odd_page_numbers_on_private_lists_show_a_page(admin_client, page, number):
    response = admin_client.get(_org_url(page), {"page": number})
    assert response.status_code == 200
    if page == "people":
        assert "Olena Kovalenko" in response.content.decode()
