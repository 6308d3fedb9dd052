import html
import re

import pytest

from spilka.lib.testing import pow_solve_for_tests


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    # The browser's work is the same algorithm; tests keep it small.
    settings.SPILKA_POW_MAX_NUMBER = 500


@pytest.fixture
def petition(demo):
    from spilka.campaigns.models import Petition

    return Petition.objects.get(slug="iaea-zaporizhzhia")


def sign_form_data(client, petition, language="en", **overrides):
    """What a browser posts: the form's fields plus a solved proof-of-work."""
    page = client.get(f"/{language}/petitions/{petition.slug}/").content.decode()
    challenge = html.unescape(re.search(r'data-pow-challenge="([^"]+)"', page).group(1))
    data = {
        "full_name": "Olena Petrenko",
        "email": "Olena.Petrenko@Example.org",
        "country": "UA",
        "postcode": "",
        "organisation_name": "",
        "website": "",
        "altcha": pow_solve_for_tests(challenge),
    }
    # The signed wording of each consent box, as the page carries it (a browser sends it).
    for name, value in re.findall(
        r'<input type="hidden" name="(consent_\d+_wording)" value="([^"]*)"', page
    ):
        data[name] = html.unescape(value)
    data.update(overrides)
    return data


@pytest.fixture
def sign(client, django_capture_on_commit_callbacks):
    def _sign(petition, language="en", **overrides):
        data = sign_form_data(client, petition, language, **overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/{language}/petitions/{petition.slug}/sign/", data)

    return _sign


def link_from_mail(message, kind="confirm"):
    return re.search(rf"http://testserver(/\w\w/petitions/{kind}/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def open_petition(demo):
    """A petition of its own, for transactional tests (which start from an emptied database)."""
    from spilka.campaigns.services.campaigns import campaign_create
    from spilka.campaigns.services.petitions import petition_create

    campaign = campaign_create(
        by="test",
        slug="load-test",
        title={"en": "Load test"},
        lead_organisation=demo["ukraine-solidarity-campaign"],
        status="active",
    )
    return petition_create(
        by="test",
        campaign=campaign,
        slug="load-test",
        title={"en": "Load"},
        target={"en": "Us"},
        text={"en": "Text"},
        status="open",
    )
