"""Statement pages against bad input: unknown addresses, oversized fields, markup, bad
emails; and the public page's query count, which must not grow with its signatories."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spilka.campaigns import access
from spilka.campaigns.models import Campaign, CoSignature, IndividualSignatory, Statement
from spilka.campaigns.services import cosignatures, individual_signatories, statement_mail
from spilka.campaigns.services import statements as services
from spilka.lib.pow import pow_challenge
from spilka.lib.testing import pow_solve_for_tests
from spilka.network import services as network_services

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
USC_DOMAIN = "ukrainesolidaritycampaign.example"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


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
        title={"en": "Solidarity"},
        text={"en": "We stand with Ukraine."},
        status="open",
        allow_individuals=True,
    )


def _url(name: str, **kwargs) -> str:
    return reverse(f"campaigns:{name}", kwargs=kwargs)


def _solved() -> str:
    return pow_solve_for_tests(pow_challenge())


GET_PAGES = (
    "statement",
    "statement_print",
    "statement_thanks",
    "statement_cosign_officer",
    "statement_sign",
    "statement_edit",
    "statement_invite",
    "statement_evidence",
)


@pytest.mark.parametrize("page", GET_PAGES)
def test_an_unknown_statement_is_not_found(login, razem_organiser, page):
    assert login(razem_organiser).get(_url(page, slug="no-such-statement")).status_code == 404


def test_unknown_statements_and_organisations_in_posts_are_not_found(login, usc_admin, statement):
    client = login(usc_admin)
    cosign = _url("statement_cosign", slug="no-such-statement")
    assert client.post(cosign, {"organisation": USC}).status_code == 404
    withdraw = _url("cosignature_withdraw", slug=statement.slug, organisation="no-such-org")
    assert client.post(withdraw).status_code == 404
    # An organisation that is not theirs (or does not exist) is not theirs to sign for.
    cosign = _url("statement_cosign", slug=statement.slug)
    assert client.post(cosign, {"organisation": "no-such-org"}).status_code == 403
    assert client.post(cosign, {}).status_code == 403


def test_unknown_campaign_for_a_new_statement_is_not_found(login, razem_organiser):
    path = _url("statement_create", slug="no-such-campaign")
    assert login(razem_organiser).get(path).status_code == 404


@pytest.mark.parametrize(
    "field", ["officer_name", "email", "organisation"], ids=["name", "email", "organisation"]
)
def test_oversized_officer_fields_are_refused(anon, statement, field):
    data = {
        "organisation": USC,
        "officer_name": "Sam",
        "email": f"sam@{USC_DOMAIN}",
        "altcha": _solved(),
    }
    data[field] = "x" * 10000 if field != "email" else "x" * 10000 + f"@{USC_DOMAIN}"
    response = anon.post(_url("statement_cosign_officer", slug=statement.slug), data)
    assert response.status_code == 400
    assert not CoSignature.objects.filter(statement=statement).exists()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@x.org", "a b@x.org", "a@x@y.org"])
def test_malformed_emails_are_refused(anon, statement, email):
    officer = anon.post(
        _url("statement_cosign_officer", slug=statement.slug),
        {"organisation": USC, "officer_name": "Sam", "email": email, "altcha": _solved()},
    )
    individual = anon.post(
        _url("statement_sign", slug=statement.slug),
        {"full_name": "Ann", "email": email, "altcha": _solved()},
    )
    assert officer.status_code == individual.status_code == 400
    assert "Enter a valid email address." in individual.content.decode()
    assert not CoSignature.objects.filter(statement=statement).exists()
    assert not IndividualSignatory.objects.filter(statement=statement).exists()


@pytest.mark.parametrize("field", ["full_name", "affiliation"])
def test_oversized_individual_fields_are_refused(anon, statement, field):
    data = {"full_name": "Ann", "email": "ann@example.org", "altcha": _solved()}
    data[field] = "x" * 10000
    response = anon.post(_url("statement_sign", slug=statement.slug), data)
    assert response.status_code == 400
    assert not IndividualSignatory.objects.filter(statement=statement).exists()


def test_an_unknown_country_is_refused(anon, statement):
    data = {"full_name": "Ann", "email": "ann@example.org", "country": "XX", "altcha": _solved()}
    assert anon.post(_url("statement_sign", slug=statement.slug), data).status_code == 400


def test_oversized_organiser_fields_are_refused(login, razem_organiser, statement):
    client = login(razem_organiser)
    create = client.post(
        _url("statement_create", slug="warsaw-left-unity"),
        {
            "slug": "long",
            "title_en": "x" * 10000,
            "text_en": "Text",
            "original_language": "en",
            "status": "open",
        },
    )
    assert create.status_code == 400
    assert not Statement.objects.filter(slug="long").exists()
    evidence = _url("statement_evidence", slug=statement.slug)
    for data in (
        {"organisation": "ensu", "evidence_url": "https://example.org/" + "x" * 10000},
        {"organisation": "ensu", "evidence_url": "https://example.org/", "note": "x" * 10000},
        {"organisation": "ensu", "evidence_url": "javascript:alert(1)"},
        {"organisation": "no-such-org", "evidence_url": "https://example.org/"},
    ):
        assert client.post(evidence, data).status_code == 400
    assert not CoSignature.objects.filter(statement=statement).exists()
    invite = client.post(
        _url("statement_invite", slug=statement.slug), {"organisations": ["no-such-org"]}
    )
    assert invite.status_code == 400


def test_a_duplicate_address_for_a_new_statement_is_explained(login, razem_organiser, statement):
    response = login(razem_organiser).post(
        _url("statement_create", slug="warsaw-left-unity"),
        {
            "slug": statement.slug,
            "title_en": "Again",
            "text_en": "Text",
            "original_language": "en",
            "status": "open",
        },
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_markup_is_shown_as_text_on_every_page(anon, login, razem_organiser, demo, statement):
    marked = services.statement_update(
        statement=statement,
        by=razem_organiser,
        title={"en": SCRIPT},
        text={"en": f"Text {SCRIPT}"},
    )
    org = network_services.organisation_create(
        by="test",
        slug="markup-org",
        name={"en": f"Org {SCRIPT}"},
        kind="campaign",
        country="FR",
        website="https://markup.example",
    )
    cosignatures.cosign_record_evidence(
        statement=marked,
        organisation=org,
        evidence_url='https://example.org/"><script>alert(1)</script>',
        by=razem_organiser,
    )
    signatory, _created = individual_signatories.individual_sign(
        statement=marked,
        full_name=SCRIPT,
        email="ann@example.org",
        affiliation=f"<b>{SCRIPT}</b>",
    )
    individual_signatories.individual_confirm(
        signatory_id=signatory.pk, digest=access.email_digest("ann@example.org")
    )
    pending = cosignatures.cosign_request_officer(
        statement=marked,
        organisation=demo[USC],
        officer_name=SCRIPT,
        officer_email=f"a@{USC_DOMAIN}",
    )
    pages = [
        _url(name, slug=marked.slug)
        for name in (
            "statement",
            "statement_print",
            "statement_thanks",
            "statement_cosign_officer",
            "statement_sign",
        )
    ]
    pages.append(_url("cosignature_confirm", token=statement_mail.cosign_link_make(pending)))
    for path in pages:
        html = anon.get(path).content.decode()
        assert SCRIPT not in html, path
        assert ESCAPED in html, path
    organiser = login(razem_organiser)
    for name in ("statement", "statement_edit", "statement_evidence", "statement_invite"):
        html = organiser.get(_url(name, slug=marked.slug)).content.decode()
        assert SCRIPT not in html, name


# Query count ------------------------------------------------------------------------


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_signatories(statement: Statement, razem_organiser) -> None:
    for i in range(25):
        org = network_services.organisation_create(
            by="test",
            slug=f"cosigner-{i:02d}",
            name={"en": f"Co-signer {i}"},
            kind="party",
            country=["DE", "FR", "SE", "PT", "DK"][i % 5],
        )
        cosignatures.cosign_record_evidence(
            statement=statement,
            organisation=org,
            evidence_url=f"https://example.org/{i}",
            by=razem_organiser,
        )
    for i in range(15):
        signatory, _created = individual_signatories.individual_sign(
            statement=statement, full_name=f"Person {i}", email=f"p{i}@example.org", country="PL"
        )
        individual_signatories.individual_confirm(
            signatory_id=signatory.pk, digest=access.email_digest(f"p{i}@example.org")
        )


@pytest.mark.parametrize("page", ["statement", "statement_print"])
def test_the_public_statement_page_needs_few_queries_however_many_signed(
    anon, login, usc_admin, razem_organiser, statement, django_assert_max_num_queries, page
):
    path = _url(page, slug=statement.slug)
    with django_assert_max_num_queries(4):
        anon.get(path)
    member = login(usc_admin)
    before_anon, before_member = _count(anon, path), _count(member, path)
    _more_signatories(statement, razem_organiser)
    assert _count(anon, path) == before_anon
    assert _count(member, path) == before_member
    assert before_member <= 10


def test_the_demo_statement_page_lists_the_warsaw_parties_by_country(anon, demo):
    html = anon.get(_url("statement", slug="warsaw-statement-2022")).content.decode()
    assert "Signed by 6 organisations" in html
    for country, name in [
        ("pl", "Left Together (Razem)"),
        ("fi", "Left Alliance (Finland)"),
        ("lt", "Left Alliance (Lithuania)"),
        ("cz", "Alliance for the Future (Czech Republic)"),
        ("ro", "Democracy and Solidarity Party (Romania)"),
        ("ua", "Social Movement (Sotsialnyi Rukh)"),
    ]:
        section = html[html.index(f'id="country-{country}"') :]
        assert name in section[: section.index("</section>")]
