"""No public answer may depend on private data (issue 13, class 1).

Every form an anonymous visitor can post to answers with the same status, redirect and
page, and leaves the same work for after the commit, whether or not the address (or name,
or registration) typed into it is known; whatever differs goes only by mail to the address
itself. ``FORMS`` lists every such form with a known and an unknown input; the guard at the
end walks every URL of the project and fails for a form that takes anonymous posts and is
in neither ``FORMS`` nor ``NOT_ABOUT_ANYONE`` (forms that take no address, name or
registration, each with the reason).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from spilka.lib.testing import assert_same_answer, post_and_observe, pow_solve_for_tests

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"
USC_DOMAIN = "ukrainesolidaritycampaign.example"


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500


def _solved(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    challenge = html.unescape(re.search(r'data-pow-challenge="([^"]+)"', page).group(1))
    return pow_solve_for_tests(challenge)


@dataclass(frozen=True)
class Case:
    """One anonymous form: where it is, what a browser posts, and a known input.

    ``setup(demo)`` builds the state and returns ``(path, known, unknown)``: the form's
    path and the two addresses (or names); ``data(client, path, value)`` is what a browser
    posts with ``value`` typed in.
    """

    url_name: str
    label: str
    setup: Callable[[dict[str, Any]], tuple[str, str, str]]
    data: Callable[[Client, str, str], dict[str, Any]]


# Petitions ---------------------------------------------------------------------------


def _petition_setup(demo):
    from spilka.campaigns.services.signature_intake import signature_submit  # noqa: F401

    path = reverse("campaigns:petition_sign", kwargs={"slug": "iaea-zaporizhzhia"})
    client = Client()
    client.post(path, _petition_data(client, path, "signed.before@example.org"))
    return path, "signed.before@example.org", "never.signed@example.org"


def _petition_confirmed_setup(demo):
    from spilka.campaigns.models import Signature
    from spilka.campaigns.services.petitions import signature_confirm

    path, known, unknown = _petition_setup(demo)
    signature_confirm(signature_id=Signature.objects.get(email=known).pk)
    return path, known, unknown


def _petition_data(client, path, email):
    page = path.removesuffix("sign/")
    return {
        "full_name": "Olena Petrenko",
        "email": email,
        "country": "UA",
        "postcode": "",
        "organisation_name": "",
        "website": "",
        "altcha": _solved(client, page),
    }


# Statements --------------------------------------------------------------------------


def _statement(demo):
    from spilka.campaigns.models import Campaign
    from spilka.campaigns.services.statements import statement_create

    return statement_create(
        by="test setup",
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="same-answer-statement",
        title={"en": "A statement"},
        text={"en": "We stand with Ukraine's workers."},
        status="open",
        allow_individuals=True,
    )


def _statement_sign_setup(demo):
    from spilka.campaigns.services.individual_signatories import individual_sign

    statement = _statement(demo)
    individual_sign(statement=statement, full_name="Ann", email="ann.before@example.org")
    path = reverse("campaigns:statement_sign", kwargs={"slug": statement.slug})
    return path, "ann.before@example.org", "ann.never@example.org"


def _statement_confirmed_setup(demo):
    from spilka.campaigns.access import email_digest
    from spilka.campaigns.models import IndividualSignatory
    from spilka.campaigns.services.individual_signatories import individual_confirm

    path, known, unknown = _statement_sign_setup(demo)
    signatory = IndividualSignatory.objects.get(email=known)
    individual_confirm(signatory_id=signatory.pk, digest=email_digest(known))
    return path, known, unknown


def _statement_sign_data(client, path, email):
    return {"full_name": "Ann", "email": email, "altcha": _solved(client, path)}


def _officer_setup(known):
    def setup(demo):
        statement = _statement(demo)
        path = reverse("campaigns:statement_cosign_officer", kwargs={"slug": statement.slug})
        return path, known(demo), "someone@example.org"

    return setup


def _officer_data(client, path, email):
    return {
        "organisation": USC,
        "officer_name": "Sam",
        "email": email,
        "altcha": _solved(client, path),
    }


def _usc_member_address(demo):
    # In the directory as a current member of USC: known to the organisation, and private.
    return "olena@usc.example"


def _usc_role_holder_address(demo):
    from spilka.network.services import role_grant

    user = get_user_model().objects.create_user("officer@usc.test", "x" * 20)
    role_grant(by="test setup", user=user, organisation=demo[USC], role="organiser")
    return user.email


# Events ------------------------------------------------------------------------------


def _event_setup(demo):
    from spilka.events.services.registrations import event_register
    from spilka.events.tests.conftest import make_event

    event = make_event(demo["ussc"], slug="same-answer-forum")
    event_register(event=event, full_name="Ola", email="ola.before@example.org")
    path = reverse("events:register", kwargs={"slug": event.slug})
    return path, "ola.before@example.org", "ola.never@example.org"


def _event_data(client, path, email):
    return {
        "full_name": "Ola Nowak",
        "email": email,
        "website": "",
        "altcha": _solved(client, path.removesuffix("register/")),
    }


# Outreach ----------------------------------------------------------------------------


def _supporter_address(demo):
    from spilka.outreach.models import Supporter

    return Supporter.objects.filter(organisation=demo[USC]).exclude(email="").first().email


def _join_setup(name):
    def setup(demo):
        return reverse(name, kwargs={"slug": USC}), _supporter_address(demo), "new@example.org"

    return setup


def _join_data(client, path, email):
    return {
        "name": "Ola",
        "email": email,
        "country": "",
        "consent": "on",
        "website": "",
        "altcha": _solved(client, path),
    }


def _my_data_setup(demo):
    return reverse("outreach:my_data"), _supporter_address(demo), "stranger@example.org"


def _my_data_data(client, path, email):
    return {"email": email, "kind": "export", "website": "", "altcha": _solved(client, path)}


# Accounts ----------------------------------------------------------------------------


def _account_address(demo):
    return get_user_model().objects.filter(is_active=True).order_by("pk").first().email


def _reset_setup(demo):
    return reverse("accounts:password_reset"), _account_address(demo), "nobody@example.org"


def _reset_data(client, path, email):
    return {"email": email}


def _login_setup(demo):
    return reverse("accounts:login"), _account_address(demo), "nobody@example.org"


def _login_data(client, path, email):
    return {"email": email, "password": "not the password at all"}


FORMS: list[Case] = [
    Case("campaigns:petition_sign", "petition signing", _petition_setup, _petition_data),
    Case(
        "campaigns:petition_sign",
        "petition signing, a confirmed signer",
        _petition_confirmed_setup,
        _petition_data,
    ),
    Case(
        "campaigns:statement_sign",
        "signing a statement in one's own name",
        _statement_sign_setup,
        _statement_sign_data,
    ),
    Case(
        "campaigns:statement_sign",
        "signing a statement in one's own name, a confirmed signer",
        _statement_confirmed_setup,
        _statement_sign_data,
    ),
    Case(
        "campaigns:statement_cosign_officer",
        "officer co-sign, a member of the organisation's private directory",
        _officer_setup(_usc_member_address),
        _officer_data,
    ),
    Case(
        "campaigns:statement_cosign_officer",
        "officer co-sign, an address at the organisation's own domain",
        _officer_setup(lambda demo: f"secretary@{USC_DOMAIN}"),
        _officer_data,
    ),
    Case(
        "campaigns:statement_cosign_officer",
        "officer co-sign, the sign-in address of one of its organisers",
        _officer_setup(_usc_role_holder_address),
        _officer_data,
    ),
    Case("events:register", "event registration", _event_setup, _event_data),
    Case("outreach:join", "sign-up form", _join_setup("outreach:join"), _join_data),
    Case(
        "outreach:join_embed",
        "embeddable sign-up form",
        _join_setup("outreach:join_embed"),
        _join_data,
    ),
    Case("outreach:my_data", "data-subject request", _my_data_setup, _my_data_data),
    Case("accounts:password_reset", "password reset", _reset_setup, _reset_data),
    Case("accounts:login", "sign-in with a wrong password", _login_setup, _login_data),
]

# URL name -> why it takes anonymous posts yet asks about no one.
NOT_ABOUT_ANYONE: dict[str, str] = {
    "language_switch": "takes only a language code and where to go next",
    "accounts:logout": "takes nothing; signs out whoever is signed in",
    "accounts:login_verify": "only after the password step; answers an anonymous post by "
    "sending it back to sign in",
    "accounts:password_reset_confirm": "the signed link is the permission; takes only the "
    "new password",
    "admin_login_redirect": "sends everyone to the one sign-in page",
    "campaigns:petition_thanks_resend": "takes no address: it mails only the address in the "
    "signer's own signed cookie, and answers the same for a pending, a confirmed or an unknown "
    "one (campaigns/tests/test_petition_thanks.py)",
}


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.label)
def test_an_anonymous_form_answers_the_same_for_a_known_and_an_unknown_input(
    case, demo, django_capture_on_commit_callbacks
):
    path, known, unknown = case.setup(demo)
    # The known input was given long ago: past every reminder window and rate limit.
    cache.clear()
    answers: dict[str, list] = {known: [], unknown: []}
    # Twice each: the first try of an unknown input makes it known, and the second answer
    # (a reminder mail sent or held back) must not tell the two apart either.
    for value in (known, known, unknown, unknown):
        client = Client()
        answers[value].append(
            post_and_observe(
                client,
                path,
                case.data(client, path, value),
                capture=django_capture_on_commit_callbacks,
                inputs=[value],
            )
        )
    assert answers[known][0].status < 500
    for first, second in zip(answers[known], answers[unknown], strict=True):
        assert_same_answer(first, second, known_email=known, unknown_email=unknown)


# The guard: every anonymous form of the project is in FORMS or NOT_ABOUT_ANYONE -----


def _patterns() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif entry.name:
                found.append((f"{namespace}:{entry.name}" if namespace else entry.name, entry))

    walk(get_resolver(), None)
    return found


def _demo_kwargs() -> dict[str, dict[str, Any]]:
    """Real objects of the demo for each named URL (the isolation sweep's choice), with the
    public forms aimed at what an anonymous visitor can reach."""
    from spilka.network.models import Organisation
    from tests.isolation_foreign import foreign_kwargs as _foreign_kwargs

    kwargs, _secrets = _foreign_kwargs(Organisation.objects.get(slug="razem"))
    statement = {"slug": "warsaw-statement-2022"}
    for name in ("statement", "statement_sign", "statement_cosign_officer", "statement_cosign"):
        kwargs[f"campaigns:{name}"] = statement
    kwargs["outreach:join"] = kwargs["outreach:join_embed"] = {"slug": USC}
    return {k: v for k, v in kwargs.items() if v is not None}


FILLER = {"int": 1, "slug": "x", "str": "x", "path": "x"}


def _path(name: str, pattern: URLPattern, kwargs: dict[str, dict[str, Any]]) -> str | None:
    converters = {
        key: type(c).__name__.removesuffix("Converter").lower()
        for key, c in (pattern.pattern.converters.items())
    }
    given = kwargs.get(name) or {key: FILLER.get(kind, "x") for key, kind in converters.items()}
    # Regular-expression routes (the API's router) name their ids in groups: any id will do,
    # an anonymous POST is refused before an object is looked up.
    for group in pattern.pattern.regex.groupindex:
        given.setdefault(group, "1")
    try:
        return reverse(name, kwargs=given)
    except Exception:
        return None


def _refused(response) -> bool:
    # 401: the API asks for a key (an anonymous caller writes nothing through it; the API
    # isolation sweep checks that too).
    if response.status_code in (401, 403, 404, 405, 410):
        return True
    location = response.get("Location", "")
    return response.status_code in (301, 302) and (
        "/accounts/login" in location or "/admin/login" in location
    )


def _same_as_get(client: Client, path: str, posted) -> bool:
    """A view that answers a POST exactly as a GET (status, redirect, page) takes no form."""
    from spilka.lib.testing import answer_of

    got = client.get(path)
    a, b = answer_of(got), answer_of(posted)
    return (a.status, a.location, a.body) == (b.status, b.location, b.body)


def test_every_form_an_anonymous_visitor_can_post_to_is_covered(demo):
    kwargs = _demo_kwargs()
    covered = {case.url_name for case in FORMS} | set(NOT_ABOUT_ANYONE)
    uncovered, unreachable = [], []
    client = Client()
    for name, pattern in _patterns():
        if name.startswith("admin:"):
            continue  # Django's admin: staff only, checked once below
        path = _path(name, pattern, kwargs)
        if path is None:
            unreachable.append(name)
            continue
        response = client.post(path)
        if _refused(response) or name in covered or _same_as_get(client, path, response):
            continue
        uncovered.append(f"{name} {path}: {response.status_code}")
    assert not uncovered, "anonymous forms missing from FORMS or NOT_ABOUT_ANYONE:\n" + (
        "\n".join(uncovered)
    )
    assert not unreachable, f"URLs the guard could not fill in: {unreachable}"
    assert _refused(client.post(reverse("admin:index")))


def test_the_registry_names_only_urls_that_exist():
    names = {name for name, _pattern in _patterns()}
    assert {case.url_name for case in FORMS} | set(NOT_ABOUT_ANYONE) <= names


@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:password_reset"])
def test_a_known_and_an_unknown_address_cost_the_same_password_hashing(url_name, demo, monkeypatch):
    """Hashing is the costly step of these forms: a known address must not be the only one
    that pays it (or the only one that skips it)."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    calls: list[str] = []
    for method in ("encode", "verify"):
        original = getattr(hasher, method)

        def counted(self, *args, _original=original, _method=method, **kwargs):
            calls.append(_method)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(hasher, method, counted)
    counts = []
    for email in (_account_address(demo), "nobody@example.org"):
        calls.clear()
        Client().post(reverse(url_name), {"email": email, "password": "not the password"})
        counts.append(len(calls))
    assert counts[0] == counts[1], counts
