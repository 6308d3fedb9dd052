"""Proof-of-work: a solved challenge is accepted once, however its payload is re-encoded."""

import base64
import json

import pytest

from spilka.lib.pow import pow_challenge, pow_mark, pow_solution_marker
from spilka.lib.testing import pow_solve_for_tests


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500


def _decoded(payload):
    return json.loads(base64.b64decode(payload))


def _encoded(solution, **dumps):
    return base64.b64encode(json.dumps(solution, **dumps).encode()).decode()


def _re_encodings(payload):
    solution = _decoded(payload)
    yield _encoded(solution, sort_keys=True, indent=2)
    yield _encoded(dict(reversed(list(solution.items()))))
    yield _encoded(solution, separators=(",", ":"))
    yield _encoded({**solution, "took": 12, "extra": "x"})
    yield _encoded({**solution, "number": str(solution["number"])})
    yield _encoded({**solution, "salt": solution["salt"].rstrip("&")})
    yield base64.b64encode((" " + json.dumps(solution) + "\n").encode()).decode()


def test_a_solution_is_spent_once_whatever_its_encoding():
    payload = pow_solve_for_tests(pow_challenge())
    marker = pow_solution_marker(payload)
    assert marker is not None
    assert pow_mark(marker) is True
    for variant in _re_encodings(payload):
        again = pow_solution_marker(variant)
        # Either the variant is not a valid solution at all, or it is the same one, spent.
        assert again is None or again == marker
        assert again is None or pow_mark(again) is False
    assert pow_mark(marker) is False


def test_re_encodings_of_a_solution_still_verify_and_share_one_marker():
    payload = pow_solve_for_tests(pow_challenge())
    markers = {pow_solution_marker(variant) for variant in _re_encodings(payload)}
    assert markers == {pow_solution_marker(payload)}


def test_two_challenges_have_two_markers():
    first = pow_solution_marker(pow_solve_for_tests(pow_challenge()))
    second = pow_solution_marker(pow_solve_for_tests(pow_challenge()))
    assert first is not None and second is not None
    assert first != second


@pytest.mark.parametrize(
    "payload",
    ["", "x" * 3000, "bm90IGpzb24=", "%%%", base64.b64encode(b"[1, 2]").decode(), "W10="],
)
def test_anything_but_a_solution_has_no_marker(payload):
    assert pow_solution_marker(payload) is None


def test_a_forged_signature_has_no_marker():
    solution = _decoded(pow_solve_for_tests(pow_challenge()))
    solution["signature"] = "0" * 64
    assert pow_solution_marker(_encoded(solution)) is None
