"""An organiser imports a CSV with duplicates, builds a segment of Polish-speaking petition
signers, sends a bilingual mailing; the outbox shows each recipient's message in their
language with a working one-click unsubscribe; after unsubscribing in the browser, the
next send leaves that person out."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.lib.models import OutboxMessage
from spilka.network.demo import DEMO_PASSWORD
from spilka.outreach.models import MailingRecipient, Supporter, SupporterStatus
from tests.browser.language_boxes import fill_language_box
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORG = "ukraine-solidarity-campaign"


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True


def _sign_in_staff(page, base):
    user = get_user_model().objects.create_user(
        "staff@spilka.test", "a long staff passphrase", is_staff=True
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_email", "staff@spilka.test")
    page.fill("#id_password", "a long staff passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/**")
    if "/login/verify/" in page.url or "two-factor" in page.url:
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.fill("#id_token", f"{code:06d}")
        page.locator("main form button[type=submit]").click()


def _send_mailing(page, base, subjects, bodies, segment_label):
    page.goto(f"{base}/en/outreach/{ORG}/mailings/new/")
    page.select_option("#id_original_language", "en")
    for language, text in subjects.items():
        fill_language_box(page, "subject", language, text)
    for language, text in bodies.items():
        fill_language_box(page, "body", language, text)
    page.select_option("#id_segment", label=segment_label)
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url("**/mailings/*/")
    page.locator("[data-mailing-continue]").click()  # the final step says how many
    expect(page.locator("[data-send-confirm]")).to_be_visible()
    page.locator("[data-send-confirm]").click()
    expect(page.locator("#mailing-report")).to_be_visible()


def test_organiser_imports_segments_mails_and_an_unsubscribe_sticks(
    page, browser, live_server, outbox_settings
):
    load_demo_fresh(load_all)
    base = live_server.url
    usc_signers = Supporter.objects.filter(
        organisation__slug=ORG, source="petition_signed", status=SupporterStatus.SUBSCRIBED
    )
    polish = list(usc_signers.filter(language="pl").order_by("pk")[:2])
    english = usc_signers.filter(language="en").order_by("pk").first()
    csv_text = "\n".join(
        [
            "Email,Name,Language,Tags",
            f"{polish[0].email},{polish[0].name},pl,journey",
            f"{polish[1].email.upper()},{polish[1].name},pl,journey",
            f"{polish[0].email},Repeated Row,pl,journey",  # the same person twice in the file
            f"{english.email},{english.name},en,journey",
            "nowa.osoba@example.org,Nowa Osoba,pl,journey",  # not a petition signer
            "broken-address,Broken,pl,journey",
        ]
    )

    sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD)
    page.wait_for_url("**/en/accounts/")

    # 1. Import with duplicates.
    page.goto(f"{base}/en/outreach/{ORG}/imports/new/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "gala.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}],
    )
    page.check("#id_consent_given")
    page.fill("#id_consent_source", "Sign-up sheets, Durham Miners' Gala 2025")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/imports/*/")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("nowa.osoba@example.org")
    page.get_by_role("button", name="Import now").click()
    expect(page.locator("#import-result")).to_be_visible()
    assert page.locator("[data-created]").inner_text() == "1"
    assert page.locator("[data-updated]").inner_text() == "3"
    assert page.locator("[data-duplicates]").inner_text() == "1"
    expect(page.locator("#import-errors")).to_contain_text("the email address is not valid")

    # 2. A segment of Polish-speaking petition signers (among those tagged by the import).
    page.goto(f"{base}/en/outreach/{ORG}/segments/new/")
    page.fill("#id_name", "Polish signers from the gala")
    page.get_by_label("journey").check()
    page.get_by_label("Polish", exact=True).check()
    page.select_option("#id_action_kind", "petition_signed")
    page.get_by_role("button", name="Save segment").click()
    expect(page.locator("[data-segment-count]")).to_contain_text("2 supporters match")

    # 3. A bilingual mailing to it.
    _send_mailing(
        page,
        base,
        {
            "en": "Gala news for {{ first_name|friend }}",
            "pl": "Wieści z gali dla {{ first_name|przyjaciela }}",
        },
        {"en": "Thank you for coming.", "pl": "Dziękujemy za przybycie."},
        "Polish signers from the gala",
    )
    assert page.locator("[data-sent]").inner_text() == "2"
    page.screenshot(path="test-artifacts/outreach-mailing.png", full_page=True)

    # 4. The outbox, read by staff: each recipient got the Polish version, with the
    #    RFC 8058 headers and a link that unsubscribes.
    staff = new_page(browser, locale="en-GB")
    _sign_in_staff(staff, base)
    staff.goto(f"{base}/en/outbox/")
    for supporter in polish:
        row = staff.locator("tr", has_text=supporter.email).first
        expect(row).to_contain_text("Wieści z gali dla")
        stored = OutboxMessage.objects.get(to=supporter.email, subject__startswith="Wieści")
        assert stored.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    staff.locator("tr", has_text=polish[0].email).first.get_by_role("link").click()
    body = staff.locator("pre.mail").inner_text()
    assert "Dziękujemy za przybycie." in body
    link = next(word for word in body.split() if "/u/" in word)
    staff.context.close()

    # 5. The recipient unsubscribes: opening the link changes nothing, the button does.
    page.context.clear_cookies()
    page.goto(link)
    page.screenshot(path="test-artifacts/outreach-unsubscribe.png", full_page=True)
    assert Supporter.objects.get(pk=polish[0].pk).status == SupporterStatus.SUBSCRIBED
    assert page.locator("html").get_attribute("lang") == "pl"  # the recipient's language
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    assert Supporter.objects.get(pk=polish[0].pk).status == SupporterStatus.UNSUBSCRIBED

    # 6. The next send to the same segment leaves them out.
    sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD)
    page.wait_for_url("**/en/accounts/")
    _send_mailing(
        page, base, {"en": "Second news"}, {"en": "More news."}, "Polish signers from the gala"
    )
    assert page.locator("[data-sent]").inner_text() == "1"
    second = MailingRecipient.objects.filter(mailing__subject__en="Second news")
    assert list(second.values_list("supporter_id", flat=True)) == [polish[1].pk]
    assert page.request_log.hosts() == {urlparse(base).netloc}
