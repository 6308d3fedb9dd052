"""Public pages: one-click unsubscribe, sign-up with double opt-in, data-subject requests."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.test import Client

from spilka.lib.models import AuditEntry
from spilka.lib.testing import pow_solve_for_tests
from spilka.outreach.models import DataRequest, PendingSignup, Supporter, SupporterStatus
from spilka.outreach.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def test_unsubscribe_post_works_without_login_or_csrf_token(usc, announce):
    supporter = announce(usc, "one@example.org")
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(usc.pk, supporter.pk, 0)
    response = client.post(f"/en/u/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.filter(action="outreach.supporter.unsubscribed").latest("id")
    assert entry.after["via"] == "one-click"


def test_opening_the_unsubscribe_link_changes_nothing(usc, announce):
    supporter = announce(usc, "two@example.org")
    response = Client().get(f"/en/u/{unsubscribe_token(usc.pk, supporter.pk)}/")
    assert response.status_code == 200 and b"<form" in response.content
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.SUBSCRIBED


def test_a_forged_or_rebound_unsubscribe_token_is_refused(usc, razem, announce):
    victim = announce(usc, "victim@example.org")
    mine = announce(usc, "mine@example.org")
    token = unsubscribe_token(usc.pk, mine.pk)
    forged = token.replace(f"-{mine.pk}-", f"-{victim.pk}-")
    other_org = unsubscribe_token(razem.pk, victim.pk)  # signed, but names the wrong organisation
    client = Client(enforce_csrf_checks=True)
    for bad in (forged, other_org, "x" * 300, "nonsense"):
        assert client.post(f"/en/u/{bad}/").status_code == 404
    victim.refresh_from_db()
    assert victim.status == SupporterStatus.SUBSCRIBED


def _solve(page: str) -> str:
    match = re.search(r'data-pow-challenge="([^"]+)"', page)
    assert match is not None
    challenge = html.unescape(match.group(1))
    return pow_solve_for_tests(challenge)


@pytest.mark.parametrize("embed", [False, True])
def test_sign_up_needs_the_emailed_button(usc, embed, django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=embed)
    url = f"/pl/join/{usc.slug}/" + ("embed/" if embed else "")
    page = client.get(url)
    if embed:
        assert "frame-ancestors *" in page["Content-Security-Policy"]
        assert "X-Frame-Options" not in page
    data = {
        "name": "Zofia Kowalska",
        "email": "Zofia@Example.org",
        "country": "PL",
        "consent": "on",
        "website": "",
        "altcha": _solve(page.content.decode()),
    }
    if not embed:
        data["csrfmiddlewaretoken"] = (
            client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 200
    assert not Supporter.objects.filter(email="zofia@example.org").exists()
    link = re.search(r"http://testserver(/pl/join/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    assert not Supporter.objects.filter(email="zofia@example.org").exists()
    Client().post(link)
    supporter = Supporter.objects.get(email="zofia@example.org", organisation=usc)
    assert supporter.status == SupporterStatus.SUBSCRIBED and supporter.language == "pl"
    assert not PendingSignup.objects.exists()


def test_sign_up_without_consent_or_proof_of_work_is_refused(usc):
    client = Client()
    page = client.get(f"/en/join/{usc.slug}/").content.decode()
    response = client.post(
        f"/en/join/{usc.slug}/",
        {"name": "X", "email": "x@example.org", "altcha": _solve(page)},
    )
    assert response.status_code == 400 and b"Tick the box" in response.content
    response = client.post(
        f"/en/join/{usc.slug}/",
        {"name": "X", "email": "x@example.org", "consent": "on", "altcha": "forged"},
    )
    assert response.status_code == 400
    assert not PendingSignup.objects.exists()


def test_a_private_organisation_has_no_sign_up_form(demo):
    private = next((o for o in demo.values() if not o.is_public), None)
    if private is None:
        pytest.skip("the demo has no private organisation")
    assert Client().get(f"/en/join/{private.slug}/").status_code == 404
    assert Client().get("/en/join/no-such-org/").status_code == 404


def test_a_bad_confirmation_link_is_refused():
    assert Client().post("/en/join/confirm/forged/").status_code == 404
    assert Client().get("/en/my-data/forged/").status_code == 404


def _request_link(client, email, kind, capture):
    page = client.get("/en/my-data/").content.decode()
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            "/en/my-data/", {"email": email, "kind": kind, "website": "", "altcha": _solve(page)}
        )
    assert response.status_code == 200
    return re.search(r"http://testserver(/en/my-data/[^\s]+/)", mail.outbox[0].body).group(1)


def test_a_person_downloads_their_data_as_json_and_csv(
    usc, announce, django_capture_on_commit_callbacks
):
    announce(usc, "me@example.org", name="Mykola Data")
    client = Client()
    link = _request_link(client, "me@example.org", "export", django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200
    data = client.get(link + "my-data.json").json()
    assert data["outreach.supporters"][0]["name"] == "Mykola Data"
    csv_text = client.get(link + "my-data.csv").content.decode()
    assert "Mykola Data" in csv_text
    entry = AuditEntry.objects.filter(action="outreach.data.exported").latest("id")
    assert "me@example.org" not in f"{entry.object_repr}{entry.before}{entry.after}"


def test_the_data_request_form_answers_the_same_for_unknown_addresses(
    django_capture_on_commit_callbacks,
):
    client = Client()
    link = _request_link(client, "nobody@example.org", "erase", django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200
    assert DataRequest.objects.get().email_hash


def test_the_data_request_form_refuses_bad_input():
    response = Client().post("/en/my-data/", {"email": "not-an-address", "kind": "steal"})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_the_export_lists_every_registered_part_of_spilka_in_json_and_csv(
    usc, announce, monkeypatch, django_capture_on_commit_callbacks
):
    import csv
    import io

    from spilka.lib.personal_data import personal_data_handlers
    from spilka.outreach.views import public as public_views

    monkeypatch.setattr(public_views, "pgettext", lambda context, message: f"{context}|{message}")
    announce(usc, "all@example.org", name="Ivanna Vsi")
    client = Client()
    link = _request_link(client, "all@example.org", "export", django_capture_on_commit_callbacks)
    names = {handler.name for handler in personal_data_handlers()}
    assert {"outreach.supporters", "django_tasks_db.results", "events.registrations"} <= names
    assert set(client.get(link + "my-data.json").json()) == names
    rows = list(
        csv.reader(io.StringIO(client.get(link + "my-data.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][1] == "noun|Record"  # the CSV column, not the verb "to record"
    assert {row[0] for row in rows[1:]} == names


def test_the_data_request_flow_looks_the_same_whether_or_not_data_exists(
    usc, announce, django_capture_on_commit_callbacks
):
    announce(usc, "known@example.org", name="Known Person")
    pages = []
    for email in ("known@example.org", "unknown@example.org"):
        mail.outbox.clear()
        client = Client()
        page = client.get("/en/my-data/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(
                "/en/my-data/",
                {"email": email, "kind": "erase", "website": "", "altcha": _solve(page)},
            )
        body = re.sub(r"/my-data/[^\s]+/", "/my-data/TOKEN/", mail.outbox[0].body)
        link = re.search(r"http://testserver(/en/my-data/[^\s]+/)", mail.outbox[0].body).group(1)
        confirm = client.get(link).content.decode().replace(link.split("/")[-2], "TOKEN")
        pages.append(
            [
                # The language switcher's links carry the page's own (token) path.
                re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|next=[^"&]+', "", text)
                for text in (str(sent.status_code), sent.content.decode(), body, confirm)
            ]
            + [mail.outbox[0].subject]
        )
    assert pages[0] == pages[1]


def test_the_segment_and_filter_labels_carry_their_translation_context():
    from spilka.outreach.forms import SegmentForm

    fields = SegmentForm.base_fields
    assert fields["name"].label._args == ("label", "Name")
    assert fields["object_key"].label._args == ("action object", "About")
