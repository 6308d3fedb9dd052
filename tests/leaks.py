"""Finding any of many private strings in a page, whatever their case.

The sweeps look for dozens of private addresses in every page they request. One regular
expression of them all (``a|b|…`` with ``IGNORECASE``) spent 85 ms on a 93 KB page with
80 of them; case-folding the page once and looking for each folded string with ``in``
spent 2.6 ms.
"""

from __future__ import annotations

from collections.abc import Iterable


class Secrets:
    """Strings that must not appear in a page, compared case-insensitively (``casefold``)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a page showing "ann@b.example" reports it, not "ann".
        self._folded = sorted(
            {secret.casefold(): secret for secret in secrets if secret}.items(),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        if not self._folded:
            raise ValueError("no secrets to look for: the sweep would find nothing")

    def first_in(self, text: str) -> str | None:
        """The first secret (as given) that ``text`` shows, or None."""
        folded = text.casefold()
        for needle, secret in self._folded:
            if needle in folded:
                return secret
        return None
