"""The admins' webhook pages: access, the form's messages, audit rows, buttons."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from spilka.lib.models import AuditEntry
from spilka.webhooks import services
from spilka.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _urls(slug, endpoint, delivery_id):
    pk = endpoint.pk
    return {
        "get": [
            reverse("webhooks:list", args=[slug]),
            reverse("webhooks:create", args=[slug]),
            reverse("webhooks:endpoint", args=[slug, pk]),
            reverse("webhooks:edit", args=[slug, pk]),
        ],
        "post": [
            reverse("webhooks:delete", args=[slug, pk]),
            reverse("webhooks:rotate", args=[slug, pk]),
            reverse("webhooks:resume", args=[slug, pk]),
            reverse("webhooks:test", args=[slug, pk]),
            reverse("webhooks:resend", args=[slug, pk, delivery_id]),
        ],
    }


@pytest.fixture
def endpoint(usc, usc_admin, receiver):
    return services.endpoint_create(
        by=usc_admin, organisation=usc, url=receiver.url, events=["pledge.made"]
    )


def test_another_organisations_admin_and_organiser_get_404_everywhere(
    login, usc, endpoint, razem_admin, razem_organiser, usc_admin
):
    delivery = services.webhook_send_test(by=usc_admin, endpoint=endpoint)
    urls = _urls(usc.slug, endpoint, delivery.id)
    for user in (razem_admin, razem_organiser):
        client = login(user)
        for url in urls["get"]:
            assert client.get(url).status_code == 404, url
        for url in urls["post"]:
            assert client.post(url).status_code == 404, url
    # Their own organisation's address with USC's endpoint id: still 404.
    own = _urls("razem", endpoint, delivery.id)
    client = login(razem_admin)
    assert client.get(own["get"][0]).status_code == 200
    for url in own["get"][2:] + own["post"]:
        assert (client.post(url) if url in own["post"] else client.get(url)).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_an_organiser_who_is_not_admin_gets_404_and_anonymous_visitors_sign_in_first(
    login, usc, endpoint, anon
):
    from spilka.lib.testing import user_with_roles

    organiser = user_with_roles("organiser@usc.test", [(usc, "organiser")])
    assert login(organiser).get(reverse("webhooks:list", args=[usc.slug])).status_code == 404
    response = anon.get(reverse("webhooks:list", args=[usc.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_admin_without_a_verified_second_factor_is_sent_to_verify_it(usc, usc_admin):
    from conftest import client_for

    response = client_for(usc_admin, verified=False).get(reverse("webhooks:list", args=[usc.slug]))
    assert response.status_code == 302 and "two-factor" in response["Location"]


def test_the_admin_adds_an_endpoint_with_checkboxes_and_it_is_audited(
    login, usc, usc_admin, receiver
):
    client = login(usc_admin)
    page = client.get(reverse("network:organisation", args=[usc.slug])).content.decode()
    assert reverse("webhooks:list", args=[usc.slug]) in page
    form = client.get(reverse("webhooks:create", args=[usc.slug])).content.decode()
    assert form.count('type="checkbox" name="events"') == 11
    response = client.post(
        reverse("webhooks:create", args=[usc.slug]),
        {"url": receiver.url, "events": ["pledge.made", "donation.recorded"], "description": "CRM"},
    )
    endpoint = WebhookEndpoint.objects.get(organisation=usc)
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:endpoint", args=[usc.slug, endpoint.pk])
    assert endpoint.events == ["donation.recorded", "pledge.made"]
    assert endpoint.created_by == usc_admin
    detail = client.get(response["Location"]).content.decode()
    assert endpoint.secret in detail
    entry = AuditEntry.objects.get(action="webhooks.endpoint.created")
    assert entry.organisation_id == usc.pk and endpoint.secret not in str(entry.after)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "", "events": ["pledge.made"]}, "This field is required"),
        ({"url": "ftp://x.example/", "events": ["pledge.made"]}, "https://"),
        ({"url": "https://u:p@x.example/", "events": ["pledge.made"]}, "passwords"),
        ({"url": "https://x.example/"}, "Choose at least one event"),
        ({"url": "https://x.example/", "events": ["everything"]}, "Select a valid choice"),
        ({"url": "http://[::1", "events": ["pledge.made"]}, "not a valid web address"),
        ({"url": "x" * 600, "events": ["pledge.made"]}, "at most 500"),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_500(login, usc, usc_admin, data, message):
    response = login(usc_admin).post(reverse("webhooks:create", args=[usc.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.filter(organisation=usc).exists()


def test_a_private_address_is_refused_on_a_server(login, usc, usc_admin, settings):
    settings.SPILKA_WEBHOOKS_ALLOW_PRIVATE = False
    response = login(usc_admin).post(
        reverse("webhooks:create", args=[usc.slug]),
        {"url": "http://169.254.169.254/latest/", "events": ["pledge.made"]},
    )
    assert "private or local network" in response.content.decode()


def test_garbage_ids_are_404_not_500(login, usc, usc_admin, endpoint):
    client = login(usc_admin)
    assert client.get(f"/en/org/{usc.slug}/webhooks/99999999/").status_code == 404
    assert client.get(f"/en/org/{usc.slug}/webhooks/abc/").status_code == 404
    missing = reverse("webhooks:resend", args=[usc.slug, endpoint.pk, uuid.uuid4()])
    assert client.post(missing).status_code == 404
    assert (
        client.post(
            f"/en/org/{usc.slug}/webhooks/{endpoint.pk}/deliveries/nope/resend/"
        ).status_code
        == 404
    )
    assert client.get(reverse("webhooks:test", args=[usc.slug, endpoint.pk])).status_code == 405


def test_edit_delete_rotate_and_resume_write_audit_rows(
    login, usc, usc_admin, endpoint, receiver, django_capture_on_commit_callbacks
):
    client = login(usc_admin)
    response = client.post(
        reverse("webhooks:edit", args=[usc.slug, endpoint.pk]),
        {"url": receiver.url, "events": ["pledge.made", "handover.confirmed"], "active": "on"},
    )
    assert response.status_code == 302
    change = AuditEntry.objects.get(action="webhooks.endpoint.changed")
    assert change.before["events"] == ["pledge.made"]
    assert change.after["events"] == ["handover.confirmed", "pledge.made"]

    old = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    client.post(reverse("webhooks:rotate", args=[usc.slug, endpoint.pk]))
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret != old
    assert AuditEntry.objects.filter(action="webhooks.endpoint.secret_rotated").count() == 1

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        paused_at="2026-01-01T00:00Z",
        consecutive_failures=3,
        first_failure_at="2025-12-31T00:00Z",
    )
    page = client.get(reverse("webhooks:endpoint", args=[usc.slug, endpoint.pk])).content.decode()
    assert "data-webhook-resume" in page
    assert "3 failed attempts in a row since" in page  # worded from the counters, not stored text
    ukrainian = client.get(
        reverse("webhooks:endpoint", args=[usc.slug, endpoint.pk]).replace("/en/", "/uk/", 1)
    ).content.decode()
    assert "failed attempts in a row" not in ukrainian
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:resume", args=[usc.slug, endpoint.pk]))
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).paused_at is None
    assert AuditEntry.objects.filter(action="webhooks.endpoint.resumed").count() == 1

    client.post(reverse("webhooks:delete", args=[usc.slug, endpoint.pk]))
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert AuditEntry.objects.get(action="webhooks.endpoint.deleted").before["url"] == receiver.url


def test_send_test_event_then_resend_from_the_log(
    login, usc, usc_admin, endpoint, receiver, django_capture_on_commit_callbacks
):
    client = login(usc_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:test", args=[usc.slug, endpoint.pk]))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event == "webhook.test" and delivery.status == DeliveryStatus.DELIVERED
    page = client.get(reverse("webhooks:endpoint", args=[usc.slug, endpoint.pk])).content.decode()
    assert str(delivery.id) in page and 'data-status="delivered"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:resend", args=[usc.slug, endpoint.pk, delivery.id]))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 2 and len(receiver.processed) == 1


def test_the_list_page_reads_in_a_fixed_number_of_queries(
    login, usc, usc_admin, receiver, django_assert_max_num_queries
):
    for n in range(5):
        services.endpoint_create(
            by=usc_admin, organisation=usc, url=f"{receiver.url}/{n}", events=["pledge.made"]
        )
    client = login(usc_admin)
    client.get(reverse("webhooks:list", args=[usc.slug]))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("webhooks:list", args=[usc.slug])).status_code == 200


def test_resend_on_a_paused_endpoint_asks_to_resume_first(
    login, usc, usc_admin, endpoint, django_capture_on_commit_callbacks
):
    from spilka.webhooks.tests.conftest import CLOSED_PORT_URL

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=CLOSED_PORT_URL)
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.webhook_emit(organisation=usc, event="pledge.made", data={})
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(paused_at="2026-01-01T00:00Z")
    client = login(usc_admin)
    url = reverse("webhooks:resend", args=[usc.slug, endpoint.pk, delivery.id])
    page = client.post(url, follow=True).content.decode()
    assert "resume it first" in page
    delivery.refresh_from_db()
    assert delivery.attempts == 1
