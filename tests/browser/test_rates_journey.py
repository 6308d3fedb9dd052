"""Manual rates, end to end: a treasurer working in Ukrainian types a rate with a decimal
comma; one far from the known rates is refused until they tick the box, and the audit row
says they did. The page offers no way to load the official ECB/NBU rates.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from spilka.funds.models import ExchangeRate
from spilka.lib.models import AuditEntry
from spilka.network.demo import load_demo
from spilka.network.models import Organisation
from spilka.network.services import role_grant
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long journey passphrase"
ORG = "ukraine-solidarity-campaign"


def test_a_treasurer_confirms_an_outlying_manual_rate_typed_with_a_decimal_comma(
    browser, live_server
):
    if not Organisation.objects.filter(slug=ORG).exists():
        load_demo_fresh(load_demo)
    call_command("import_rates", "--samples", stdout=io.StringIO())
    organisation = Organisation.objects.get(slug=ORG)
    user = get_user_model().objects.create_user("rates.treasurer@usc.test", PASSWORD)
    role_grant(by="journey", user=user, organisation=organisation, role="treasurer")

    page = new_page(browser, locale="uk-UA")
    # A treasurer must verify a second factor: sign_in enrols on the page's own form.
    sign_in(page, live_server.url, "rates.treasurer@usc.test", PASSWORD)

    page.goto(f"{live_server.url}/uk/money/org/{ORG}/books/rates/")
    expect(page.locator("#id_file-file")).to_have_count(0)  # no official-rates upload here
    page.fill("#id_manual-date", "2022-03-15")
    page.select_option("#id_manual-base", "EUR")
    page.select_option("#id_manual-quote", "GBP")
    page.fill("#id_manual-rate", "0,0001")
    submit = page.locator("form:has(#id_manual-rate) button[type=submit]")
    submit.click()
    # Refused, naming the known rate as Ukrainian writes it; nothing is saved.
    expect(page.locator(".errorlist")).to_contain_text("0,8387")
    assert not ExchangeRate.objects.filter(organisation=organisation).exists()

    page.check("#id_manual-confirmed")
    page.locator("form:has(#id_manual-rate) button[type=submit]").click()
    expect(page.locator(".message--success")).to_have_count(1)
    expect(page.locator(".errorlist")).to_have_count(0)
    row = ExchangeRate.objects.get(organisation=organisation)
    assert row.rate == Decimal("0.0001") and row.source == "manual"
    audit = AuditEntry.objects.get(action="funds.rate.manual_recorded", object_id=str(row.pk))
    assert audit.organisation_id == organisation.pk and audit.after["outlier_confirmed"] is True
    page.context.close()
