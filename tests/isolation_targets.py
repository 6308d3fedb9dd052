"""What the isolation sweep (``tests/test_isolation_sweep.py``) aims at: every named URL
of the swept apps, filled in with a foreign object (one owned by an organisation other than
the visitor's organisation B), the URLs public by design with the reason, and the secrets
no page may show."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from spilka.network.models import Organisation
from tests.isolation_foreign import foreign_kwargs

APPS = (
    "aid",
    "funds",
    "events",
    "publishing",
    "outreach",
    "campaigns",
    "network",
    "webhooks",
    "api_keys",
    "exports",
)
ROLES = ("admin", "organiser", "logistics", "treasurer", "translator", "viewer")

# URL name -> why anyone (or any signed-in organisation) may see it.
PUBLIC: dict[str, str] = {
    # aid
    "aid:need": "open needs are shown to every donor organisation so they can pledge",
    "aid:need_pledge": "any organisation may pledge to another organisation's open need",
    "aid:report_organisation": "public delivery report (aggregates, no people)",
    "aid:report_campaign": "public delivery report of a campaign (aggregates, no people)",
    "aid:receive": "token link for the receiving organisation (garbage token here)",
    # funds
    "funds:organisation": "public transparency page of an organisation's ledger",
    "funds:ledger_csv": "public transparency export of an organisation's ledger",
    "funds:campaign": "public transparency page of a campaign's money",
    "funds:campaign_csv": "public transparency export of a campaign's money",
    # events
    "events:feed_organisation": "public calendar feed of published events",
    "events:series": "public page of a series of events",
    "events:feed_series": "public calendar feed of a series",
    "events:event": "public page of a published event",
    "events:register": "public registration form of a published event",
    "events:event_ics": "public add-to-calendar file of a published event (no join link)",
    "events:registration": "registrant's token link (garbage token here)",
    "events:registration_ics": "registrant's token link (garbage token here)",
    "events:cancel": "registrant's token link (garbage token here)",
    "events:confirm_email": "registrant's mailed confirmation link (garbage token here)",
    "events:offer": "waiting-list offer token link (garbage token here)",
    "events:checkin_scan": "QR check-in token link (garbage token here)",
    # publishing
    "publishing:publication": "public page of a published publication",
    "publishing:resources": "public resources page of an organisation",
    "publishing:feed_rss": "public RSS feed of published publications",
    "publishing:feed_atom": "public Atom feed of published publications",
    "publishing:glossary_edit": "network-wide glossary, owned by no organisation",
    "publishing:glossary_delete": "network-wide glossary, owned by no organisation",
    # outreach
    "outreach:join": "public sign-up form of an organisation",
    "outreach:join_embed": "embeddable public sign-up form",
    "outreach:unsubscribe": "recipient's token link (garbage token here)",
    "outreach:signup_confirm": "sign-up confirmation token link (garbage token here)",
    "outreach:data_request": "data-subject request token link (garbage token here)",
    "outreach:data_json": "data-subject export token link (garbage token here)",
    "outreach:data_csv": "data-subject export token link (garbage token here)",
    # campaigns
    "campaigns:campaign": "public campaign page",
    "campaigns:petition": "public petition page",
    "campaigns:petition_sign": "public signing form",
    "campaigns:petition_thanks": "public thank-you page",
    "campaigns:petition_thanks_resend": "public resend button: mails only the address in the signer's own signed cookie",
    "campaigns:petition_widget": "public embeddable widget",
    "campaigns:signature_confirm": "signer's token link (garbage token here)",
    "campaigns:signature_withdraw": "signer's token link (garbage token here)",
    "campaigns:resolution": "public model-resolution page",
    "campaigns:resolution_timeline_svg": "public chart of adoptions",
    "campaigns:resolution_countries_svg": "public chart of adoptions",
    "campaigns:adoption_report": "any body may report that it adopted a public resolution",
    "campaigns:statement": "public statement page",
    "campaigns:statement_print": "public printable statement",
    "campaigns:statement_cosign": "any organisation may co-sign a public statement",
    "campaigns:statement_cosign_officer": "co-signing by an officer of the signing body",
    "campaigns:statement_evidence": "co-signing with evidence from the signing body",
    "campaigns:statement_sign": "public individual signing form",
    "campaigns:statement_thanks": "public thank-you page",
    "campaigns:cosignature_confirm": "co-signer's token link (garbage token here)",
    "campaigns:individual_confirm": "signer's token link (garbage token here)",
    "campaigns:bill": "public page of a bill followed by a campaign",
    # network
    "network:organisation": "public profile of an organisation",
    "network:organisation_graph": "public chart of an organisation's relationships",
}

# URL name -> why an empty POST by someone outside any owning organisation may change data.
SHARED_WRITES: dict[str, str] = {
    "publishing:glossary_delete": "the instance-wide glossary is edited by organisers and "
    "admins of any organisation (docs/publishing.md); a delete form has no fields",
}


@dataclass
class Target:
    name: str  # "app:url_name"
    path: str
    public: bool


def _collect_names() -> list[tuple[str, list[str]]]:
    """Every (namespaced name, route kwargs) of the swept apps, from the live resolver."""
    found: dict[str, list[str]] = {}

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry, ns)
            elif isinstance(entry, URLPattern) and entry.name and namespace in APPS:
                found.setdefault(f"{namespace}:{entry.name}", list(entry.pattern.converters))

    walk(get_resolver(), None)
    return sorted(found.items())


def targets_for(b: Organisation) -> tuple[list[Target], list[str], list[str]]:
    kwargs, secrets = foreign_kwargs(b)
    targets, skipped = [], []
    for name, params in _collect_names():
        if params:
            if kwargs.get(name) is None:
                skipped.append(name)
                continue
            path = reverse(name, kwargs=kwargs[name])
        else:
            path = reverse(name)
        # URLs without parameters are lists and forms scoped to the visitor's own
        # organisations: they may answer 200, and are checked for foreign data below.
        targets.append(Target(name=name, path=path, public=name in PUBLIC or not params))
    private_paths = [t.path for t in targets if not t.public]
    return targets, skipped, sorted(set(secrets)) + private_paths
