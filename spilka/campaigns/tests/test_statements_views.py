"""Statement pages: who gets what from every endpoint, and the three co-signing paths.

Personas: ``anon``; ``razem_organiser`` runs the demo campaign "warsaw-left-unity";
``usc_admin`` is an admin of USC, an organisation that co-signs; ``ussc_translator`` is an
outsider (a translator speaks for no organisation).
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from spilka.campaigns import access
from spilka.campaigns.models import Campaign, CoSignature, CoSignatureStatus, IndividualSignatory
from spilka.campaigns.services import cosignatures, statement_mail
from spilka.campaigns.services import statements as services
from spilka.lib.models import AuditEntry
from spilka.lib.pow import pow_challenge
from spilka.lib.testing import pow_solve_for_tests

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
USC_DOMAIN = "ukrainesolidaritycampaign.example"
PERSONAS = ("anon", "usc_admin", "razem_organiser", "ussc_translator")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SPILKA_POW_MAX_NUMBER = 1000


@pytest.fixture
def statement(demo, razem_organiser):
    return services.statement_create(
        by=razem_organiser,
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="test-statement",
        title={"en": "Solidarity with Ukraine's unions"},
        text={"pl": "Stoimy z pracownikami Ukrainy."},
        original_language="pl",
        status="open",
        allow_individuals=True,
    )


def _client(request, persona):
    if persona == "anon":
        return request.getfixturevalue("anon")
    return request.getfixturevalue("login")(request.getfixturevalue(persona))


def _url(name: str, **kwargs) -> str:
    return reverse(f"campaigns:{name}", kwargs=kwargs)


def _solved() -> str:
    return pow_solve_for_tests(pow_challenge())


def _officer_form(email: str, **extra) -> dict:
    return {
        "organisation": USC,
        "officer_name": "Sam Secretary",
        "email": email,
        "altcha": _solved(),
        **extra,
    }


def _confirm_path(body: str) -> str:
    match = re.search(r"http://testserver(/\S+/confirm/\S+/)", body)
    assert match is not None
    return match.group(1)


# Who gets what ----------------------------------------------------------------------

PUBLIC_PAGES = ("statement", "statement_print", "statement_cosign_officer", "statement_sign")
ORGANISER_PAGES = ("statement_edit", "statement_invite", "statement_evidence")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_everyone_sees_an_open_statement_and_its_forms(request, statement, persona, page):
    response = _client(request, persona).get(_url(page, slug=statement.slug))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 302), ("usc_admin", 403), ("razem_organiser", 200), ("ussc_translator", 403)],
)
@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_only_the_campaigns_organisers_may_run_a_statement(
    request, statement, persona, status, page
):
    response = _client(request, persona).get(_url(page, slug=statement.slug))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith("/en/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 302), ("usc_admin", 403), ("razem_organiser", 200), ("ussc_translator", 403)],
)
def test_only_the_campaigns_organisers_may_write_a_new_statement(request, demo, persona, status):
    path = _url("statement_create", slug="warsaw-left-unity")
    assert _client(request, persona).get(path).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 404), ("usc_admin", 404), ("razem_organiser", 200), ("ussc_translator", 404)],
)
def test_a_draft_is_seen_only_by_the_campaigns_organisers(
    request, statement, razem_organiser, persona, status
):
    services.statement_update(statement=statement, by=razem_organiser, status="draft")
    client = _client(request, persona)
    assert client.get(_url("statement", slug=statement.slug)).status_code == status
    assert client.get(_url("statement_print", slug=statement.slug)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 302), ("usc_admin", 302), ("razem_organiser", 403), ("ussc_translator", 403)],
)
def test_only_an_admin_or_organiser_of_the_organisation_cosigns_for_it(
    request, statement, persona, status
):
    response = _client(request, persona).post(
        _url("statement_cosign", slug=statement.slug), {"organisation": USC}
    )
    assert response.status_code == status
    signed = CoSignature.objects.filter(statement=statement, status="confirmed").exists()
    assert signed == (persona == "usc_admin")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anon", 302), ("usc_admin", 302), ("razem_organiser", 403), ("ussc_translator", 403)],
)
def test_only_the_organisations_admins_or_organisers_withdraw(
    request, statement, usc_admin, demo, persona, status
):
    cosignatures.cosign_by_role_holder(statement=statement, organisation=demo[USC], user=usc_admin)
    response = _client(request, persona).post(
        _url("cosignature_withdraw", slug=statement.slug, organisation=USC)
    )
    assert response.status_code == status
    withdrawn = CoSignature.objects.get(statement=statement).status == "withdrawn"
    assert withdrawn == (persona == "usc_admin")


def test_a_get_never_cosigns_or_withdraws(login, usc_admin, statement):
    client = login(usc_admin)
    assert client.get(_url("statement_cosign", slug=statement.slug)).status_code == 405
    assert (
        client.get(_url("cosignature_withdraw", slug=statement.slug, organisation=USC)).status_code
        == 405
    )
    assert not CoSignature.objects.filter(statement=statement).exists()


# Path (a): a role holder ------------------------------------------------------------


def test_a_role_holder_cosigns_in_one_click_and_is_listed_under_their_country(
    login, usc_admin, statement
):
    client = login(usc_admin)
    page = client.get(_url("statement", slug=statement.slug)).content.decode()
    assert "Co-sign on behalf of Ukraine Solidarity Campaign" in page
    response = client.post(
        _url("statement_cosign", slug=statement.slug), {"organisation": USC}, follow=True
    )
    html = response.content.decode()
    assert "has co-signed the statement" in html
    section = html[html.index('id="country-gb"') :]
    assert "United Kingdom" in section[:200]
    assert "Ukraine Solidarity Campaign" in section[:600]
    assert "Withdraw the co-signature of Ukraine Solidarity Campaign" in html


def test_cosigning_twice_gives_a_clear_message_not_an_error(login, usc_admin, statement):
    client = login(usc_admin)
    path = _url("statement_cosign", slug=statement.slug)
    client.post(path, {"organisation": USC})
    response = client.post(path, {"organisation": USC}, follow=True)
    assert response.status_code == 200
    assert "has already co-signed this statement" in response.content.decode()
    assert CoSignature.objects.filter(statement=statement).count() == 1


# Path (b): an officer's email -------------------------------------------------------


def test_an_officer_confirms_by_the_button_and_a_get_confirms_nothing(
    anon, statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(
            _url("statement_cosign_officer", slug=statement.slug),
            _officer_form(f"secretary@{USC_DOMAIN}"),
        )
    assert response.status_code == 302
    assert response.url == _url("statement_thanks", slug=statement.slug)
    path = _confirm_path(mail.outbox[0].body)
    cosignature = CoSignature.objects.get(statement=statement)

    # Mail scanners open links: a GET shows the button and confirms nothing.
    page = anon.get(path)
    assert page.status_code == 200
    assert "Confirm the co-signature of Ukraine Solidarity Campaign" in page.content.decode()
    cosignature.refresh_from_db()
    assert cosignature.status == CoSignatureStatus.PENDING
    assert (
        "Ukraine Solidarity Campaign" not in anon.get(statement.get_absolute_url()).content.decode()
    )

    assert anon.post(path).status_code == 200
    cosignature.refresh_from_db()
    assert cosignature.status == CoSignatureStatus.CONFIRMED
    assert "Ukraine Solidarity Campaign" in anon.get(statement.get_absolute_url()).content.decode()


def test_an_address_at_another_domain_gets_the_same_answer_and_a_mail_saying_why(
    anon, statement, django_capture_on_commit_callbacks
):
    # Changed for issue 13: the page no longer says the address is refused; the mail does.
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(
            _url("statement_cosign_officer", slug=statement.slug),
            _officer_form("sam@gmail.com"),
        )
    assert response.status_code == 302
    assert response["Location"] == _url("statement_thanks", slug=statement.slug)
    assert not CoSignature.objects.filter(statement=statement).exists()
    assert [m.to for m in mail.outbox] == [["sam@gmail.com"]]
    assert f"Use an address at {USC_DOMAIN}" in mail.outbox[0].body


def test_a_forged_or_mangled_link_is_refused(anon, statement, demo):
    cosignature = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="A",
        officer_email=f"a@{USC_DOMAIN}",
    )
    good = statement_mail.cosign_link_make(cosignature)
    forged = signing.dumps(
        [cosignature.pk, access.email_digest(cosignature.officer_email)], salt="another.salt"
    )
    for token in (forged, good[:-2] + "xx", "garbage", "x" * 400):
        path = _url("cosignature_confirm", token=token)
        assert anon.get(path).status_code == 404
        assert anon.post(path).status_code == 404
    cosignature.refresh_from_db()
    assert cosignature.status == CoSignatureStatus.PENDING


def test_an_expired_link_is_refused(anon, statement, demo, settings):
    cosignature = cosignatures.cosign_request_officer(
        statement=statement,
        organisation=demo[USC],
        officer_name="A",
        officer_email=f"a@{USC_DOMAIN}",
    )
    hours = settings.SPILKA_SIGNATURE_CONFIRM_HOURS

    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - (hours + 1) * 3600)

    token = Earlier(salt=access.COSIGN_CONFIRM_SALT).sign_object(
        [cosignature.pk, access.email_digest(cosignature.officer_email)]
    )
    response = anon.post(_url("cosignature_confirm", token=token))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    cosignature.refresh_from_db()
    assert cosignature.status == CoSignatureStatus.PENDING


def test_a_filled_honeypot_is_answered_politely_and_nothing_is_stored(anon, statement):
    response = anon.post(
        _url("statement_cosign_officer", slug=statement.slug),
        _officer_form(f"a@{USC_DOMAIN}", website="http://spam.example"),
    )
    assert response.status_code == 302
    assert not CoSignature.objects.filter(statement=statement).exists()


def test_a_missing_or_replayed_proof_of_work_is_refused(anon, statement):
    path = _url("statement_cosign_officer", slug=statement.slug)
    missing = anon.post(path, {**_officer_form(f"a@{USC_DOMAIN}"), "altcha": ""})
    assert missing.status_code == 400
    form = _officer_form(f"a@{USC_DOMAIN}")
    assert anon.post(path, form).status_code == 302
    assert anon.post(path, form).status_code == 400
    assert "anti-spam check did not pass" in anon.post(path, form).content.decode()


def test_many_requests_from_one_network_are_slowed_down(anon, statement, settings):
    settings.SPILKA_SIGN_RATE_LIMIT = 2
    path = _url("statement_cosign_officer", slug=statement.slug)
    for _ in range(2):
        anon.post(path, _officer_form("sam@gmail.com"))  # refused ones count too
    response = anon.post(path, _officer_form(f"a@{USC_DOMAIN}"))
    assert response.status_code == 429
    assert not CoSignature.objects.filter(statement=statement).exists()


# Path (c): evidence -----------------------------------------------------------------


def test_an_organiser_records_a_cosignature_from_evidence_and_needs_a_link(
    login, razem_organiser, statement
):
    client = login(razem_organiser)
    path = _url("statement_evidence", slug=statement.slug)
    refused = client.post(path, {"organisation": "ensu", "evidence_url": ""})
    assert refused.status_code == 400
    assert "Give a link to the evidence" in refused.content.decode()
    assert not CoSignature.objects.filter(statement=statement).exists()
    response = client.post(
        path,
        {"organisation": "ensu", "evidence_url": "https://example.org/ensu", "note": "Assembly"},
    )
    assert response.status_code == 302
    cosignature = CoSignature.objects.get(statement=statement)
    assert (cosignature.method, cosignature.status) == ("evidence", "confirmed")


def test_recording_an_organisation_twice_is_explained(login, razem_organiser, statement):
    client = login(razem_organiser)
    path = _url("statement_evidence", slug=statement.slug)
    data = {"organisation": "ensu", "evidence_url": "https://example.org/ensu"}
    client.post(path, data)
    response = client.post(path, data)
    assert response.status_code == 400
    assert "has already co-signed this statement" in response.content.decode()


# Organisers' other forms ------------------------------------------------------------


def test_an_organiser_writes_a_statement_and_it_is_audited(login, razem_organiser, demo):
    response = login(razem_organiser).post(
        _url("statement_create", slug="warsaw-left-unity"),
        {
            "slug": "second-statement",
            "title_en": "Second statement",
            "text_en": "Text.",
            "original_language": "en",
            "status": "open",
        },
    )
    assert response.status_code == 302
    assert response.url == _url("statement", slug="second-statement")
    assert AuditEntry.objects.filter(
        action="campaigns.statement.created", actor=razem_organiser
    ).exists()


def test_an_organiser_closes_a_statement_and_the_buttons_go(
    login, razem_organiser, usc_admin, statement
):
    response = login(razem_organiser).post(
        _url("statement_edit", slug=statement.slug),
        {
            "title_en": "Solidarity",
            "text_pl": "Tekst.",
            "original_language": "pl",
            "status": "closed",
        },
    )
    assert response.status_code == 302
    page = login(usc_admin).get(statement.get_absolute_url()).content.decode()
    assert "Co-sign on behalf of" not in page
    assert "This statement is not open for signatures." in page


def test_an_organiser_invites_organisations_by_email(
    login, razem_organiser, usc_admin, statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(razem_organiser).post(
            _url("statement_invite", slug=statement.slug), {"organisations": [USC, "posle"]}
        )
    assert response.status_code == 302
    # USC's admins and organisers (the demo's and the persona); Posle has nobody here.
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@usc.test", "organiser@usc.example"]
    assert "Invitation to co-sign" in mail.outbox[0].subject


# Individuals ------------------------------------------------------------------------


def test_an_individual_signs_confirms_by_button_and_only_the_name_is_shown(
    anon, statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(
            _url("statement_sign", slug=statement.slug),
            {
                "full_name": "Ann Lee",
                "email": "ann.lee@example.org",
                "affiliation": "UCU Durham",
                "country": "GB",
                "altcha": _solved(),
            },
        )
    assert response.status_code == 302
    path = _confirm_path(mail.outbox[0].body)
    anon.get(path)
    assert "Ann Lee" not in anon.get(statement.get_absolute_url()).content.decode()
    anon.post(path)
    html = anon.get(statement.get_absolute_url()).content.decode()
    assert "Ann Lee" in html and "UCU Durham" in html
    assert "ann.lee@example.org" not in html
    assert IndividualSignatory.objects.get(statement=statement).confirmed_at is not None


def test_a_statement_for_organisations_only_has_no_individual_form(
    anon, statement, razem_organiser
):
    services.statement_update(statement=statement, by=razem_organiser, allow_individuals=False)
    response = anon.post(
        _url("statement_sign", slug=statement.slug),
        {"full_name": "Ann", "email": "ann@example.org", "altcha": _solved()},
    )
    assert response.status_code == 302
    assert response.url == statement.get_absolute_url()
    assert not IndividualSignatory.objects.filter(statement=statement).exists()


def test_the_untranslated_text_says_so(anon, statement):
    html = anon.get(statement.get_absolute_url()).content.decode()
    assert "Stoimy z pracownikami Ukrainy." in html
    assert "Not yet translated; shown in Polish." in html
    printed = anon.get(_url("statement_print", slug=statement.slug)).content.decode()
    assert "Not yet translated; shown in Polish." in printed
