"""The foreign objects the isolation sweep aims at: for every URL name, the keyword
arguments that fill it with an object owned by an organisation other than B (built in the
demo network, with the few objects the demo lacks made here)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from spilka.campaigns.exports import SIGNATURES
from spilka.exports.services import export_request
from spilka.lib.testing import user_with_roles
from spilka.network.models import Organisation

B_SLUG = "razem"  # the visitor's organisation
GARBAGE_TOKEN = "not-a-real-token-0000000000000000"


def _first(qs):
    obj = qs.order_by("pk").first()
    return obj


def _foreign_statement_bill_and_registration(usc: Organisation, campaign) -> None:
    """The demo's statements and bills belong to Razem: give the sweep foreign ones too."""
    from spilka.campaigns.models import Bill, CoSignature, Statement
    from spilka.campaigns.services import statements as statement_services
    from spilka.campaigns.services.legislation import bill_create
    from spilka.events.models import Event
    from spilka.events.services.registrations import event_register, registration_refusal

    if not Statement.objects.filter(campaign__lead_organisation=usc).exists():
        statement = statement_services.statement_create(
            by="test setup",
            campaign=campaign,
            slug="sweep-usc-statement",
            title={"en": "A statement of the campaign"},
            text={"en": "We stand with Ukrainian workers."},
        )
        CoSignature.objects.create(
            statement=statement,
            organisation=Organisation.objects.get(slug="num-durham"),
        )
    if not Bill.objects.filter(campaign__lead_organisation=usc).exists():
        bill_create(
            by="test setup", campaign=campaign, parliament="uk_parliament", title={"en": "A bill"}
        )
    events = Event.objects.filter(registration_enabled=True).exclude(organiser__slug=B_SLUG)
    if not events.filter(registrations__isnull=False).exists():
        event = next(e for e in events.order_by("pk") if registration_refusal(e) is None)
        event_register(event=event, full_name="Olena Sweep", email="olena.sweep@example.org")


def _foreign_link_request(usc: Organisation, campaign):
    """An open request between two other organisations: USC asks Durham miners to
    co-organise its campaign (only they may answer it, only USC may withdraw it)."""
    from spilka.network.link_requests import link_request_propose
    from spilka.network.models import LinkKind

    return link_request_propose(
        by="test setup",
        kind=LinkKind.CAMPAIGN_CO_ORGANISER,
        organisation=Organisation.objects.get(slug="num-durham"),
        proposer=usc,
        campaign=campaign,
        confirmed=False,
    )


def _foreign_webhook(usc: Organisation):
    """A USC webhook endpoint with one delivery in its log (its URL and secret are private)."""
    from django.test import override_settings

    from spilka.webhooks.services import endpoint_create, webhook_send_test

    with override_settings(SPILKA_WEBHOOKS_ALLOW_PRIVATE=True):
        endpoint = endpoint_create(
            by="sweep", organisation=usc, url="http://127.0.0.1:9/usc-crm", events=["pledge.made"]
        )
    return webhook_send_test(by="sweep", endpoint=endpoint)


def foreign_kwargs(b: Organisation) -> tuple[dict[str, dict | None], list[str]]:
    """URL name -> kwargs built from objects that organisation ``b`` does not own."""
    from spilka.aid.models import Convoy, Handover, Need, Pledge
    from spilka.campaigns.models import (
        Adoption,
        Bill,
        Campaign,
        CoSignature,
        Petition,
        Resolution,
        Statement,
    )
    from spilka.events.models import Event, Question, Registration, Series, Speaker
    from spilka.funds.models import Expense, ImportBatch, Receipt, Transaction
    from spilka.network.models import OrganisationRole, Person, Relationship
    from spilka.outreach.models import Mailing, Segment, Supporter, SupporterImport
    from spilka.publishing.models import GlossaryTerm, Publication, ResourceLink, TranslationTask

    mine = Organisation.objects.filter(pk=b.pk) | Organisation.objects.filter(parent=b)
    mine_ids = set(mine.values_list("pk", flat=True))
    usc = Organisation.objects.get(slug="ukraine-solidarity-campaign")
    assert usc.pk not in mine_ids

    convoy = _first(
        Convoy.objects.exclude(organisation__in=mine_ids).filter(handovers__isnull=False)
    )
    handover = _first(Handover.objects.filter(convoy=convoy))
    need = _first(Need.objects.exclude(organisation__in=mine_ids).filter(status="open"))
    pledge = _first(
        Pledge.objects.exclude(need__organisation__in=mine_ids).exclude(
            donor_organisation__in=mine_ids
        )
    )
    expense = _first(Expense.objects.exclude(fund__organisation__in=mine_ids))
    fund = expense.fund
    money_org = fund.organisation.slug
    receipt = _first(Receipt.objects.filter(expense__fund=fund))
    entry = _first(Transaction.objects.filter(fund=fund))
    batch = _first(ImportBatch.objects.filter(fund=fund))
    if batch is None:  # the demo has no bank import: make one to aim at
        uploader = get_user_model().objects.create_user("uploader@sweep.test", "x" * 20)
        batch = ImportBatch.objects.create(
            fund=fund, uploaded_by=uploader, file="imports/sweep.csv", original_name="s.csv"
        )
    campaign = _first(Campaign.objects.filter(lead_organisation=usc))
    _foreign_statement_bill_and_registration(usc, campaign)
    petition = _first(Petition.objects.exclude(campaign__lead_organisation__in=mine_ids))
    resolution = _first(Resolution.objects.exclude(campaign__lead_organisation__in=mine_ids))
    adoption = _first(Adoption.objects.filter(resolution=resolution).exclude(body__in=mine_ids))
    statement = _first(Statement.objects.exclude(campaign__lead_organisation__in=mine_ids))
    cosignature = statement and _first(
        CoSignature.objects.filter(statement=statement).exclude(organisation__in=mine_ids)
    )
    bill = _first(Bill.objects.exclude(campaign__lead_organisation__in=mine_ids))
    event = _first(
        Event.objects.exclude(organiser__in=mine_ids).filter(registrations__isnull=False).distinct()
    )
    registration = _first(Registration.objects.filter(event=event))
    speaker = _first(Speaker.objects.filter(event=event)) or Speaker.objects.create(
        event=event, name="Sweep Speaker"
    )
    series = _first(Series.objects.exclude(organiser__in=mine_ids))
    publication = _first(Publication.objects.filter(organisation=usc))
    task = _first(TranslationTask.objects.exclude(organisation__in=mine_ids))
    resource = _first(ResourceLink.objects.filter(organisation=usc))
    term = _first(GlossaryTerm.objects.all())
    supporter = _first(Supporter.objects.exclude(organisation__in=mine_ids))
    other_supporter = _first(
        Supporter.objects.filter(organisation=supporter.organisation).exclude(pk=supporter.pk)
    )
    segment = _first(Segment.objects.exclude(organisation__in=mine_ids))
    s_import = _first(SupporterImport.objects.exclude(organisation__in=mine_ids))
    mailing = _first(Mailing.objects.exclude(organisation__in=mine_ids))
    relationship = _first(Relationship.objects.filter(target=usc))
    link_request = _foreign_link_request(usc, campaign)
    role = _first(OrganisationRole.objects.filter(organisation=usc))
    person = _first(Person.objects.filter(memberships__organisation=usc))

    def pk(obj):
        return None if obj is None else {"pk": obj.pk}

    def slug(obj):
        return None if obj is None else {"slug": obj.slug}

    token = {"token": GARBAGE_TOKEN}
    o = {"slug": usc.slug}
    m = {"org": money_org}
    ev = slug(event)
    out_s = {"slug": supporter.organisation.slug}
    kw: dict[str, dict | None] = {
        "aid:need": pk(need),
        "aid:need_pledge": pk(need),
        "aid:need_close": pk(need),
        "aid:convoy": pk(convoy),
        "aid:convoy_route": pk(convoy),
        "aid:pledge": pk(pledge),
        "aid:pledge_cancel": pk(pledge),
        "aid:convoy_load": pk(convoy),
        "aid:convoy_transition": pk(convoy),
        "aid:convoy_add": {"pk": convoy.pk, "what": "vehicle"},
        "aid:handover": pk(handover),
        "aid:waybill": pk(handover),
        "aid:handover_photo": pk(handover),
        "aid:receive": {"pk": handover.pk, **token},
        "aid:report_organisation": {"slug": convoy.organisation.slug},
        "aid:report_campaign": slug(campaign),
        "funds:organisation": m,
        "funds:ledger_csv": m,
        "funds:campaign": slug(campaign),
        "funds:campaign_csv": slug(campaign),
        "funds:books": m,
        "funds:fund_new": m,
        "funds:settings": m,
        "funds:fund": {**m, "fund": fund.slug},
        "funds:record": {**m, "fund": fund.slug},
        "funds:books_export": {**m, "fund": fund.slug, "fmt": "csv"},
        "funds:reverse": {**m, "pk": entry.pk},
        "funds:rates": m,
        "funds:shop": m,
        "funds:expense_new": m,
        "funds:expense": {**m, "pk": expense.pk},
        "funds:receipt": {**m, "pk": receipt.pk} if receipt else None,
        "funds:import_new": m,
        "funds:import": {**m, "pk": batch.pk},
        "funds:import_progress": {**m, "pk": batch.pk},
        "events:feed_organisation": o,
        "events:series": slug(series),
        "events:feed_series": slug(series),
        "events:registration": token,
        "events:registration_ics": token,
        "events:cancel": token,
        "events:confirm_email": token,
        "events:offer": token,
        "events:checkin_scan": token,
        "events:event_ics": ev,
        "events:decide": registration and {**ev, "pk": registration.pk},
        "events:checkin_tick": registration and {**ev, "pk": registration.pk},
        "publishing:publication": slug(publication),
        "publishing:publication_edit": slug(publication),
        "publishing:publication_images": slug(publication),
        "publishing:progress": o,
        "publishing:progress_sync": o,
        "publishing:glossary_edit": pk(term),
        "publishing:glossary_delete": pk(term),
        "publishing:resources": o,
        "publishing:resources_manage": o,
        "publishing:feed_rss": o,
        "publishing:feed_atom": o,
        "outreach:organisation": out_s,
        "outreach:supporter": {**out_s, "pk": supporter.pk},
        "outreach:groups": out_s,
        "outreach:duplicates": out_s,
        "outreach:merge": {**out_s, "keep": supporter.pk, "other": other_supporter.pk},
        "outreach:segments": out_s,
        "outreach:segment_new": out_s,
        "outreach:segment": segment and {"slug": segment.organisation.slug, "pk": segment.pk},
        "outreach:segment_export": segment
        and {"slug": segment.organisation.slug, "pk": segment.pk, "fmt": "xlsx"},
        "outreach:supporters_export": {**out_s, "fmt": "csv"},
        "outreach:import_new": out_s,
        "outreach:join": out_s,
        "outreach:join_embed": out_s,
        "outreach:mailings": out_s,
        "outreach:mailing_new": out_s,
        "outreach:unsubscribe": token,
        "outreach:signup_confirm": token,
        "outreach:data_request": token,
        "outreach:data_json": token,
        "outreach:data_csv": token,
        "campaigns:campaign": slug(campaign),
        "campaigns:campaign_edit": slug(campaign),
        "campaigns:petition_create": slug(campaign),
        "campaigns:resolution_create": slug(campaign),
        "campaigns:statement_create": slug(campaign),
        "campaigns:bill_create": slug(campaign),
        "campaigns:signature_confirm": token,
        "campaigns:signature_withdraw": token,
        "campaigns:cosignature_confirm": token,
        "campaigns:individual_confirm": token,
        "campaigns:adoption_update": adoption and {"slug": resolution.slug, "pk": adoption.pk},
        "campaigns:adoption_verify": adoption and {"slug": resolution.slug, "pk": adoption.pk},
        "campaigns:cosignature_withdraw": cosignature
        and {"slug": statement.slug, "organisation": cosignature.organisation.slug},
        "network:relationship_accept": relationship
        and {"slug": relationship.target.slug, "pk": relationship.pk},
        "network:role_revoke": {"slug": usc.slug, "pk": role.pk},
        "network:people_export": {**o, "fmt": "xlsx"},
        "network:link_request_accept": pk(link_request),
        "network:link_request_decline": pk(link_request),
        "network:link_request_withdraw": pk(link_request),
        "network:person": pk(person),
        "network:person_edit": pk(person),
        "network:consent_create": pk(person),
    }
    for name in ("task", "task_claim", "task_release", "task_submit", "task_machine"):
        kw[f"publishing:{name}"] = pk(task)
    for name in ("task_approve", "task_return", "task_publish"):
        kw[f"publishing:{name}"] = pk(task)
    for name in ("resource_edit", "resource_delete", "resource_move"):
        kw[f"publishing:{name}"] = resource and {"slug": usc.slug, "pk": resource.pk}
    for name in ("import", "import_progress"):
        kw[f"outreach:{name}"] = s_import and {
            "slug": s_import.organisation.slug,
            "pk": s_import.pk,
        }
    for name in ("mailing", "mailing_edit", "mailing_test", "mailing_send", "mailing_cancel"):
        kw[f"outreach:{name}"] = mailing and {
            "slug": mailing.organisation.slug,
            "pk": mailing.pk,
        }
    kw["outreach:mailing_progress"] = kw["outreach:mailing"]
    for name in (
        "petition",
        "petition_edit",
        "petition_sign",
        "petition_thanks",
        "petition_thanks_resend",
    ):
        kw[f"campaigns:{name}"] = slug(petition)
    kw["campaigns:petition_widget"] = slug(petition)
    kw["campaigns:petition_export"] = slug(petition)
    for name in (
        "resolution",
        "resolution_timeline_svg",
        "resolution_countries_svg",
        "resolution_version_add",
        "adoption_report",
    ):
        kw[f"campaigns:{name}"] = slug(resolution)
    for name in (
        "statement",
        "statement_print",
        "statement_edit",
        "statement_invite",
        "statement_cosign",
        "statement_cosign_officer",
        "statement_evidence",
        "statement_sign",
        "statement_thanks",
    ):
        kw[f"campaigns:{name}"] = slug(statement)
    kw["campaigns:bill"] = pk(bill)
    kw["campaigns:bill_stage_add"] = pk(bill)
    for name in ("event", "register", "edit", "manage", "attendees", "attendees_csv"):
        kw[f"events:{name}"] = ev
    for name in ("checkin", "message", "duplicate"):
        kw[f"events:{name}"] = ev
    for name in ("item_move", "item_delete"):
        kw[f"events:{name}"] = event and {**ev, "kind": "speaker", "pk": speaker.pk}
    question = _first(Question.objects.filter(event=event)) or Question.objects.create(
        event=event, label={"en": "Sweep question"}
    )
    kw["events:question_edit"] = event and {**ev, "pk": question.pk}
    for name in (
        "organisation",
        "organisation_graph",
        "organisation_edit",
        "relationship_create",
        "people",
        "person_create",
        "roles",
        "role_take_back",
        "audit",
    ):
        kw[f"network:{name}"] = o
    hook = _foreign_webhook(usc)
    for name in ("list", "create"):
        kw[f"webhooks:{name}"] = o
    for name in ("endpoint", "edit", "delete", "rotate", "resume", "test"):
        kw[f"webhooks:{name}"] = {**o, "pk": hook.endpoint_id}
    kw["webhooks:resend"] = {**o, "pk": hook.endpoint_id, "delivery_id": hook.id}
    # The API keys page of a foreign organisation, and one of its keys.
    from spilka.api.models import ApiKey
    from spilka.api.services import apikey_create

    foreign_key = (
        ApiKey.objects.filter(organisation=usc).first()
        or apikey_create(organisation=usc, name="sweep", scopes=["supporters:read"], by="sweep")[0]
    )
    kw["api_keys:list"] = o
    kw["api_keys:revoke"] = {**o, "pk": foreign_key.pk}

    # What B must never see: the foreign private addresses and personal emails.
    from spilka.network.models import PersonEmail

    secrets = [
        e.lower() for e in PersonEmail.objects.filter(person=person).values_list("email", flat=True)
    ]
    secrets += [
        s.lower()
        for s in Supporter.objects.filter(organisation=supporter.organisation)
        .order_by("pk")
        .values_list("email", flat=True)[:25]
        if s
    ]
    if registration is not None:
        secrets += [
            e.lower()
            for e in Registration.objects.filter(event__organiser=event.organiser)
            .order_by("pk")
            .values_list("email", flat=True)[:25]
            if e
        ]
    secrets += [hook.endpoint.secret, "usc-crm", str(hook.id)]
    # An export a USC organiser asked for (still waiting: its task runs after a commit
    # this test never makes): its status, progress and file are the requester's alone.
    export, _created = export_request(
        kind=SIGNATURES,
        by=user_with_roles("exporter@usc.sweep.test", [(usc, "organiser")]),
        parameters={"slug": petition.slug},
    )
    for name in ("status", "progress", "download"):
        kw[f"exports:{name}"] = {"pk": export.pk}
    return kw, secrets
