"""Pages: who may do what, bad input changes nothing, lists stay free of N+1."""

import csv
import io
import re
from decimal import Decimal as D

import hxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from spilka.aid.models import Handover, Need, NeedStatus, PledgeLine
from spilka.aid.services.handovers import ReceivedLine, handover_confirm, handover_token
from spilka.lib.numbers import format_quantity
from spilka.lib.testing import assert_upright, sideways_jpeg


def receive_url(handover, token=None):
    return f"/en/aid/receive/{handover.pk}/{token or handover_token(handover)}/"


def test_index_is_public(anon, need):
    page = anon.get("/en/aid/")
    assert page.status_code == 200
    assert "Kits for the mine rescue team" in page.content.decode()


def test_public_need_shows_only_the_oblast(anon, need):
    page = anon.get(f"/en/aid/needs/{need.pk}/").content.decode()
    assert "Dnipropetrovsk oblast" in page
    assert "Pavlohradska" not in page


def test_the_recipient_sees_the_full_location(login, need, recipient_logistics):
    page = login(recipient_logistics).get(f"/en/aid/needs/{need.pk}/").content.decode()
    assert "Pavlohradska" in page


def test_anonymous_visitors_cannot_post_needs(anon):
    assert anon.get("/en/aid/needs/new/").status_code == 302


def test_people_without_a_logistics_role_cannot_post_needs(login, ussc_translator):
    assert login(ussc_translator).get("/en/aid/needs/new/").status_code == 403


def _need_post(org, item, quantity):
    return {
        "organisation": org.pk,
        "title_en": "Radios",
        "original_language": "en",
        "oblast": "donetsk",
        "priority": "high",
        "publish_only_oblast": "on",
        "is_public": "on",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
        "lines-0-item": item,
        "lines-0-quantity": quantity,
    }


def test_logistics_posts_a_need(login, recipient_logistics, recipient_org, items):
    response = login(recipient_logistics).post(
        "/en/aid/needs/new/", _need_post(recipient_org, items["radio"].pk, "4")
    )
    assert response.status_code == 302
    assert Need.objects.get(title__en="Radios").lines.get().quantity == 4


@pytest.mark.parametrize(
    "item,quantity", [("radio", "-2"), ("radio", "2.5"), ("999999", "2"), ("radio", "abc")]
)
def test_bad_need_lines_are_refused(
    login, recipient_logistics, recipient_org, items, item, quantity
):
    pk = items[item].pk if item in items else item
    response = login(recipient_logistics).post(
        "/en/aid/needs/new/", _need_post(recipient_org, pk, quantity)
    )
    assert response.status_code == 400
    assert not Need.objects.filter(title__en="Radios").exists()


def test_a_need_cannot_be_posted_for_another_organisation(login, recipient_logistics, demo, items):
    response = login(recipient_logistics).post(
        "/en/aid/needs/new/", _need_post(demo["kvpu"], items["radio"].pk, "1")
    )
    assert response.status_code == 400
    assert not Need.objects.filter(title__en="Radios").exists()


def test_a_donor_pledges_through_the_page(login, donor_organiser, donor_org, need):
    kits = need.lines.order_by("pk").first()
    response = login(donor_organiser).post(
        f"/en/aid/needs/{need.pk}/pledge/",
        {"donor_organisation": donor_org.pk, f"qty_{kits.pk}": "4"},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.PARTLY_PLEDGED


def test_over_pledging_through_the_page_is_refused(login, donor_organiser, donor_org, need):
    kits = need.lines.order_by("pk").first()
    response = login(donor_organiser).post(
        f"/en/aid/needs/{need.pk}/pledge/",
        {"donor_organisation": donor_org.pk, f"qty_{kits.pk}": "11"},
    )
    assert response.status_code == 400
    assert "still needed" in response.content.decode()
    assert not PledgeLine.objects.filter(need_line__need=need).exists()


def test_pledging_in_the_name_of_another_organisation_is_refused(
    login, donor_organiser, demo, need
):
    kits = need.lines.order_by("pk").first()
    response = login(donor_organiser).post(
        f"/en/aid/needs/{need.pk}/pledge/",
        {"donor_organisation": demo["unison"].pk, f"qty_{kits.pk}": "1"},
    )
    assert response.status_code == 400
    assert not PledgeLine.objects.filter(need_line__need=need).exists()


def test_need_list_has_no_n_plus_one(
    anon, need, items, recipient_org, recipient_logistics, django_assert_max_num_queries
):
    from spilka.aid.services.needs import need_create

    for n in range(10):
        need_create(
            by=recipient_logistics,
            organisation=recipient_org,
            title={"en": f"n{n}"},
            oblast="donetsk",
            lines=[(items["radio"], D(1)), (items["van"], D(1))],
        )
    with django_assert_max_num_queries(8):
        assert anon.get("/en/aid/needs/").status_code == 200


def test_convoys_are_private(anon, login, outsider, loaded_convoy):
    assert anon.get(f"/en/aid/convoys/{loaded_convoy.pk}/").status_code == 302
    assert login(outsider).get(f"/en/aid/convoys/{loaded_convoy.pk}/").status_code == 404


def test_the_recipient_sees_the_convoy_but_cannot_move_it(
    login, recipient_logistics, loaded_convoy
):
    client = login(recipient_logistics)
    assert client.get(f"/en/aid/convoys/{loaded_convoy.pk}/").status_code == 200
    assert (
        client.post(f"/en/aid/convoys/{loaded_convoy.pk}/status/", {"to": "arrived"}).status_code
        == 403
    )


def test_bad_transition_is_a_message_not_an_error(login, donor_organiser, loaded_convoy):
    response = login(donor_organiser).post(
        f"/en/aid/convoys/{loaded_convoy.pk}/status/", {"to": "nonsense"}, follow=True
    )
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()


def test_convoy_detail_query_count(
    login, donor_organiser, loaded_convoy, django_assert_max_num_queries
):
    client = login(donor_organiser)
    with django_assert_max_num_queries(25):
        assert client.get(f"/en/aid/convoys/{loaded_convoy.pk}/").status_code == 200


def test_waybill_is_a_pdf_with_both_languages(login, donor_organiser, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    response = login(donor_organiser).get(f"/en/aid/handovers/{handover.pk}/waybill.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Індивідуальна аптечка" in text and "Individual first aid kit" in text
    assert f"/aid/receive/{handover.pk}/" in text


def test_only_the_convoy_organisers_download_the_waybill(login, recipient_logistics, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    assert (
        login(recipient_logistics).get(f"/en/aid/handovers/{handover.pk}/waybill.pdf").status_code
        == 403
    )


def _confirm_post(handover, **overrides):
    data = {"signer_name": "Andrii"}
    for line in handover.lines.all():
        # As the page shows it ("40", not "4E+1": no one types an exponent).
        data[f"received_{line.pk}"] = format_quantity(line.quantity)
        data[f"discrepancy_{line.pk}"] = ""
        data[f"reason_{line.pk}"] = ""
    data.update(overrides)
    return data


def test_a_get_of_the_receive_page_changes_nothing(anon, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    assert anon.get(receive_url(handover)).status_code == 200
    handover.refresh_from_db()
    assert handover.status == "pending"


def test_recipient_confirms_with_a_missing_item(anon, loaded_convoy, need):
    handover = loaded_convoy.handovers.get()
    kits = handover.lines.get(item__code="first-aid-kit")
    response = anon.post(
        receive_url(handover),
        _confirm_post(
            handover,
            **{
                f"received_{kits.pk}": "9",
                f"discrepancy_{kits.pk}": "missing",
                f"reason_{kits.pk}": "Box torn",
            },
        ),
    )
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.status == NeedStatus.PARTLY_DELIVERED
    assert anon.get(receive_url(handover)).status_code == 410


def test_the_donor_sees_the_discrepancy(login, anon, donor_organiser, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    kits = handover.lines.get(item__code="first-aid-kit")
    anon.post(
        receive_url(handover),
        _confirm_post(
            handover,
            **{
                f"received_{kits.pk}": "9",
                f"discrepancy_{kits.pk}": "damaged",
                f"reason_{kits.pk}": "Crushed",
            },
        ),
    )
    page = login(donor_organiser).get(f"/en/aid/handovers/{handover.pk}/").content.decode()
    assert "Crushed" in page and "Damaged" in page


@pytest.mark.parametrize("received", ["11", "-1", "2.5", "lots"])
def test_bad_received_quantities_change_nothing(anon, loaded_convoy, received):
    handover = loaded_convoy.handovers.get()
    kits = handover.lines.get(item__code="first-aid-kit")
    response = anon.post(
        receive_url(handover),
        _confirm_post(
            handover,
            **{
                f"received_{kits.pk}": received,
                f"reason_{kits.pk}": "x",
                f"discrepancy_{kits.pk}": "missing",
            },
        ),
    )
    assert response.status_code == 400
    handover.refresh_from_db()
    assert handover.status == "pending"
    assert not handover.lines.filter(received_quantity__isnull=False).exists()


@pytest.mark.parametrize("token", ["garbage", "a" * 300, "eyJ:bad:sig"])
def test_malformed_tokens_get_a_clear_page(anon, loaded_convoy, token):
    handover = loaded_convoy.handovers.get()
    response = anon.get(f"/en/aid/receive/{handover.pk}/{token}/")
    assert response.status_code == 404
    assert "not valid for this delivery" in response.content.decode()
    assert (
        anon.post(f"/en/aid/receive/{handover.pk}/{token}/", _confirm_post(handover)).status_code
        == 404
    )
    handover.refresh_from_db()
    assert handover.status == "pending"


def _jpeg_with_gps():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_kept_without_its_metadata(anon, login, donor_organiser, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    photo = SimpleUploadedFile("p.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = anon.post(receive_url(handover), {**_confirm_post(handover), "photo": photo})
    assert response.status_code == 200
    handover.refresh_from_db()
    stored = Image.open(handover.photo.open("rb"))
    assert not stored.getexif()
    assert (
        login(donor_organiser).get(f"/en/aid/handovers/{handover.pk}/photo.jpg").status_code == 200
    )


def test_a_sideways_handover_photo_is_stored_upright(anon, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    photo = SimpleUploadedFile("p.jpg", sideways_jpeg(), content_type="image/jpeg")
    response = anon.post(receive_url(handover), {**_confirm_post(handover), "photo": photo})
    assert response.status_code == 200
    handover.refresh_from_db()
    assert_upright(handover.photo.open("rb").read())


def test_a_handover_photo_over_the_shared_pixel_cap_is_refused(anon, loaded_convoy, monkeypatch):
    from spilka.lib import images

    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    handover = loaded_convoy.handovers.get()
    photo = SimpleUploadedFile("p.jpg", sideways_jpeg(), content_type="image/jpeg")
    response = anon.post(receive_url(handover), {**_confirm_post(handover), "photo": photo})
    assert response.status_code == 400
    handover.refresh_from_db()
    assert handover.status == "pending"


def test_a_non_image_photo_is_refused(anon, loaded_convoy):
    handover = loaded_convoy.handovers.get()
    fake = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = anon.post(receive_url(handover), {**_confirm_post(handover), "photo": fake})
    assert response.status_code == 400
    assert "not an image" in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == "pending"


def test_an_oversized_photo_is_refused(anon, loaded_convoy, settings):
    handover = loaded_convoy.handovers.get()
    big = SimpleUploadedFile("p.jpg", b"\xff" * (8 * 1024 * 1024 + 1), content_type="image/jpeg")
    response = anon.post(receive_url(handover), {**_confirm_post(handover), "photo": big})
    assert response.status_code == 400
    assert "8 MB" in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == "pending"


def _figure(page, name):
    return int(re.search(rf'id="aid-{name}">(\d+)<', page).group(1))


def test_the_public_report_counts_only_confirmed_handovers(anon, loaded_convoy, donor_org):
    url = f"/en/aid/report/organisations/{donor_org.slug}/"
    before = anon.get(url).content.decode()
    handover = loaded_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="Andrii Secretname",
    )
    page = anon.get(url).content.decode()
    assert _figure(page, "deliveries") == _figure(before, "deliveries") + 1
    # The van was not assigned to a handover, so it does not count as donated.
    assert _figure(page, "vehicles") == _figure(before, "vehicles")
    assert "Andrii Secretname" not in page and "NU22" not in page


def test_publish_after_keeps_a_delivery_off_the_report(anon, loaded_convoy, donor_org):
    import datetime

    from django.utils import timezone

    url = f"/en/aid/report/organisations/{donor_org.slug}/"
    before = _figure(anon.get(url).content.decode(), "deliveries")
    handover = loaded_convoy.handovers.get()
    Handover.objects.filter(pk=handover.pk).update(
        publish_after=timezone.now() + datetime.timedelta(days=30)
    )
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="A",
    )
    assert _figure(anon.get(url).content.decode(), "deliveries") == before


def test_report_query_count_does_not_grow(
    anon, loaded_convoy, donor_org, django_assert_max_num_queries
):
    handover = loaded_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="A",
    )
    with django_assert_max_num_queries(14):
        assert anon.get(f"/en/aid/report/organisations/{donor_org.slug}/").status_code == 200


def test_hxl_exports_read_back_with_libhxl(anon, loaded_convoy, need):
    handover = loaded_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="A",
    )
    needs = b"".join(anon.get("/en/aid/export/needs.csv?hxl=1").streaming_content).decode()
    source = hxl.data(list(csv.reader(io.StringIO(needs))))
    assert "#adm1+name" in [c.display_tag for c in source.columns]
    values = [row.get("#item+code") for row in source]
    assert "first-aid-kit" in values
    deliveries = b"".join(
        anon.get("/en/aid/export/deliveries.csv?hxl=1").streaming_content
    ).decode()
    data = list(hxl.data(list(csv.reader(io.StringIO(deliveries)))))
    assert {row.get("#item+code") for row in data} >= {"first-aid-kit", "generator"}
    assert {row.get("#currency+code") for row in data} >= {"GBP"}
    assert "Andrii" not in deliveries


def test_exported_cells_are_formula_safe(anon, items, recipient_org, recipient_logistics):
    from spilka.aid.services.needs import need_create

    need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": '=HYPERLINK("x")'},
        oblast="donetsk",
        lines=[(items["radio"], D(1))],
    )
    content = b"".join(anon.get("/en/aid/export/needs.csv").streaming_content).decode()
    assert "'=HYPERLINK" in content
