"""The person signup helper: the web's consent rules, through the API.

Nobody is subscribed by an API call: a new address is mailed the sign-up confirmation and
becomes subscribed when its owner confirms; someone who unsubscribed stays unsubscribed.
"""

from __future__ import annotations

import pytest

from spilka.api.testing import api_client
from spilka.lib.models import AuditEntry
from spilka.outreach.models import PendingSignup, Supporter, SupporterStatus, Tag
from spilka.outreach.services.public import signup_confirm

pytestmark = pytest.mark.django_db


def signup(secret, email="mykola@example.org", **extra):
    body = {
        "person": {
            "given_name": "Mykola",
            "family_name": "Shevchuk",
            "email_addresses": [{"address": email}],
            "languages_spoken": ["uk"],
            "postal_addresses": [{"country": "ua"}],
        },
        **extra,
    }
    return api_client(secret).post("/api/v1/people/", body, format="json")


def test_a_new_person_is_recorded_unsubscribed_and_asked_to_confirm(
    usc, usc_writer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(usc_writer[1], add_tags=["volunteer", "kyiv"])
    assert response.status_code == 201
    person = response.json()
    assert person["email_addresses"][0]["status"] == "unsubscribed"
    assert person["custom_fields"]["spilka_status"] == "no_consent"
    supporter = Supporter.objects.get(organisation=usc, email="mykola@example.org")
    assert supporter.name == "Mykola Shevchuk" and supporter.language == "uk"
    assert str(supporter.country) == "UA"
    assert sorted(supporter.tags.values_list("name", flat=True)) == ["kyiv", "volunteer"]
    assert [m.to for m in mailoutbox] == [["mykola@example.org"]]
    pending = PendingSignup.objects.get(organisation=usc, email="mykola@example.org")
    entry = AuditEntry.objects.get(action="outreach.supporter.recorded_via_api")
    assert entry.organisation == usc and entry.after["api_key"] == usc_writer[0].prefix
    assert "via API key" in entry.actor_label
    # Only the address owner's confirmation subscribes.
    signup_confirm(signup_id=pending.pk)
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.SUBSCRIBED


def test_the_same_address_again_matches_the_person(usc, usc_writer):
    first = signup(usc_writer[1])
    again = signup(usc_writer[1], email="MYKOLA@example.org")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["identifiers"] == first.json()["identifiers"]
    assert Supporter.objects.filter(organisation=usc, email="mykola@example.org").count() == 1


def test_an_unsubscribed_person_is_not_subscribed_or_mailed_by_proxy(
    usc, usc_writer, mailoutbox, django_capture_on_commit_callbacks
):
    Supporter.objects.create(
        organisation=usc, email="left@example.org", status=SupporterStatus.UNSUBSCRIBED
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(usc_writer[1], email="left@example.org")
    assert response.status_code == 200
    assert Supporter.objects.get(organisation=usc, email="left@example.org").status == (
        SupporterStatus.UNSUBSCRIBED
    )
    assert mailoutbox == []
    assert not PendingSignup.objects.filter(email="left@example.org").exists()


def test_an_address_given_as_unsubscribed_is_recorded_without_a_mail(
    usc, usc_writer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(
            usc_writer[1],
            person={
                "email_addresses": [{"address": "quiet@example.org", "status": "unsubscribed"}]
            },
        )
    assert response.status_code == 201
    assert mailoutbox == []


def test_a_read_key_cannot_sign_anyone_up(usc_reader):
    assert signup(usc_reader[1]).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": {}},
        {"person": {"email_addresses": []}},
        {"person": {"email_addresses": [{"address": "not an address"}]}},
        {"person": {"email_addresses": [{"address": "a@b.org"}]}, "add_tags": "volunteer"},
        {"person": {"email_addresses": [{"address": "a@b.org"}]}, "add_tags": ["x" * 61]},
        {
            "person": {
                "email_addresses": [{"address": "a@b.org"}],
                "postal_addresses": [{"country": "Ukraine"}],
            }
        },
        {"person": "Mykola"},
        [1, 2, 3],
    ],
)
def test_bad_signups_are_400s(usc_writer, body):
    response = api_client(usc_writer[1]).post("/api/v1/people/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Invalid input.")
    assert not Tag.objects.filter(name="volunteer").exists()
