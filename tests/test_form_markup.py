"""Every app's forms, as a screen reader meets them (issue 18).

One representative form page of each app that renders its fields through the project's
field template (spilka/templates/forms/field.html, via ``FORM_RENDERER``): blank, and
sent back empty so it comes back with errors. On each, ids are unique, every label and
``aria-describedby`` names an element of the page, every field has a label, and an invalid
field is described by its own error list (tests/form_markup.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from conftest import client_for
from spilka.lib.testing import user_with_roles
from spilka.lib.widgets import CountrySelect
from tests.form_markup import described_by, form_markup_problems

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
CAMPAIGN = "zaporizhzhia-iaea"


@dataclass(frozen=True)
class Page:
    """A form page: its URL, who opens it, and whether an empty post comes back with errors."""

    app: str
    url: Callable[[], str]
    who: str  # "admin", "treasurer" or "anonymous"
    empty_post_is_refused: bool = True


PAGES = [
    Page("accounts", lambda: reverse("accounts:password_reset"), "anonymous"),
    Page("network", lambda: reverse("network:organisation_edit", args=[USC]), "admin"),
    Page("network roles", lambda: reverse("network:roles", args=[USC]), "admin"),
    Page("api", lambda: reverse("api_keys:list", args=[USC]), "admin"),
    Page("campaigns", lambda: reverse("campaigns:statement_create", args=[CAMPAIGN]), "admin"),
    Page("campaigns bills", lambda: reverse("campaigns:bill_create", args=[CAMPAIGN]), "admin"),
    Page("events", lambda: reverse("events:create"), "admin"),
    Page("publishing", lambda: reverse("publishing:publication_create"), "admin"),
    Page("outreach", lambda: reverse("outreach:segment_new", args=[USC]), "admin"),
    Page("funds", lambda: reverse("funds:rates", args=[USC]), "treasurer"),
    Page("funds expenses", lambda: reverse("funds:expense_new", args=[USC]), "treasurer"),
    Page("webhooks", lambda: reverse("webhooks:create", args=[USC]), "admin"),
    Page("aid", lambda: reverse("aid:need_create"), "admin"),
]


@pytest.fixture
def visitor(demo, usc_admin) -> Callable[[str], Client]:
    def client(who: str) -> Client:
        if who == "anonymous":
            return Client()
        if who == "treasurer":
            treasurer = user_with_roles("forms.treasurer@usc.test", [(demo[USC], "treasurer")])
            return client_for(treasurer)
        return client_for(usc_admin)

    return client


@pytest.mark.parametrize("page", PAGES, ids=[page.app for page in PAGES])
def test_every_field_of_a_blank_form_is_labelled_and_described_by_what_is_on_the_page(
    visitor, page
):
    response = visitor(page.who).get(page.url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field' in html  # the page renders its fields through forms/field.html
    assert form_markup_problems(html) == []


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.empty_post_is_refused], ids=lambda page: page.app
)
def test_a_form_sent_back_empty_ties_each_error_to_its_field(visitor, page):
    # A key no form knows: "request.POST or None" treats a post with nothing in it as no post.
    response = visitor(page.who).post(page.url(), {"nothing-typed": ""})

    assert response.status_code in (200, 400)  # some views answer a refused form with 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert form_markup_problems(html) == []


class _Contact(forms.Form):
    email = forms.EmailField(label="Email", help_text="Where the receipt goes.")
    country = forms.CharField(label="Country", max_length=2, widget=CountrySelect)
    agree = forms.BooleanField(label="I agree")


def test_a_field_with_help_text_and_an_error_is_described_by_both_in_that_order():
    form = _Contact(data={"email": "not an address", "country": "UA"})

    html = str(form)  # FORM_RENDERER: forms/form.html, then forms/field.html per field

    assert described_by(html, "id_email") == [
        ("id_email_helptext", "helptext"),
        ("id_email_error", "errorlist"),
    ]
    assert described_by(html, "id_agree") == [("id_agree_error", "errorlist")]
    assert described_by(html, "id_country") == []
    assert form_markup_problems(html) == []
    assert html.count('class="field required"') == 2  # email, country; the box is a checkbox
    assert 'class="field checkbox required"' in html


def test_the_country_select_has_no_maxlength_and_writes_required_bare():
    html = str(_Contact()["country"])

    select_tag = html.split(">", 1)[0]
    assert "maxlength" not in select_tag
    assert " required" in select_tag and '="True"' not in select_tag


def test_the_petition_pages_sign_box_is_labelled_and_its_country_select_valid(demo, anon):
    petition_page = anon.get(reverse("campaigns:petition", args=["iaea-zaporizhzhia"]))

    html = petition_page.content.decode()
    select_tag = html[html.index('<select name="country"') :].split(">", 1)[0]
    assert "maxlength" not in select_tag
    assert '="True"' not in select_tag
    assert form_markup_problems(html) == []
