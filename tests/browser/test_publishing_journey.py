"""A volunteer claims the Polish translation of USSC's article, drafts it side by side with
the English and sends it for review; an organiser approves and publishes it; the Polish page
appears with "also available in"; the organiser edits the English and the translation is
marked as needing edits."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from spilka.network import services
from spilka.network.models import Organisation
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "solidarity forever 1922"
TITLE_PL = "Rok forów i mobilizacji na ulicach"


def _user(email: str, role: str):
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    services.role_grant(
        by="test setup", user=user, organisation=Organisation.objects.get(slug="ussc"), role=role
    )
    return user


def _sign_in(page, base: str, email: str) -> None:
    sign_in(page, base, email, PASSWORD)
    page.wait_for_url("**/en/accounts/")


def test_a_polish_translation_is_claimed_reviewed_published_and_flagged_when_the_source_changes(
    page, live_server
):
    from spilka.demo import load_all

    load_demo_fresh(load_all)
    _user("polish@ussc.test", "translator")
    _user("reviewer@ussc.test", "organiser")
    base = live_server.url

    # The translator says which language they translate into, then finds the task.
    _sign_in(page, base, "polish@ussc.test")
    page.goto(f"{base}/en/translate/languages/")
    page.get_by_label("Polish").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/en/translate/")
    page.locator("#available").get_by_role(
        "link", name="A year of forums and street mobilisations"
    ).click()
    page.get_by_role("button", name="Claim this task").click()
    expect(page.locator(".messages")).to_contain_text("The task is yours")

    # Side by side: one box per paragraph of the English.
    assert page.locator(".editor-row").count() == 5  # title, summary, three paragraphs
    expect(page.locator(".glossary-box")).to_contain_text("Ruch Społeczny")
    page.fill("#id_title-0", TITLE_PL)
    page.fill("#id_summary-0", "Jak mała grupa zbudowała regularne otwarte fora.")
    page.fill("#id_body-0", "Kampanię założyła mała grupa tuż po inwazji w 2022 roku.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Your draft was saved.")
    assert page.locator("#id_body-0").input_value().startswith("Kampanię")
    page.fill("#id_body-1", "Organizujemy regularne fora z udziałem Ruchu Społecznego.")
    page.fill("#id_body-2", "Nasze zasady: broń dla Ukrainy bez warunków, umorzenie długu.")
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.locator("#task-state")).to_have_text("Waiting for review")
    task_url = page.url
    # The translator cannot approve their own work: the button is not even offered.
    assert page.get_by_role("button", name="Approve").count() == 0
    page.get_by_role("button", name="Sign out").click()

    # An organiser reviews and publishes.
    _sign_in(page, base, "reviewer@ussc.test")
    page.goto(task_url)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#task-state")).to_have_text("Approved")
    page.get_by_role("button", name="Publish the translation").click()
    expect(page.locator("#task-state")).to_have_text("Published")

    # The Polish page, with a link to the English.
    page.goto(f"{base}/pl/publications/ussc-a-year-of-forums/")
    expect(page.locator("h1")).to_have_text(TITLE_PL)
    assert page.locator("html").get_attribute("lang") == "pl"
    also = page.locator("nav.also-available")
    expect(also.locator('a[hreflang="en"]')).to_have_attribute(
        "href", "/en/publications/ussc-a-year-of-forums/"
    )
    assert also.locator('a[hreflang="uk"]').count() == 0
    page.screenshot(path="test-artifacts/browser-publishing-polish.png", full_page=True)
    page.goto(f"{base}/en/publications/ussc-a-year-of-forums/")
    expect(page.locator('nav.also-available a[hreflang="pl"]')).to_have_count(1)

    # The organiser edits the English: the Polish needs editing now.
    page.goto(f"{base}/en/publications/ussc-a-year-of-forums/edit/")
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nWe meet every second Thursday.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/en/publications/ussc-a-year-of-forums/")
    page.goto(task_url)
    expect(page.locator("#task-state")).to_have_text("Needs editing (the original changed)")
    page.screenshot(path="test-artifacts/browser-publishing-needs-editing.png", full_page=True)

    own = urlparse(live_server.url).netloc
    assert page.request_log.urls, "the browser made no requests at all"
    assert page.request_log.hosts() == {own}
