"""Wrong passwords slow attackers down without locking the owner out.

Attempts are counted per (address, account) pair and per address; failures on one
account from many addresses make every sign-in to it bring a proof-of-work first, harder
as failures go on, but a right password still signs in. Unknown accounts get the same
answers.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.test import Client

from conftest import PASSWORD
from spilka.accounts import services
from spilka.lib.testing import pow_solve_for_tests

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"
EMAIL = "organiser@razem.test"
TOO_MANY_EN = "Too many failed attempts. Wait a few minutes and try again."
SLOW_DOWN_EN = "Many wrong passwords were tried for this account recently"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SPILKA_POW_MAX_NUMBER = 500  # quick to solve in the test


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _post(client: Client, email: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"email": email, "password": password, **extra})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _challenge(response) -> str:
    match = re.search(r'data-pow-challenge="([^"]+)"', response.content.decode())
    assert match, "the page asks for no proof-of-work"
    return html.unescape(match.group(1))


def _fail(address: str, email: str = EMAIL) -> None:
    """A wrong password from ``address``, with a proof-of-work when one is asked for."""
    client = _from(address)
    response = _post(client, email, "wrong guess")
    if response.status_code == 429:
        _post(client, email, "wrong guess", altcha=pow_solve_for_tests(_challenge(response)))


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(razem_organiser):
    attacker = _from("198.51.100.7")
    for _ in range(5):
        assert _post(attacker, EMAIL, "wrong guess").status_code == 400
    assert _post(attacker, EMAIL, "another guess").status_code == 429

    owner = _from("203.0.113.50")
    response = _post(owner, EMAIL, PASSWORD)

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(razem_organiser.pk)


def test_the_limit_holds_for_the_address_and_account_that_failed(razem_organiser, settings):
    settings.SPILKA_LOGIN_ATTEMPTS = 3
    attacker = _from("198.51.100.7")
    for _ in range(3):
        _post(attacker, EMAIL, "wrong guess")

    response = _post(attacker, EMAIL, PASSWORD)  # even the right password, from there

    assert response.status_code == 429
    assert TOO_MANY_EN in response.content.decode()
    assert not _signed_in(attacker)


def test_the_same_address_may_still_sign_in_to_another_account(
    razem_organiser, ussc_translator, settings
):
    settings.SPILKA_LOGIN_ATTEMPTS = 3
    office = _from("198.51.100.7")
    for _ in range(3):
        _post(office, EMAIL, "wrong guess")

    response = _post(office, "translator@ussc.test", PASSWORD)

    assert response.status_code == 302
    assert office.session["_auth_user_id"] == str(ussc_translator.pk)


def test_one_address_trying_many_accounts_is_stopped(razem_organiser, settings):
    settings.SPILKA_LOGIN_ADDRESS_ATTEMPTS = 3
    sprayer = _from("198.51.100.7")
    for number in range(3):
        assert _post(sprayer, f"someone{number}@razem.test", PASSWORD).status_code == 400

    response = _post(sprayer, EMAIL, PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(sprayer)


def test_failures_from_many_addresses_make_every_sign_in_bring_a_proof_of_work(
    razem_organiser, settings
):
    settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN = 3
    for number in range(3):
        _post(_from(f"198.51.100.{number + 1}"), EMAIL, "wrong guess")
    owner = _from("203.0.113.50")

    asked = _post(owner, EMAIL, PASSWORD)

    assert asked.status_code == 429
    assert SLOW_DOWN_EN in asked.content.decode()
    assert "spilka/pow.js" in asked.content.decode()
    assert not _signed_in(owner)

    solution = pow_solve_for_tests(_challenge(asked))
    response = _post(owner, EMAIL, PASSWORD, altcha=solution)

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(razem_organiser.pk)


def test_a_wrong_password_with_a_proof_of_work_is_still_refused_and_counted(
    razem_organiser, settings
):
    settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN = 2
    for number in range(2):
        _post(_from(f"198.51.100.{number + 1}"), EMAIL, "wrong guess")
    guesser = _from("203.0.113.9")
    solution = pow_solve_for_tests(_challenge(_post(guesser, EMAIL, "guess")))

    response = _post(guesser, EMAIL, "still wrong", altcha=solution)

    assert response.status_code == 400
    assert "The email or password is not right." in response.content.decode()
    assert _challenge(response)  # the next try needs a new proof
    assert services.login_proof_of_work_needed(email=EMAIL) is not None


def test_the_proof_of_work_grows_harder_with_the_failures(razem_organiser, settings):
    settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN = 2
    assert services.login_proof_of_work_needed(email=EMAIL) is None
    work = []
    for number in range(6):
        _fail(f"198.51.100.{number + 1}")
        work.append(services.login_proof_of_work_needed(email=EMAIL))
    assert work[0] is None
    assert work[1] == 500
    assert work[3] == 1000
    assert work[5] == 2000
    page = _post(_from("203.0.113.50"), EMAIL, PASSWORD)
    assert json.loads(_challenge(page))["maxnumber"] == 2000


def test_a_proof_of_work_cannot_be_used_twice(razem_organiser, settings):
    settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN = 2
    for number in range(2):
        _post(_from(f"198.51.100.{number + 1}"), EMAIL, "wrong guess")
    client = _from("203.0.113.9")
    solution = pow_solve_for_tests(_challenge(_post(client, EMAIL, PASSWORD)))
    assert _post(client, EMAIL, "wrong guess", altcha=solution).status_code == 400

    replayed = _post(client, EMAIL, PASSWORD, altcha=solution)

    assert replayed.status_code == 429
    assert SLOW_DOWN_EN in replayed.content.decode()
    assert not _signed_in(client)


def test_an_unknown_account_gets_the_same_answers(razem_organiser, settings):
    settings.SPILKA_LOGIN_ACCOUNT_SLOWDOWN = 2
    answers = {}
    for email in (EMAIL, "nobody@razem.test"):
        seen = []
        for number in range(2):
            response = _post(_from(f"198.51.100.{number + 1}"), email, "wrong guess")
            seen.append(
                (
                    response.status_code,
                    "The email or password is not right." in response.content.decode(),
                )
            )
        asked = _post(_from("203.0.113.50"), email, "wrong guess")
        seen.append((asked.status_code, SLOW_DOWN_EN in asked.content.decode()))
        answers[email] = seen
    assert answers[EMAIL] == answers["nobody@razem.test"] == [(400, True), (400, True), (429, True)]


def test_no_proof_of_work_is_asked_before_many_failures(razem_organiser):
    page = _post(_from("198.51.100.7"), EMAIL, "wrong guess")
    assert "data-pow-challenge" not in page.content.decode()
    assert "spilka/pow.js" not in page.content.decode()
