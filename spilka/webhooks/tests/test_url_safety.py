"""SSRF: a webhook URL cannot make the server fetch what only the server can reach."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError

from spilka.webhooks import services, transport
from spilka.webhooks.delivery import delivery_attempt
from spilka.webhooks.models import DeliveryStatus, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_only(settings):
    settings.SPILKA_WEBHOOKS_ALLOW_PRIVATE = False


@pytest.fixture
def fake_dns(monkeypatch):
    """Host names answered without the network: public.example resolves to a public
    address, rebind.example to whatever the test sets."""
    answers = {"public.example": "93.184.215.14", "rebind.example": "93.184.215.14"}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise socket.gaierror("not found") from None
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (host, port))]

    monkeypatch.setattr(transport.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost.localdomain.invalid/",  # does not resolve
        "http://10.1.2.3/hook",
        "http://192.168.0.10:8080/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        # IPv4 inside IPv6: compatible, NAT64 and 6to4 forms of loopback and private ranges.
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[64:ff9b::a01:203]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[2002:c0a8:a::1]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/",
    ],
)
def test_private_and_local_addresses_are_refused(public_only, fake_dns, url):
    with pytest.raises(ValidationError):
        transport.check_url(url)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://public.example/hook", "https://"),
        ("file:///etc/passwd", "https://"),
        ("javascript:alert(1)", "https://"),
        ("https://user:pass@public.example/hook", "passwords"),
        ("https://user@public.example/hook", "passwords"),
        ("https:///nohost", "host"),
        ("http://public.example:99999/", "valid"),
    ],
)
def test_bad_urls_get_a_clear_message(public_only, fake_dns, url, words):
    with pytest.raises(ValidationError) as error:
        transport.check_url(url)
    assert words in " ".join(error.value.messages)


def test_ipv6_carrying_a_public_ipv4_address_is_accepted(public_only, fake_dns):
    assert not transport._address_is_private("64:ff9b::5db8:d70e")  # 93.184.215.14
    assert not transport._address_is_private("2002:5db8:d70e::1")


def test_a_public_address_is_accepted(public_only, fake_dns):
    assert (
        transport.check_url(" https://public.example/hook?x=1 ")
        == "https://public.example/hook?x=1"
    )


def test_a_host_that_turns_private_after_saving_is_refused_at_send_time(
    public_only, fake_dns, usc, usc_admin, django_capture_on_commit_callbacks
):
    endpoint = services.endpoint_create(
        by=usc_admin, organisation=usc, url="https://rebind.example/hook", events=["pledge.made"]
    )
    fake_dns["rebind.example"] = "127.0.0.1"
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.webhook_emit(organisation=usc, event="pledge.made", data={})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "private or local network" in delivery.last_error
    assert delivery.tries.get().status_code is None
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).url == "https://rebind.example/hook"


def test_redirects_are_not_followed(usc, usc_admin, django_capture_on_commit_callbacks):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        services.endpoint_create(
            by=usc_admin,
            organisation=usc,
            url=f"http://127.0.0.1:{server.server_port}/start",
            events=["pledge.made"],
        )
        with django_capture_on_commit_callbacks(execute=True):
            (delivery,) = services.webhook_emit(organisation=usc, event="pledge.made", data={})
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert hits == ["/start"]
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 302


def test_a_hung_receiver_costs_one_timeout(
    usc, usc_admin, settings, django_capture_on_commit_callbacks
):
    import threading
    import time

    settings.SPILKA_WEBHOOKS_TIMEOUT = 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        services.endpoint_create(
            by=usc_admin,
            organisation=usc,
            url=f"http://127.0.0.1:{listener.getsockname()[1]}/",
            events=["pledge.made"],
        )
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            (delivery,) = services.webhook_emit(organisation=usc, event="pledge.made", data={})
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "timed out" in delivery.last_error.lower()
    assert elapsed < 5
    assert threading.active_count() >= 1
    assert delivery_attempt(delivery_id=str(delivery.id)) is None  # not due yet
