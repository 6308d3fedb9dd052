"""The language switcher: links that set the visitor's language cookie and return to the
same page in the chosen language."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_switching_goes_to_the_same_page_in_that_language_and_remembers_it(client, demo):
    response = client.get("/language/", {"to": "uk", "next": "/en/petitions/iaea-zaporizhzhia/"})
    assert response.status_code == 302
    assert response["Location"] == "/uk/petitions/iaea-zaporizhzhia/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    # The cookie is what the unprefixed home page then follows.
    assert client.get("/")["Location"].startswith("/uk/")


def test_every_page_links_each_language_with_its_own_path(client, demo):
    page = client.get("/en/petitions/iaea-zaporizhzhia/?ref=x").content.decode()
    for code in ("en", "uk", "pl", "ru"):
        assert (
            f'href="/language/?to={code}&amp;next=/en/petitions/iaea-zaporizhzhia/%3Fref%3Dx"'
            in page
        )
    assert 'lang="en" hreflang="en" aria-current="true"' in page


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_a_next_address_off_the_site_goes_home_instead(client, next_url):
    response = client.get("/language/", {"to": "pl", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] in {"/", "/pl/"}


def test_an_unknown_language_falls_back_to_the_default(client):
    response = client.get("/language/", {"to": "xx", "next": "/uk/"})
    assert response.status_code == 302
    assert response["Location"] == f"/{settings.LANGUAGE_CODE}/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    "next_url",
    [
        "foo",
        "accounts:login",
        "//evil.example",
        "///evil.example/",
        "/\\evil.example",
        "https://evil.example/en/",
        "javascript:alert(1)",
        "data:text/html,hi",
        " /en/",
        "/\t/evil.example",
        "/" + "a" * 5000,
    ],
)
def test_a_next_that_is_not_a_path_of_this_site_goes_to_the_front_page_in_that_language(
    client, next_url
):
    response = client.get("/language/", {"to": "pl", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/pl/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"


@pytest.mark.parametrize("code", ["xx", "", "en-gb-x-" + "z" * 300, "../", "uk\n"])
def test_an_unknown_language_with_a_bad_next_goes_to_the_default_front_page(client, code):
    response = client.get("/language/", {"to": code, "next": "foo"})
    assert response.status_code == 302
    assert response["Location"] == f"/{settings.LANGUAGE_CODE}/"


def test_a_local_path_that_is_no_page_stays_local(client):
    response = client.get("/language/", {"to": "uk", "next": "/en/no-such-page/?q=1"})
    assert response.status_code == 302
    assert response["Location"] == "/en/no-such-page/?q=1"
