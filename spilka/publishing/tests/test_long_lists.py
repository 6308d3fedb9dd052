"""Every draft of an organisation is reachable from the publications page, page by page."""

from __future__ import annotations

import pytest

from spilka.publishing.services import publications as publication_services

PER_PAGE = 20  # drafts per page


@pytest.mark.django_db
def test_the_oldest_draft_is_on_the_second_page(ussc, ussc_organiser, login):
    for i in range(PER_PAGE + 1):
        publication_services.publication_create(
            by=ussc_organiser,
            organisation=ussc,
            slug=f"draft-{i:03d}",
            kind="article",
            original_language="en",
            title={"en": f"Draft notes {i:03d}"},
            summary={"en": "Summary."},
            body={"en": "Body."},
            tags=[],
            status="draft",
        )
    client = login(ussc_organiser)
    first = client.get("/en/publications/").content.decode()
    second = client.get("/en/publications/", {"drafts_page": 2}).content.decode()
    assert "Draft notes 000" not in first and "Draft notes 020" in first
    assert "Draft notes 000" in second and "Draft notes 020" not in second
    for page in ("abc", "999"):
        assert client.get("/en/publications/", {"drafts_page": page}).status_code == 200
