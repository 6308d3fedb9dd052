"""A refused form, as a person working in Ukrainian meets it (issue 18).

The site-wide form partial renders each field through spilka/templates/forms/field.html:
when the form comes back the summary at the top is an alert, the refused field is marked
invalid, and the browser's own accessibility tree reads the field's help text and its
error (in Ukrainian) as the field's description: what a screen reader announces on focus.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from tests.browser.watch import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_field_is_shown_and_announced_with_its_error_in_ukrainian(browser, live_server):
    user = get_user_model().objects.create_user("forms.reader@usc.test", "an old passphrase")
    with translation.override("uk"):
        link = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        mismatch = str(SetPasswordForm.error_messages["password_mismatch"])
        required_note = translation.gettext("Fields marked * are required.")
    assert link.startswith("/uk/")
    assert mismatch != "The two password fields didn’t match."  # Django's Ukrainian

    page = new_page(browser, locale="uk-UA")
    page.goto(f"{live_server.url}{link}")  # Django moves the token into the session
    expect(page.locator("#id_new_password1")).to_be_visible()
    expect(page.locator("main form")).to_contain_text(required_note)
    page.fill("#id_new_password1", "a new long passphrase")
    page.fill("#id_new_password2", "a different long passphrase")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # The summary is an alert; the refused field is invalid and described by its error.
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    confirm = page.locator("#id_new_password2")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_new_password2_error")
    expect(error).to_be_visible()
    expect(error).to_have_text(mismatch)
    assert "id_new_password2_error" in (confirm.get_attribute("aria-describedby") or "")
    # What chromium's accessibility tree gives a screen reader: help text, then the error.
    help_text = page.locator("#id_new_password2_helptext").inner_text().strip()
    expect(confirm).to_have_accessible_description(f"{help_text} {mismatch}")
    # The first box has no error: its description is its help text alone, nothing dangles.
    expect(page.locator("#id_new_password1")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_new_password1")).to_have_accessible_description(
        page.locator("#id_new_password1_helptext").inner_text().strip().replace("\n", " ")
    )
    assert not get_user_model().objects.get(pk=user.pk).check_password("a new long passphrase")
    page.context.close()
