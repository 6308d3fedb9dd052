"""The sweeps' leak finder: it must see a secret whatever its case, and report it by name."""

from __future__ import annotations

import pytest

from tests.leaks import Secrets


def test_a_secret_is_found_whatever_its_case_and_the_longest_match_is_named():
    secrets = Secrets(["ann", "Ann.Kowalska@Razem.example", "Łódź Street 5"])
    assert secrets.first_in("<p>ann.kowalska@razem.EXAMPLE</p>") == "Ann.Kowalska@Razem.example"
    assert secrets.first_in("<td>ŁÓDŹ STREET 5</td>") == "Łódź Street 5"
    assert secrets.first_in("<p>Joanna</p>") == "ann"


def test_a_page_without_secrets_finds_none_and_an_empty_list_is_refused():
    assert Secrets(["anna@razem.example"]).first_in("<p>Razem</p>") is None
    with pytest.raises(ValueError):
        Secrets(["", ""])
