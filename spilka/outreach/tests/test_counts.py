"""The supporter counts the services keep (``SupporterCount``) equal a fresh count after
every kind of change, can be rebuilt, and spare the supporter list its counting."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spilka.outreach import selectors
from spilka.outreach.models import (
    ImportStatus,
    Supporter,
    SupporterCount,
    SupporterStatus,
)
from spilka.outreach.services import imports, merging, public, retention, undeliverable
from spilka.outreach.services import supporters as services
from spilka.outreach.services.counts import (
    supporter_counts_differences,
    supporter_counts_rebuild,
)

pytestmark = pytest.mark.django_db

SLUG = "ukraine-solidarity-campaign"


def _kept(organisation) -> dict[str, int]:
    return SupporterCount.objects.get(organisation=organisation).by_status()


def _assert_exact() -> None:
    assert supporter_counts_differences() == {}


def test_every_supporter_status_has_a_column():
    assert set(SupporterStatus.values) <= {f.name for f in SupporterCount._meta.fields}


def test_new_supporters_are_counted_by_status(usc, announce):
    before = selectors.organisation_counts(usc)
    announce(usc, "sub@example.org")
    announce(usc, "asked@example.org", consented=False, kind="donated")
    after = selectors.organisation_counts(usc)
    assert after["total"] == before["total"] + 2
    assert after["subscribed"] == before.get("subscribed", 0) + 1
    assert after["no_consent"] == before.get("no_consent", 0) + 1
    _assert_exact()


def test_a_new_consent_moves_a_supporter_from_not_asked_to_subscribed(usc, announce):
    announce(usc, "later@example.org", consented=False, kind="donated")
    before = _kept(usc)
    announce(usc, "later@example.org")
    after = _kept(usc)
    assert after["no_consent"] == before["no_consent"] - 1
    assert after["subscribed"] == before["subscribed"] + 1
    _assert_exact()


def test_an_unsubscribe_a_resubscription_and_a_withdrawn_consent_are_counted(usc, announce):
    from spilka.lib.supporters import ConsentWithdrawal

    supporter = announce(usc, "olena@example.org", when=timezone.now() - datetime.timedelta(days=3))
    services.supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)
    _assert_exact()
    announce(usc, "olena@example.org", object_key="campaigns.petition:2", when=timezone.now())
    assert Supporter.objects.get(pk=supporter.pk).status == SupporterStatus.SUBSCRIBED
    _assert_exact()
    services.supporter_consent_withdraw(
        withdrawal=ConsentWithdrawal(
            organisation_id=usc.pk,
            email="olena@example.org",
            kind="petition_signed",
            object_key="campaigns.petition:2",
            occurred_at=timezone.now(),
        )
    )
    assert Supporter.objects.get(pk=supporter.pk).status == SupporterStatus.UNSUBSCRIBED
    _assert_exact()


def test_a_bounce_and_a_complaint_move_each_organisations_supporter(usc, razem, announce):
    announce(usc, "fails@example.org")
    announce(razem, "fails@example.org", consented=False, kind="donated")
    usc_before, razem_before = _kept(usc), _kept(razem)
    assert undeliverable.address_mark_undeliverable(email="fails@example.org", kind="bounce") == 2
    assert _kept(usc)["bounced"] == usc_before["bounced"] + 1
    assert _kept(razem)["no_consent"] == razem_before["no_consent"] - 1
    _assert_exact()
    undeliverable.address_mark_undeliverable(email="fails@example.org", kind="complaint")
    assert _kept(usc)["complained"] == usc_before["complained"] + 1
    _assert_exact()


def test_an_import_counts_its_new_and_its_changed_supporters(
    usc, usc_admin, announce, django_capture_on_commit_callbacks
):
    announce(usc, "asked@example.org", consented=False, kind="donated")  # subscribed by it
    gone = announce(usc, "gone@example.org")
    services.supporter_unsubscribe(organisation_id=usc.pk, supporter_id=gone.pk)  # stays so
    before = _kept(usc)
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="members.csv",
        data=(
            b"Email,Name\n"
            b"asked@example.org,Asked\n"
            b"gone@example.org,Gone\n"
            b"new1@example.org,New One\n"
            b"new2@example.org,New Two\n"
            b"NEW2@example.org,Again\n"
        ),
        consent_given=True,
        consent_source="Sign-up sheets",
        consent_wording="I want news from the campaign.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_queue(supporter_import=upload, by=usc_admin)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE
    after = _kept(usc)
    assert after["subscribed"] == before["subscribed"] + 3  # two new, one asked
    assert after["no_consent"] == before["no_consent"] - 1
    assert after["unsubscribed"] == before["unsubscribed"]
    _assert_exact()


def test_a_merge_counts_one_supporter_less_under_the_stricter_status(usc, usc_admin, announce):
    keep = announce(usc, "keep@example.org")
    other = announce(usc, "other@example.org")
    services.supporter_unsubscribe(organisation_id=usc.pk, supporter_id=other.pk)
    before = _kept(usc)
    merged = merging.supporter_merge(keep=keep, other=other, choices={}, by=usc_admin)
    assert merged.status == SupporterStatus.UNSUBSCRIBED
    after = _kept(usc)
    assert after["subscribed"] == before["subscribed"] - 1
    assert after["unsubscribed"] == before["unsubscribed"]
    _assert_exact()


def test_an_erasure_counts_the_anonymised_supporters_as_unsubscribed(
    usc, razem, announce, django_capture_on_commit_callbacks
):
    announce(usc, "erase.me@example.org")
    announce(razem, "erase.me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        request = public.data_request_create(
            email="erase.me@example.org", kind="erase", language="en", base_url="http://testserver"
        )
    before = _kept(usc)
    public.data_erase(request=request)
    assert _kept(usc)["subscribed"] == before["subscribed"] - 1
    assert _kept(usc)["unsubscribed"] == before["unsubscribed"] + 1
    _assert_exact()


def test_retention_counts_the_deleted_supporters_out(usc, announce):
    old = timezone.now() - datetime.timedelta(days=2000)
    stale = announce(usc, "stale@example.org", consented=False, kind="donated", when=old)
    Supporter.objects.filter(pk=stale.pk).update(created_at=old)
    before = _kept(usc)
    done = retention.retention_run()
    assert done["inactive_supporters"] >= 1
    assert _kept(usc)["no_consent"] <= before["no_consent"] - 1
    _assert_exact()


def test_a_person_recorded_through_the_api_is_counted(usc, usc_admin):
    before = selectors.organisation_counts(usc)
    result = services.person_signup(
        organisation=usc,
        email="api@example.org",
        name="Api Person",
        language="en",
        country="UA",
        wants_updates=True,
        tags=[],
        by=usc_admin,
        via="test-key",
    )
    assert result.created
    assert selectors.organisation_counts(usc)["total"] == before["total"] + 1
    _assert_exact()


def test_counts_left_wrong_by_a_bulk_load_are_found_and_rebuilt(usc, announce):
    announce(usc, "one@example.org")
    Supporter.objects.bulk_create(
        [Supporter(organisation=usc, email=f"bulk{n}@example.org") for n in range(3)]
    )
    differences = supporter_counts_differences()
    assert differences[usc.pk]["no_consent"][1] == differences[usc.pk]["no_consent"][0] + 3
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("outreach_counts", "--check", stdout=out)
    assert f"organisation #{usc.pk}: no_consent" in out.getvalue()
    call_command("outreach_counts", stdout=out)
    call_command("outreach_counts", "--check", stdout=out)
    assert out.getvalue().endswith("every count is right\n")
    _assert_exact()


def test_an_organisation_without_kept_counts_is_counted_on_the_spot(usc, announce):
    announce(usc, "a@example.org")
    expected = selectors.organisation_counts(usc)
    SupporterCount.objects.filter(organisation=usc).delete()
    assert selectors.organisation_counts(usc) == expected
    # The next change recounts the organisation rather than adding to nothing.
    announce(usc, "b@example.org")
    assert _kept(usc)["subscribed"] == expected["subscribed"] + 1
    _assert_exact()


def test_a_rebuild_of_right_counts_changes_nothing(usc, announce):
    announce(usc, "a@example.org")
    before = _kept(usc)
    assert supporter_counts_rebuild(organisation_id=usc.pk).by_status() == before


def _supporter_counts_in(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "outreach_supporter" in q["sql"]
    ]


def test_the_supporter_list_shows_the_kept_counts_without_counting(usc, usc_admin, login, announce):
    for n in range(3):
        announce(usc, f"list{n}@example.org")
    counts = selectors.organisation_counts(usc)
    client = login(usc_admin)
    for query in ("", "?status=subscribed", "?language=pl", "?q=list1"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/en/outreach/{SLUG}/{query}")
        assert response.status_code == 200
        assert _supporter_counts_in(queries) == [], query
    response = client.get(f"/en/outreach/{SLUG}/")
    assert f"{counts['total']} supporters".encode() in response.content
    assert f"{counts['subscribed']} subscribed".encode() in response.content


@pytest.mark.parametrize("sorted_at_most", [2000, 1])  # sorted from its matches, or walked
def test_a_search_lists_its_matches_newest_first(
    usc, usc_admin, login, announce, monkeypatch, sorted_at_most
):
    monkeypatch.setattr(selectors, "SEARCH_SORTED_AT_MOST", sorted_at_most)
    for n in range(3):
        announce(usc, f"needle{n}@example.org", when=timezone.now() - datetime.timedelta(days=n))
    announce(usc, "haystack@example.org")
    found = list(selectors.supporter_list(usc, q="NEEDLE").values_list("email", flat=True))
    assert found == [f"needle{n}@example.org" for n in range(3)]
    body = login(usc_admin).get(f"/en/outreach/{SLUG}/?q=needle").content.decode()
    assert "needle0@example.org" in body and "haystack@example.org" not in body


def test_the_segment_list_counts_one_page_of_segments(
    usc, usc_admin, login, django_assert_max_num_queries
):
    from spilka.outreach.services.mailings import segment_save
    from spilka.outreach.views.supporters import SEGMENTS_PER_PAGE

    client = login(usc_admin)
    segment_save(organisation=usc, by=usc_admin, name="Polish", filters={"languages": ["pl"]})
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/en/outreach/{SLUG}/segments/").status_code == 200
    for n in range(SEGMENTS_PER_PAGE + 5):
        segment_save(organisation=usc, by=usc_admin, name=f"S{n:02d}", filters={})
    with django_assert_max_num_queries(len(few) + SEGMENTS_PER_PAGE + 1):
        response = client.get(f"/en/outreach/{SLUG}/segments/")
    assert b"Page 1 of 2" in response.content
    assert b"S20" not in response.content  # on the next page
