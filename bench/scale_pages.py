"""Every page type of Spilka, filled in with real objects, for ``bench/scale.py``.

Names come from the live URL resolver (as tests/test_isolation_sweep.py collects them), so a
new page is measured without editing this file; a name this file cannot fill is reported
as skipped. Objects are the big organisation's (the Ukraine Solidarity Campaign of the
demo): its petition, fund, supporters and flagship event hold most of the 100x volumes.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

BIG_ORG = "ukraine-solidarity-campaign"
BIG_EVENT = "another-ukraine-is-possible"
GARBAGE = "not-a-real-token-0000000000000000"

# Not pages, or they change the visitor's session under the bench's feet.
SKIP = {
    "None:None",  # /media/
    "None:admin_login_redirect",
    "None:language_switch",
    "accounts:logout",
    "None:outbox_attachment",
}


def collect() -> dict[str, list[str]]:
    """Every ``namespace:name`` with its route parameters."""
    found: dict[str, list[str]] = {}

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}"
                if name not in SKIP:
                    found.setdefault(name, list(entry.pattern.converters))

    walk(get_resolver(), None)
    return found


def _first(qs):
    return qs.order_by("pk").first()


def objects() -> dict:
    """The objects the pages are aimed at: the big organisation's where it has them."""
    from spilka.aid.models import Convoy, Handover, Need, Pledge
    from spilka.campaigns.models import Adoption, Bill, CoSignature, Petition, Resolution, Statement
    from spilka.events.models import Event, Registration, Series, Speaker
    from spilka.funds.models import Expense, Fund, ImportBatch, Receipt, Transaction
    from spilka.network.models import (
        LinkRequest,
        Organisation,
        OrganisationRole,
        Person,
        Relationship,
    )
    from spilka.outreach.models import Mailing, Segment, Supporter, SupporterImport
    from spilka.publishing.models import GlossaryTerm, Publication, ResourceLink, TranslationTask

    org = Organisation.objects.get(slug=BIG_ORG)
    petition = _first(Petition.objects.filter(campaign__lead_organisation=org))
    event = Event.objects.get(slug=BIG_EVENT)
    fund = Fund.objects.filter(organisation=org).order_by("pk").first()
    resolution = _first(Resolution.objects.all())
    statement = _first(Statement.objects.all())
    convoy = _first(Convoy.objects.filter(organisation=org)) or _first(Convoy.objects.all())
    supporters = Supporter.objects.filter(organisation=org).order_by("pk")
    return {
        "org": org,
        "campaign": petition.campaign,
        "petition": petition,
        "resolution": resolution,
        "adoption": _first(Adoption.objects.filter(resolution=resolution)),
        "statement": statement,
        "cosignature": _first(CoSignature.objects.filter(statement=statement)),
        "bill": _first(Bill.objects.filter(campaign__lead_organisation=org))
        or _first(Bill.objects.all()),
        "event": event,
        "series": _first(Series.objects.all()),
        "registration": _first(Registration.objects.filter(event=event))
        or _first(Registration.objects.all()),
        "speaker": _first(Speaker.objects.filter(event__organiser=org))
        or _first(Speaker.objects.all()),
        "fund": fund,
        "entry": _first(Transaction.objects.filter(fund=fund)),
        "expense": _first(Expense.objects.filter(fund__organisation=org))
        or _first(Expense.objects.all()),
        "receipt": _first(Receipt.objects.filter(expense__fund__organisation=org))
        or _first(Receipt.objects.all()),
        "batch": _first(ImportBatch.objects.filter(fund__organisation=org)),
        "convoy": convoy,
        "handover": _first(Handover.objects.filter(convoy=convoy)),
        "need": _first(Need.objects.filter(status="open")),
        "pledge": _first(Pledge.objects.filter(donor_organisation=org))
        or _first(Pledge.objects.all()),
        "publication": _first(Publication.objects.filter(organisation=org)),
        "resource": _first(ResourceLink.objects.filter(organisation=org)),
        "task": _first(TranslationTask.objects.filter(organisation=org)),
        "term": _first(GlossaryTerm.objects.all()),
        "supporter": supporters.first(),
        "other_supporter": supporters[1:2].first(),
        "segment": _first(Segment.objects.filter(organisation=org)),
        "import": _first(SupporterImport.objects.filter(organisation=org))
        or _first(SupporterImport.objects.all()),
        "mailing": _first(Mailing.objects.filter(organisation=org)),
        "relationship": _first(Relationship.objects.filter(target=org)),
        "link_request": _first(LinkRequest.objects.filter(organisation=org))
        or _first(LinkRequest.objects.all()),
        "role": _first(OrganisationRole.objects.filter(organisation=org)),
        "person": _first(Person.objects.filter(memberships__organisation=org)),
    }


def _slug_target(name: str) -> str:
    app, url = name.split(":")
    if name in ("aid:report_organisation", "events:feed_organisation"):
        return "org"
    if name in ("aid:report_campaign", "funds:campaign", "funds:campaign_csv"):
        return "campaign"
    if app == "campaigns":
        if url.startswith("petition_") and url != "petition_create" or url == "petition":
            return "petition"
        if (
            url.startswith("resolution")
            and url != "resolution_create"
            or url.startswith("adoption")
        ):
            return "resolution"
        if url.startswith("statement") and url != "statement_create" or url.startswith("cosig"):
            return "statement"
        return "campaign"
    if app == "events":
        return "series" if url in ("series", "feed_series") else "event"
    if app == "publishing" and url.startswith("publication"):
        return "publication"
    return "org"


PK_TARGETS = {
    "aid:convoy": "convoy",
    "aid:handover": "handover",
    "aid:waybill": "handover",
    "aid:receive": "handover",
    "aid:need": "need",
    "aid:pledge": "pledge",
    "campaigns:bill": "bill",
    "campaigns:adoption": "adoption",
    "events:checkin_tick": "registration",
    "events:decide": "registration",
    "events:item": "speaker",
    "network:consent": "person",
    "network:person": "person",
    "network:link_request": "link_request",
    "network:relationship": "relationship",
    "network:role": "role",
    "outreach:import": "import",
    "outreach:mailing": "mailing",
    "outreach:segment": "segment",
    "outreach:supporter": "supporter",
    "publishing:glossary": "term",
    "publishing:task": "task",
    "publishing:resource": "resource",
    "funds:expense": "expense",
    "funds:import": "batch",
    "funds:receipt": "receipt",
    "funds:reverse": "entry",
}


def _pk_target(name: str) -> str | None:
    for prefix, key in sorted(PK_TARGETS.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(prefix):
            return key
    return None


def paths(objs: dict) -> tuple[dict[str, str], list[str]]:
    """``name -> path`` for every collected page, and the names left out."""
    out: dict[str, str] = {}
    skipped: list[str] = []
    for name, params in sorted(collect().items()):
        kwargs: dict = {}
        try:
            for param in params:
                if param == "slug":
                    if name == "None:share_image":
                        kwargs["kind"], kwargs["slug"] = "petition", objs["petition"].slug
                    else:
                        kwargs["slug"] = objs[_slug_target(name)].slug
                elif param == "org":
                    kwargs["org"] = objs["org"].slug
                elif param == "fund":
                    kwargs["fund"] = objs["fund"].slug
                elif param == "pk":
                    kwargs["pk"] = objs[_pk_target(name)].pk
                elif param in ("token", "uidb64"):
                    kwargs[param] = GARBAGE
                elif param == "fmt":
                    kwargs["fmt"] = "csv" if name != "network:people_export" else "xlsx"
                elif param == "what":
                    kwargs["what"] = "vehicle"
                elif param == "kind" and name != "None:share_image":
                    kwargs["kind"] = "speaker"
                elif param == "keep":
                    kwargs["keep"] = objs["supporter"].pk
                elif param == "other":
                    kwargs["other"] = objs["other_supporter"].pk
                elif param == "organisation":
                    kwargs["organisation"] = objs["cosignature"].organisation.slug
            if name == "None:sitemap_section":
                from spilka.lib.discovery import SITEMAPS

                for section in SITEMAPS:
                    out[f"sitemap:{section}"] = reverse(
                        "sitemap_section", kwargs={"section": section}
                    )
                continue
            out[name] = reverse(name.removeprefix("None:"), kwargs=kwargs or None)
        except (AttributeError, KeyError, TypeError, Exception):  # an object the data lacks
            skipped.append(name)
    return out, skipped
