"""Organisation B's organisers can never see or mail organisation A's supporters."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from spilka.outreach.models import Mailing, MailingStatus
from spilka.outreach.services import mailings
from spilka.outreach.services.groups import list_create, tag_create
from spilka.outreach.services.mailings import segment_save

pytestmark = pytest.mark.django_db

SLUG = "ukraine-solidarity-campaign"


@pytest.fixture
def usc_things(usc, usc_admin, announce):
    supporter = announce(usc, "private@example.org", name="Private Person")
    segment = segment_save(organisation=usc, by=usc_admin, name="All", filters={})
    mailing = mailings.mailing_create(
        organisation=usc,
        by=usc_admin,
        subject={"en": "S"},
        body={"en": "B"},
        original_language="en",
    )
    tag = tag_create(organisation=usc, name="t", by=usc_admin)
    return {"supporter": supporter, "segment": segment, "mailing": mailing, "tag": tag}


def _pages(slug, things):
    s, seg, m = things["supporter"].pk, things["segment"].pk, things["mailing"].pk
    return [
        f"/en/outreach/{slug}/",
        f"/en/outreach/{slug}/supporters/{s}/",
        f"/en/outreach/{slug}/groups/",
        f"/en/outreach/{slug}/duplicates/",
        f"/en/outreach/{slug}/merge/{s}/{s}/",
        f"/en/outreach/{slug}/segments/",
        f"/en/outreach/{slug}/segments/new/",
        f"/en/outreach/{slug}/segments/{seg}/",
        f"/en/outreach/{slug}/imports/new/",
        f"/en/outreach/{slug}/mailings/",
        f"/en/outreach/{slug}/mailings/new/",
        f"/en/outreach/{slug}/mailings/{m}/",
        f"/en/outreach/{slug}/mailings/{m}/edit/",
        f"/en/outreach/{slug}/mailings/{m}/progress.json",
    ]


def test_an_organiser_of_another_organisation_is_refused_every_page(
    razem_organiser, login, usc_things
):
    client = login(razem_organiser)
    for url in _pages(SLUG, usc_things):
        assert client.get(url).status_code in {403, 404}, url


def test_ids_of_another_organisation_are_not_found_under_ones_own(
    razem_organiser, login, usc_things
):
    client = login(razem_organiser)
    for url in _pages("razem", usc_things)[1:]:
        if "/new/" in url or url.endswith(("/groups/", "/duplicates/", "/segments/", "/mailings/")):
            continue
        assert client.get(url).status_code == 404, url


def test_another_organisations_organiser_cannot_send_test_or_cancel_a_mailing(
    razem_organiser, login, usc_things
):
    client = login(razem_organiser)
    m = usc_things["mailing"].pk
    mail.outbox.clear()
    for action in ("send", "test", "cancel"):
        for slug in (SLUG, "razem"):
            response = client.post(f"/en/outreach/{slug}/mailings/{m}/{action}/")
            assert response.status_code in {403, 404}
    assert Mailing.objects.get(pk=m).status == MailingStatus.DRAFT
    assert mail.outbox == []


def test_a_segment_of_another_organisation_cannot_be_chosen_for_a_mailing(
    razem_organiser, login, usc_things
):
    client = login(razem_organiser)
    response = client.post(
        "/en/outreach/razem/mailings/new/",
        {
            "original_language": "en",
            "subject_en": "Hi",
            "body_en": "Text",
            "segment": usc_things["segment"].pk,
        },
    )
    assert response.status_code == 400 and b"Select a valid choice" in response.content
    assert not Mailing.objects.filter(organisation__slug="razem").exists()


def test_a_role_that_is_not_organiser_opens_nothing(usc_treasurer, login, usc_things):
    client = login(usc_treasurer)
    for url in _pages(SLUG, usc_things):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(usc_things):
    client = Client()
    for url in _pages(SLUG, usc_things):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_organiser_sees_every_page(usc_admin, login, usc_things):
    client = login(usc_admin)
    for url in _pages(SLUG, usc_things):
        if "/merge/" not in url:  # a supporter with itself: a 400, tested below
            assert client.get(url).status_code == 200, url
    assert b"private@example.org" in client.get(f"/en/outreach/{SLUG}/").content


def test_the_supporter_list_takes_a_fixed_number_of_queries(
    usc, usc_admin, login, announce, django_assert_max_num_queries
):
    tag = tag_create(organisation=usc, name="many", by=usc_admin)
    for n in range(30):
        announce(usc, f"q{n}@example.org").tags.add(tag)
    client = login(usc_admin)
    with django_assert_max_num_queries(16):
        response = client.get(f"/en/outreach/{SLUG}/")
    assert response.status_code == 200


def test_index_lists_only_ones_own_organisations(razem_organiser, login):
    response = login(razem_organiser).get("/en/outreach/")
    assert response.status_code == 302 and response["Location"].endswith("/outreach/razem/")


def test_bad_input_is_answered_with_messages_not_errors(usc_admin, login, usc_things):
    client = login(usc_admin)
    base = f"/en/outreach/{SLUG}"
    assert client.post(f"{base}/segments/new/", {"name": "", "countries": "XX"}).status_code == 400
    assert client.post(f"{base}/groups/", {"tag": "1", "tag-name": ""}).status_code == 400
    assert client.post(f"{base}/mailings/new/", {"original_language": "en"}).status_code == 400
    response = client.post(
        f"{base}/mailings/new/",
        {"original_language": "en", "subject_en": "Hi", "body_en": "{{ secret }}"},
    )
    assert response.status_code == 400 and b"Unknown merge fields" in response.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{base}/imports/new/",
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00"), "default_language": "en"},
    )
    assert response.status_code == 400 and b"UTF-8" in response.content
    assert client.get(f"{base}/supporters/abc/").status_code == 404
    s = usc_things["supporter"].pk
    assert client.get(f"{base}/merge/{s}/{s}/").status_code == 400
    m = usc_things["mailing"].pk
    assert client.post(f"{base}/mailings/{m}/send/", {"run_after": "tomorrow"}).status_code == 302
    assert Mailing.objects.get(pk=m).status == MailingStatus.DRAFT


def test_segment_counts_polish_petition_signers(usc, usc_admin, login, announce):
    announce(usc, "pl1@example.org", language="pl", object_key="campaigns.petition:7")
    announce(usc, "pl2@example.org", language="pl", object_key="campaigns.petition:8")
    announce(usc, "en1@example.org", language="en", object_key="campaigns.petition:7")
    list_create(organisation=usc, name="x", by=usc_admin)
    client = login(usc_admin)
    response = client.post(
        f"/en/outreach/{SLUG}/segments/new/",
        {"name": "Polish signers", "languages": ["pl"], "object_key": "campaigns.petition:7"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 supporter matches" in page


@pytest.fixture
def usc_import(usc, usc_admin):
    from spilka.outreach.services import imports

    return imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="usc.csv",
        data=b"email,name\nsecret.member@example.org,Secret Member\n",
        consent_given=False,
        consent_source="",
    )


def test_another_organisations_import_cannot_be_seen_mapped_or_run(
    razem_organiser, login, usc_import
):
    from spilka.outreach.models import ImportStatus, SupporterImport

    client = login(razem_organiser)
    for slug in (SLUG, "razem"):
        for url in (
            f"/en/outreach/{slug}/imports/{usc_import.pk}/",
            f"/en/outreach/{slug}/imports/{usc_import.pk}/progress.json",
        ):
            response = client.get(url)
            assert response.status_code in {403, 404} and b"secret.member" not in response.content
        response = client.post(
            f"/en/outreach/{slug}/imports/{usc_import.pk}/", {"email": "email", "run": "1"}
        )
        assert response.status_code in {403, 404}
    assert SupporterImport.objects.get(pk=usc_import.pk).status == ImportStatus.UPLOADED
    assert b"usc.csv" not in client.get("/en/outreach/razem/imports/new/").content


def test_another_organisations_supporters_cannot_be_merged_or_regrouped(
    razem, razem_organiser, login, announce, usc_things
):
    from spilka.outreach.models import Supporter

    own = announce(razem, "own@example.org")
    theirs = usc_things["supporter"]
    client = login(razem_organiser)
    for keep, other in ((own.pk, theirs.pk), (theirs.pk, own.pk)):
        response = client.post(f"/en/outreach/razem/merge/{keep}/{other}/", {})
        assert response.status_code == 404
    response = client.post(f"/en/outreach/razem/supporters/{theirs.pk}/", {"tags": []})
    assert response.status_code == 404
    assert Supporter.objects.filter(pk=theirs.pk, organisation__slug=SLUG).exists()
    response = client.post(
        f"/en/outreach/razem/supporters/{own.pk}/", {"tags": [usc_things["tag"].pk]}
    )
    assert response.status_code == 400 and not own.tags.exists()


def test_a_segment_filter_reveals_nothing_about_another_organisations_actions(
    razem_organiser, login, usc_things
):
    """USC's supporter acted on campaigns.petition:1; Razem's organiser asking for that key
    gets the same answer as for a key nobody ever used."""
    client = login(razem_organiser)
    answers = []
    for key in ("campaigns.petition:1", "campaigns.petition:987654"):
        response = client.post(
            "/en/outreach/razem/segments/new/", {"name": "Probe", "object_key": key}
        )
        answers.append((response.status_code, response.content.decode().replace(key, "KEY")))
    page = client.get("/en/outreach/razem/segments/new/").content.decode()
    assert "Make Zaporizhzhia safe" not in page
    csrf = 'name="csrfmiddlewaretoken" value="'
    import re

    a, b = (re.sub(csrf + '[^"]+"', "", text) for _status, text in answers)
    assert answers[0][0] == answers[1][0] == 400 and a == b


def test_an_announced_action_is_filed_only_under_the_organisation_named(usc, razem, announce):
    from spilka.outreach.models import Supporter, SupporterAction

    announce(razem, "both@example.org", object_key="campaigns.petition:2")
    announce(usc, "both@example.org", object_key="campaigns.petition:1")
    razem_row = Supporter.objects.get(organisation=razem, email="both@example.org")
    assert list(
        SupporterAction.objects.filter(supporter=razem_row).values_list("object_key", flat=True)
    ) == ["campaigns.petition:2"]


def test_another_organisations_mailing_segment_count_and_outbox_stay_hidden(
    razem_organiser, login, usc_things
):
    client = login(razem_organiser)
    for url in (
        "/en/outreach/razem/",
        "/en/outreach/razem/segments/",
        "/en/outreach/razem/mailings/",
        "/en/outreach/razem/duplicates/",
    ):
        content = client.get(url).content
        assert b"private@example.org" not in content and b"Private Person" not in content
