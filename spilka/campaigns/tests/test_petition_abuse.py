"""Bad input and abuse on the sign path: each is refused clearly, never a 500, nothing lost."""

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from spilka.campaigns.models import Signature, SignatureStatus
from spilka.campaigns.tests.conftest import link_from_mail, sign_form_data
from spilka.exports.models import ExportFile
from spilka.exports.testing import export_body, export_through_pages

pytestmark = pytest.mark.django_db


def _post(client, petition, data, language="en"):
    return client.post(f"/{language}/petitions/{petition.slug}/sign/", data)


def test_honeypot_gets_the_same_answer_and_stores_nothing(client, petition, sign):
    response = sign(petition, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert not Signature.objects.filter(email="olena.petrenko@example.org").exists()
    assert mail.outbox == []


def test_missing_proof_of_work_is_refused_with_a_message(client, petition):
    data = sign_form_data(client, petition, altcha="")
    response = _post(client, petition, data)
    assert response.status_code == 400
    assert "anti-spam check did not pass" in response.content.decode()
    # What the signer typed is still in the form.
    assert 'value="Olena Petrenko"' in response.content.decode()
    assert not Signature.objects.filter(email="olena.petrenko@example.org").exists()


def test_replayed_proof_of_work_is_refused(client, petition):
    data = sign_form_data(client, petition)
    assert _post(client, petition, data).status_code == 302
    replay = dict(data, email="second@example.org")
    response = _post(client, petition, replay)
    assert response.status_code == 400
    assert not Signature.objects.filter(email="second@example.org").exists()


def test_replayed_proof_of_work_is_refused_however_it_is_re_encoded(client, petition):
    import base64
    import json

    data = sign_form_data(client, petition)
    assert _post(client, petition, data).status_code == 302
    solution = json.loads(base64.b64decode(data["altcha"]))
    variants = [
        json.dumps(solution, indent=1, sort_keys=True),
        json.dumps(dict(reversed(list(solution.items())))),
        json.dumps({**solution, "took": 1}),
    ]
    for n, variant in enumerate(variants):
        replay = dict(
            data, email=f"replay{n}@example.org", altcha=base64.b64encode(variant.encode()).decode()
        )
        assert _post(client, petition, replay).status_code == 400
    assert not Signature.objects.filter(email__startswith="replay").exists()


def test_forged_proof_of_work_is_refused(client, petition):
    for payload in ["bm90IGpzb24=", "%%%", "x" * 3000]:
        data = sign_form_data(client, petition, altcha=payload)
        assert _post(client, petition, data).status_code == 400


def test_rate_limit_per_address_is_hit_with_a_clear_message(client, petition, sign, settings):
    settings.SPILKA_SIGN_RATE_LIMIT = 3
    for n in range(3):
        assert sign(petition, email=f"s{n}@example.org").status_code == 302
    response = sign(petition, email="s4@example.org")
    assert response.status_code == 429
    assert "Too many signatures" in response.content.decode()
    assert not Signature.objects.filter(email="s4@example.org").exists()


def test_a_signature_keeps_nothing_derived_from_the_signers_address(client, petition, sign):
    # Rate limits live in the shared cache for their window; the row needs none of it.
    from django.test import RequestFactory

    from spilka.lib import ratelimit

    address_hash = ratelimit.ip_hash(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"))
    assert sign(petition).status_code == 302
    row = Signature.objects.filter(email="olena.petrenko@example.org").values().get()
    for value in row.values():
        assert address_hash not in str(value)
        assert "127.0.0.1" not in str(value)


def test_posts_without_a_valid_solution_do_not_use_up_the_networks_limit(
    client, petition, sign, settings
):
    # What a page elsewhere can make its readers' browsers send: no solved challenge.
    settings.SPILKA_SIGN_RATE_LIMIT = 2
    for n in range(5):
        assert sign(petition, email=f"empty{n}@example.org", altcha="").status_code == 400
        assert sign(petition, email=f"forged{n}@example.org", altcha="bm90").status_code == 400
        assert sign(petition, email="not-an-email").status_code == 400
        assert sign(petition, website="http://spam.example").status_code == 302  # bot
    assert sign(petition, email="s1@example.org").status_code == 302
    assert sign(petition, email="s2@example.org").status_code == 302
    assert sign(petition, email="s3@example.org").status_code == 429
    assert set(Signature.objects.values_list("email", flat=True)) >= {
        "s1@example.org",
        "s2@example.org",
    }


def test_replays_of_a_spent_solution_do_not_use_up_the_networks_limit(client, petition, settings):
    settings.SPILKA_SIGN_RATE_LIMIT = 2
    data = sign_form_data(client, petition, email="first@example.org")
    assert _post(client, petition, data).status_code == 302
    for n in range(5):
        replay = dict(data, email=f"replay{n}@example.org")
        assert _post(client, petition, replay).status_code == 400
    fresh = sign_form_data(client, petition, email="second@example.org")
    assert _post(client, petition, fresh).status_code == 302
    third = sign_form_data(client, petition, email="third@example.org")
    assert _post(client, petition, third).status_code == 429


def test_one_ipv6_network_taking_a_new_address_for_each_post_is_still_limited(
    client, petition, settings
):
    settings.SPILKA_SIGN_RATE_LIMIT = 2
    statuses = []
    for n in range(3):
        data = sign_form_data(client, petition, email=f"v6-{n}@example.org")
        address = f"2001:db8:cafe:1::{n + 1:x}"
        path = f"/en/petitions/{petition.slug}/sign/"
        statuses.append(client.post(path, data, REMOTE_ADDR=address).status_code)
    assert statuses == [302, 302, 429]
    other = sign_form_data(client, petition, email="elsewhere@example.org")
    path = f"/en/petitions/{petition.slug}/sign/"
    assert client.post(path, other, REMOTE_ADDR="2001:db8:cafe:2::1").status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("full_name", "x" * 10000, "Ensure this value has at most 200 characters"),
        ("organisation_name", "y" * 10000, "Ensure this value has at most 200 characters"),
        ("postcode", "z" * 10000, "Ensure this value has at most 20 characters"),
        ("country", "XX", "Select a valid choice."),
        ("full_name", "   ", "This field is required."),
    ],
)
def test_bad_fields_get_field_errors(client, petition, field, value, message):
    data = sign_form_data(client, petition, **{field: value})
    response = _post(client, petition, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signature.objects.filter(petition=petition, status=SignatureStatus.PENDING).count() == 0


def test_errors_are_in_the_visitors_language(client, petition):
    data = sign_form_data(client, petition, language="pl", email="zły adres")
    response = _post(client, petition, data, language="pl")
    assert response.status_code == 400
    english = "Enter a valid email address."  # Django's message (and DRF's)
    with translation.override("pl"):
        polish = translation.gettext(english)
    assert polish != english  # a Polish sentence, whichever catalogue words it
    assert polish in response.content.decode()


def test_html_in_every_field_is_escaped_and_csv_cells_are_not_formulas(
    client, petition, sign, login, usc_admin, django_capture_on_commit_callbacks
):
    evil = "<script>alert(1)</script>"
    sign(
        petition,
        full_name=f'=HYPERLINK("http://x"){evil}',
        organisation_name=f"+cmd|' /C calc'!A0 {evil}",
        postcode="@SUM(1)",
        show_name="on",
    )
    client.post(link_from_mail(mail.outbox[0]))
    body = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert evil not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    _export, download = export_through_pages(
        login(usc_admin),
        f"/en/petitions/{petition.slug}/signatures.csv",
        capture=django_capture_on_commit_callbacks,
    )
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(export_body(download).decode("utf-8-sig"))))
    ours = next(row for row in rows if "HYPERLINK" in row[0])
    assert ours[0].startswith("'=")
    assert ours[3].startswith("'@")
    assert ours[4].startswith("'+")


def test_export_is_for_the_campaigns_organisers_only(
    anon, login, razem_organiser, usc_admin, petition, django_capture_on_commit_callbacks
):
    url = f"/en/petitions/{petition.slug}/signatures.csv"
    assert anon.get(url).status_code == 302
    assert anon.post(url).status_code == 302
    assert login(razem_organiser).get(url).status_code == 403
    assert login(razem_organiser).post(url).status_code == 403
    assert not ExportFile.objects.exists()
    _export, download = export_through_pages(
        login(usc_admin), url, capture=django_capture_on_commit_callbacks
    )
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")


def test_closed_petition_refuses_signatures(client, petition, sign):
    data = sign_form_data(client, petition)  # the form was open when the page loaded
    petition.status = "closed"
    petition.save(update_fields=["status"])
    response = _post(client, petition, data)
    assert response.status_code == 400
    assert "not open for signatures" in response.content.decode()


def test_get_on_sign_url_is_not_allowed(client, petition):
    assert client.get(f"/en/petitions/{petition.slug}/sign/").status_code == 405


def test_mangled_links_are_explained(client):
    for url in [
        "/en/petitions/confirm/abc/",
        "/en/petitions/withdraw/abc:def/",
        "/en/petitions/confirm/" + "a" * 300 + "/",
    ]:
        response = client.post(url)
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


def test_consent_without_wording_is_refused_by_the_service(petition, demo):
    from spilka.network.services import consent_record, person_create

    person = person_create(by="test", full_name="Test Person", email="tp@example.org")
    with pytest.raises(ValidationError):
        consent_record(
            person=person,
            organisation=demo["kvpu"],
            purpose="updates",
            granted=True,
            wording="",
            source="test",
        )


def test_unknown_petition_is_404(client):
    assert client.get("/en/petitions/no-such-petition/").status_code == 404
    assert client.post("/en/petitions/no-such-petition/sign/").status_code == 404


def test_widget_can_be_framed_by_other_sites_and_the_page_cannot(client, petition):
    widget = client.get(f"/en/petitions/{petition.slug}/widget/")
    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "<script" not in widget.content.decode()
    page = client.get(f"/en/petitions/{petition.slug}/")
    assert page["X-Frame-Options"] == "DENY"


def test_shared_page_never_carries_one_visitors_query_string_to_another(client, petition):
    from django.test import Client

    first = client.get(f"/en/petitions/{petition.slug}/?ref=private-token-123").content.decode()
    assert "private-token-123" in first  # the visitor's own language switcher keeps it
    other = Client().get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "private-token-123" not in other
    # Each visitor gets their own proof-of-work challenge, and no CSRF token or cookie.
    response = Client().get(f"/en/petitions/{petition.slug}/")
    again = response.content.decode()
    import re

    challenge = re.compile(r'data-pow-challenge="([^"]+)"')
    assert challenge.search(other).group(1) != challenge.search(again).group(1)
    assert "csrfmiddlewaretoken" not in again
    assert "csrftoken" not in response.cookies


def test_the_sign_form_needs_no_csrf_token_but_its_challenge_is_single_use(petition):
    """Signing carries no ambient authority, so it takes no CSRF token (a form embedded on a
    partner's site can post); the signed, expiring, single-use challenge stands in for one."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    data = sign_form_data(browser, petition, email="embedded@example.org")
    assert _post(browser, petition, data).status_code == 302
    assert Signature.objects.filter(email="embedded@example.org").exists()
    forged = Client(enforce_csrf_checks=True)
    assert _post(forged, petition, dict(data, email="forged@example.org")).status_code == 400
    assert not Signature.objects.filter(email="forged@example.org").exists()


@pytest.fixture
def unreachable_cache(settings):
    from spilka.lib.testing import unreachable_redis_url

    url = unreachable_redis_url()
    settings.CACHES = {
        "default": {"BACKEND": "spilka.lib.cache.RedisCache", "LOCATION": url},
    }
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    settings.SPILKA_SIGN_INTAKE_URL = url


@pytest.mark.parametrize("language", ["en", "uk"])
def test_when_redis_is_down_signing_is_still_accepted_durably_and_a_replay_refused(
    client, petition, unreachable_cache, language
):
    """Issue 15: with Redis (cache and intake) unreachable, the cache degrades to this
    process's memory and the intake signs directly, so an acknowledged signature is in the
    database at once. (Before, every signature got a 503.) The spent-solution mark still
    holds in this process: the same solved form posted again is refused."""
    data = sign_form_data(client, petition, language)
    response = _post(client, petition, data, language)
    assert response.status_code == 302
    assert Signature.objects.filter(email="olena.petrenko@example.org").count() == 1
    replay = _post(client, petition, dict(data, email="someone.else@example.org"), language)
    assert replay.status_code == 400
    assert not Signature.objects.filter(email="someone.else@example.org").exists()
    # A form refused for its own faults still gets its errors, not a server error.
    fresh = sign_form_data(client, petition, language)
    bad = _post(client, petition, dict(fresh, email="not-an-email"), language)
    assert bad.status_code == 400
