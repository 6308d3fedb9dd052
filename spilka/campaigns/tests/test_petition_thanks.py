"""The thank-you page after signing (issue 16) and the sign path's edges (issue 15): the
address shown only to the signer, a neutral resend, a double click, ``closes_at`` and the
consent wording stored as shown. Run in both intake modes where they differ; the Redis
modes use database 12 (the other intake tests use 13) and are skipped without Redis."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from spilka.campaigns.models import Petition, Signature, SignatureConsent, SignatureStatus
from spilka.campaigns.services import signature_intake as intake
from spilka.campaigns.services.petitions import petition_create
from spilka.campaigns.tests.conftest import link_from_mail, sign_form_data
from spilka.campaigns.views.petition_thanks import COOKIE
from spilka.lib import process_cache
from spilka.lib.testing import answer_of, own_redis_url, redis_up

pytestmark = pytest.mark.django_db

REDIS_URL = own_redis_url()


@pytest.fixture(params=["direct", "redis", "shared"])
def intake_mode(request, settings):
    """direct: one transaction per signature; redis: the intake stream with the local
    cache; shared: cache and intake in one Redis database (one script accepts)."""
    if request.param == "direct":
        settings.SPILKA_SIGN_INTAKE = "direct"
        yield request.param
        return
    if not redis_up():
        pytest.skip("needs the Redis server at 127.0.0.1:6379")
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    settings.SPILKA_SIGN_INTAKE_URL = REDIS_URL
    if request.param == "shared":
        settings.CACHES = {
            "default": {"BACKEND": "spilka.lib.cache.RedisCache", "LOCATION": REDIS_URL}
        }
    client = intake._redis()
    client.flushdb()
    yield request.param
    client.flushdb()


def _thanks(client, petition, language="en"):
    return client.get(f"/{language}/petitions/{petition.slug}/thanks/")


def _resend(client, petition, language="en", **data):
    return client.post(f"/{language}/petitions/{petition.slug}/thanks/resend/", data, follow=True)


# The thank-you page


def test_the_signer_sees_the_address_the_link_lifetime_and_nobody_else_does(
    client, petition, sign, settings
):
    settings.SPILKA_SIGNATURE_CONFIRM_HOURS = 72
    response = sign(petition, email="Typo@Exmaple.org")
    assert "typo" not in response["Location"].lower()  # never in a URL
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "data-signed-address>typo@exmaple.org<" in body
    assert "3 days" in body and "spam" in body
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "data-resend" in body and "data-sign-again" in body
    # Another browser (or the signer's after the cookie is gone) sees no address.
    other = _thanks(Client(), petition).content.decode()
    assert "exmaple" not in other and "data-resend" not in other
    # The cookie goes only to the thank-you page.
    assert response.cookies[COOKIE]["path"] == f"/en/petitions/{petition.slug}/thanks/"
    assert response.cookies[COOKIE]["httponly"]


def test_link_lifetime_is_read_from_the_setting(client, petition, sign, settings):
    settings.SPILKA_SIGNATURE_CONFIRM_HOURS = 36
    sign(petition)
    assert "36 hours" in _thanks(client, petition).content.decode()


def test_a_forged_or_foreign_cookie_shows_no_address(client, petition, sign, demo):
    other = Petition.objects.exclude(pk=petition.pk).exclude(status="draft").first()
    sign(petition, email="mine@example.org")
    assert "mine@example.org" in _thanks(client, petition).content.decode()
    if other is not None:
        assert "mine@example.org" not in _thanks(client, other).content.decode()
    client.cookies[COOKIE] = "eyJwIjoxLCJlIjoidmljdGltQGV4YW1wbGUub3JnIn0:forged"
    assert "victim" not in _thanks(client, petition).content.decode()


def test_the_page_offers_sharing_and_the_campaigns_next_action(client, petition, sign):
    second = petition_create(
        by="test",
        campaign=petition.campaign,
        slug="second-petition-thanks",
        title={"en": "Second petition"},
        target={"en": "Someone"},
        text={"en": "Text"},
        status="open",
    )
    sign(petition)
    body = _thanks(client, petition).content.decode()
    assert f'value="http://testserver/en/petitions/{petition.slug}/"' in body
    assert "data-share-url" in body
    assert second.get_absolute_url() in body
    assert "<script" not in body.split("</head>")[1]  # no widget scripts for sharing


# Resend


def test_resend_answers_the_same_for_pending_confirmed_and_unknown_addresses(
    client, petition, sign, django_capture_on_commit_callbacks
):
    def resend_page(c):
        with django_capture_on_commit_callbacks(execute=True):
            response = _resend(c, petition)
        return answer_of(response, inputs=[c.email]).body

    pending = Client()
    pending.email = "pending@example.org"
    confirmed = Client()
    confirmed.email = "confirmed@example.org"
    bot = Client()  # the honeypot path stores nothing: an address with no signature
    bot.email = "nobody@example.org"
    for c in (pending, confirmed, bot):
        extra = {"website": "http://spam.example"} if c is bot else {}
        data = sign_form_data(c, petition, email=c.email, **extra)
        with django_capture_on_commit_callbacks(execute=True):
            c.post(f"/en/petitions/{petition.slug}/sign/", data)
    confirmed.post(link_from_mail(mail.outbox[-1]))
    assert not Signature.objects.filter(email="nobody@example.org").exists()
    mail.outbox.clear()
    answers = {c.email: resend_page(c) for c in (pending, confirmed, bot)}
    assert len(set(answers.values())) == 1, answers
    sent = {message.to[0]: message.subject for message in mail.outbox}
    assert set(sent) == {"pending@example.org", "confirmed@example.org"}
    assert "already" in sent["confirmed@example.org"].lower()


def test_resend_sends_only_to_the_address_signed_with_and_is_limited(
    client, petition, sign, django_capture_on_commit_callbacks
):
    sign(petition, email="real@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = _resend(client, petition, email="victim@example.org")
    assert [m.to for m in mail.outbox] == [["real@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        second = _resend(client, petition)
    assert len(mail.outbox) == 1  # once per signature every few minutes
    assert answer_of(first).body == answer_of(second).body  # and the same answer


def test_resend_is_limited_per_network_with_a_clear_message(client, petition, sign):
    from spilka.campaigns.views.petition_thanks import RESEND_LIMIT

    sign(petition)
    for _ in range(RESEND_LIMIT):
        _resend(client, petition)
    body = _resend(client, petition).content.decode()
    assert "Too many requests" in body


def test_resend_without_the_cookie_says_so_and_sends_nothing(client, petition):
    mail.outbox.clear()
    body = _resend(client, petition).content.decode()
    assert "sign the petition again" in body
    assert mail.outbox == []


def test_resend_needs_a_csrf_token(petition, sign):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/en/petitions/{petition.slug}/thanks/resend/").status_code == 403


# Double click


def test_two_identical_posts_get_the_same_thanks_and_one_signature(
    intake_mode, client, petition, django_capture_on_commit_callbacks
):
    data = sign_form_data(client, petition, email="Double@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/en/petitions/{petition.slug}/sign/", data)
        second = client.post(f"/en/petitions/{petition.slug}/sign/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert "double@example.org" in client.get(second["Location"]).content.decode()
    assert Signature.objects.filter(petition=petition, email="double@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["double@example.org"]]


def test_a_spent_solution_with_another_address_is_still_refused(
    intake_mode, client, petition, django_capture_on_commit_callbacks
):
    data = sign_form_data(client, petition, email="first@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/en/petitions/{petition.slug}/sign/", data).status_code == 302
        other = client.post(
            f"/en/petitions/{petition.slug}/sign/", dict(data, email="second@example.org")
        )
    assert other.status_code == 400
    assert "anti-spam check did not pass" in other.content.decode()
    assert not Signature.objects.filter(email="second@example.org").exists()


# closes_at


def test_the_page_says_when_the_petition_closes_in_the_visitors_zone(client, petition):
    petition.closes_at = datetime.datetime(2099, 5, 1, 12, 0, tzinfo=datetime.UTC)
    petition.save(update_fields=["closes_at"])
    client.cookies["spilka_tz"] = "Europe/Kyiv"
    body = client.get(f"/pl/petitions/{petition.slug}/").content.decode()
    assert "data-closes-at" in body
    assert "15:00" in body and "Europe/Kyiv" in body  # noon UTC is 15:00 in Kyiv in May
    assert 'id="sign-form"' in body


def test_visitors_in_other_zones_share_one_page_unless_a_closing_time_is_shown(client, petition):
    """Only a closing time is shown in the visitor's zone: without one, every zone is
    served the same kept page (one render); with one, each zone gets its own."""
    from spilka.campaigns.views import petitions as petition_views

    def pages_kept():
        return sum(1 for key in petition_views._shared_pages._entries if petition.slug in str(key))

    for zone in ("Europe/Kyiv", "America/New_York"):
        client.cookies["spilka_tz"] = zone
        assert client.get(f"/en/petitions/{petition.slug}/").status_code == 200
    assert pages_kept() == 1
    petition.closes_at = datetime.datetime(2099, 5, 1, 12, 0, tzinfo=datetime.UTC)
    petition.save(update_fields=["closes_at"])
    process_cache.clear_all()
    bodies = []
    for zone in ("Europe/Kyiv", "America/New_York"):
        client.cookies["spilka_tz"] = zone
        bodies.append(client.get(f"/pl/petitions/{petition.slug}/").content.decode())
    assert pages_kept() == 2
    assert "15:00" in bodies[0] and "08:00" in bodies[1]


def test_after_closing_the_form_is_gone_and_a_post_is_refused_with_nothing_stored(
    intake_mode, client, petition
):
    data = sign_form_data(client, petition, email="late@example.org")
    petition.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    petition.save(update_fields=["closes_at"])
    process_cache.clear_all()  # an organiser's edit shows within seconds; the test won't wait
    page = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "data-closed-on" in page and 'id="sign-form"' not in page
    response = client.post(f"/en/petitions/{petition.slug}/sign/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-closed-on" in body and "was not recorded" in body
    assert not Signature.objects.filter(email="late@example.org").exists()
    if intake_mode != "direct":
        assert intake._redis().xlen(intake.STREAM) == 0


def test_a_signature_made_before_closing_can_be_confirmed_after_it_and_counts(
    client, petition, sign
):
    sign(petition, email="early@example.org")
    link = link_from_mail(mail.outbox[0])
    Petition.objects.filter(pk=petition.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    before = Petition.objects.get(pk=petition.pk).confirmed_count
    client.post(link)
    signature = Signature.objects.get(email="early@example.org")
    assert signature.status == SignatureStatus.CONFIRMED
    assert Petition.objects.get(pk=petition.pk).confirmed_count == before + 1


def test_a_resend_after_closing_sends_nothing(
    client, petition, sign, django_capture_on_commit_callbacks
):
    sign(petition, email="pending@example.org")
    Petition.objects.filter(pk=petition.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _resend(client, petition).status_code == 200
    assert mail.outbox == []


# Consent wording


def test_a_visitor_signing_in_polish_stores_the_polish_wording_as_shown(
    intake_mode, client, petition, sign, demo
):
    usc = demo["ukraine-solidarity-campaign"]
    sign(petition, language="pl", email="polka@example.org", **{f"consent_{usc.pk}": "on"})
    consent = SignatureConsent.objects.get(signature__email="polka@example.org")
    with translation.override("pl"):
        from spilka.campaigns.forms.signing import consent_wording

        shown = consent_wording(usc)
    assert consent.wording == shown
    assert consent.language == "pl"
    page = client.get(f"/pl/petitions/{petition.slug}/").content.decode()
    assert shown in page


def test_the_wording_stored_is_the_one_on_the_page_even_if_it_changes_before_sending(
    intake_mode, client, petition, demo, django_capture_on_commit_callbacks
):
    usc = demo["ukraine-solidarity-campaign"]
    data = sign_form_data(client, petition, email="reader@example.org")
    data[f"consent_{usc.pk}"] = "on"
    old_name = usc.display_name
    type(usc).objects.filter(pk=usc.pk).update(name={"en": "Renamed Campaign"})
    process_cache.clear_all()  # the page now shows the new name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/petitions/{petition.slug}/sign/", data)
    consent = SignatureConsent.objects.get(signature__email="reader@example.org")
    assert old_name in consent.wording and "Renamed" not in consent.wording
    # A later change leaves stored records alone.
    type(usc).objects.filter(pk=usc.pk).update(name={"en": "Renamed Again"})
    consent.refresh_from_db()
    assert old_name in consent.wording


def test_a_forged_wording_is_refused_and_the_form_asks_again(client, petition, demo):
    usc = demo["ukraine-solidarity-campaign"]
    data = sign_form_data(client, petition, email="forger@example.org")
    data[f"consent_{usc.pk}"] = "on"
    data[f"consent_{usc.pk}_wording"] = '[1, "I agree to anything"]'
    response = client.post(f"/en/petitions/{petition.slug}/sign/", data)
    assert response.status_code == 400
    assert 'value="forger@example.org"' in response.content.decode()  # nothing typed is lost
    assert not Signature.objects.filter(email="forger@example.org").exists()
