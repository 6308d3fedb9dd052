"""Odd, oversized and hostile input to the directory, its search and unknown addresses: a clear
message and a 4xx, never a 500 or a change."""

from __future__ import annotations

import pytest

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


def test_search_with_a_null_character_is_explained(anon):
    response = anon.get("/en/organisations/?q=%00")
    assert response.status_code == 400
    assert FILTER_MESSAGE in response.content.decode()
