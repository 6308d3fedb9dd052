"""Demo data for outreach, loaded by `load_demo` after every other app's demo.

- USC: a fifth of the Zaporizhzhia petition's signers ticked "updates from USC"; the
  backfill makes them supporters. Tagged, listed, a segment of the Polish speakers, and a
  sent bilingual mailing with its report (sent through the real batch path, to a mail
  backend that discards, so the development outbox is not flooded).
- USSC: its members' list arrives as a CSV import (with a repeated row and a bad one).
Idempotent: a second run finds the demo mailing and stops.
"""

from __future__ import annotations

import random

from django.core.mail import get_connection
from django.db import transaction

from spilka.network.models import Organisation
from spilka.outreach.models import Mailing, MailingRecipient, Segment, Supporter, SupporterList, Tag

BY = "load_demo"
SUBJECT = {
    "en": "Zaporizhzhia: what our petition achieved, and what comes next",
    "pl": "Zaporoże: co osiągnęła nasza petycja i co dalej",
}
BODY = {
    "en": (
        "Dear {{ first_name|friend }},\n\nThank you for signing for IAEA control of the "
        "Zaporizhzhia nuclear plant. Union delegations from Ukraine's Independent Miners' "
        "Union will speak in London, Warsaw and Glasgow this spring.\n\nIn solidarity,\n"
        "{{ organisation }}"
    ),
    "pl": (
        "Cześć {{ first_name|przyjaciółko, przyjacielu }},\n\ndziękujemy za podpis pod "
        "petycją o kontrolę MAEA nad elektrownią w Zaporożu. Delegacja niezależnych "
        "górników z Ukrainy przyjedzie wiosną do Warszawy.\n\nW solidarności,\n"
        "{{ organisation }}"
    ),
}
USSC_NAMES = [
    ("Maria", "Gonzalez", "en", "US"),
    ("James", "O'Connor", "en", "US"),
    ("Halyna", "Bondar", "uk", "US"),
    ("Piotr", "Zielinski", "pl", "US"),
    ("Aisha", "Rahman", "en", "US"),
    ("Dmytro", "Savchenko", "uk", "UA"),
    ("Rosa", "Martinez", "en", "US"),
    ("Ewa", "Kaczmarek", "pl", "US"),
]


def _ussc_csv() -> bytes:
    rng = random.Random(8)
    lines = ["Email,First name,Last name,Language,Country,Tags"]
    for n in range(40):
        first, last, lang, country = USSC_NAMES[n % len(USSC_NAMES)]
        lines.append(
            f"member{n:03d}@ussc.example,{first},{last},{lang},{country},"
            f"{rng.choice(['chapter-nyc', 'chapter-chicago', 'chapter-bay-area'])}"
        )
    lines.append("member000@ussc.example,Maria,Gonzalez,en,US,")  # repeated in the file
    lines.append("not-an-address,Bad,Row,en,US,")
    return "\n".join(lines).encode()


def _ussc_import(ussc: Organisation) -> None:
    from spilka.outreach.services import imports
    from spilka.outreach.services.groups import list_create

    if Supporter.objects.filter(organisation=ussc, email__endswith="@ussc.example").exists():
        return
    members = SupporterList.objects.filter(organisation=ussc, name="Members").first()
    members = members or list_create(organisation=ussc, name="Members", by=BY)
    upload = imports.import_upload(
        organisation=ussc,
        by=BY,
        filename="ussc-members.csv",
        data=_ussc_csv(),
        consent_given=True,
        consent_source="USSC membership form (opt-in box), 2023-2024",
        consent_wording="Keep me informed about USSC campaigns by email.",
        target_list=members,
    )
    with transaction.atomic():
        imports.import_queue(supporter_import=upload, by=BY)
    imports.import_run(import_id=upload.pk)  # the queue may be a database one: run it here


def _usc_supporters(usc: Organisation) -> None:
    from spilka.campaigns.models import Petition, SignatureConsent, SignatureStatus
    from spilka.outreach.services.supporters import supporters_backfill_from_signatures

    petition = Petition.objects.filter(slug="iaea-zaporizhzhia").first()
    if petition is None:
        return
    wording = (
        "I would like to receive updates by email from Ukraine Solidarity Campaign. "
        "I can unsubscribe at any time."
    )
    signatures = petition.signatures.filter(status=SignatureStatus.CONFIRMED).order_by("pk")
    have = set(
        SignatureConsent.objects.filter(organisation=usc, signature__petition=petition).values_list(
            "signature_id", flat=True
        )
    )
    SignatureConsent.objects.bulk_create(
        [
            SignatureConsent(signature=s, organisation=usc, wording=wording, language=s.language)
            for n, s in enumerate(signatures.only("pk", "language", "petition_id"))
            if n % 5 == 0 and s.pk not in have
        ]
    )
    supporters_backfill_from_signatures()


def load_outreach_demo() -> dict[str, int]:
    from spilka.outreach.selectors import mailing_recipient_count
    from spilka.outreach.services import mailings
    from spilka.outreach.services.groups import tag_create
    from spilka.outreach.services.supporters import supporter_unsubscribe

    orgs = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=["ukraine-solidarity-campaign", "ussc"])
    }
    usc, ussc = orgs.get("ukraine-solidarity-campaign"), orgs.get("ussc")
    if usc is None or ussc is None:
        return {}
    if Mailing.objects.filter(organisation=usc, subject__en=SUBJECT["en"]).exists():
        return {"outreach_supporters": 0}
    _usc_supporters(usc)
    _ussc_import(ussc)
    with transaction.atomic():
        tag = Tag.objects.filter(organisation=usc, name="zaporizhzhia-petition").first()
        tag = tag or tag_create(organisation=usc, name="zaporizhzhia-petition", by=BY)
        signers = Supporter.objects.filter(organisation=usc, source="petition_signed")
        Supporter.tags.through.objects.bulk_create(
            [
                Supporter.tags.through(supporter_id=pk, tag_id=tag.pk)
                for pk in signers.values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
        segment = Segment.objects.filter(
            organisation=usc, name="Polish-speaking petition signers"
        ).first()
        segment = segment or mailings.segment_save(
            organisation=usc,
            by=BY,
            name="Polish-speaking petition signers",
            filters={"languages": ["pl"], "action_kind": "petition_signed"},
        )
        mailing = mailings.mailing_create(
            organisation=usc,
            by=BY,
            subject=SUBJECT,
            body=BODY,
            original_language="en",
            segment=segment,
        )
        mailing = mailings.mailing_queue(
            mailing=mailing,
            by=BY,
            base_url="http://127.0.0.1:8000",
            confirmed_count=mailing_recipient_count(mailing),
        )
    mailings.mailing_send_run(
        mailing_id=mailing.pk,
        connection_factory=lambda: get_connection("django.core.mail.backends.dummy.EmailBackend"),
    )
    # A few people unsubscribed from it, for the report.
    for receipt in MailingRecipient.objects.filter(mailing=mailing).order_by("pk")[:3]:
        if receipt.supporter_id is None:
            continue
        supporter_unsubscribe(
            organisation_id=usc.pk, supporter_id=receipt.supporter_id, mailing_id=mailing.pk
        )
    return {
        "outreach_supporters": Supporter.objects.filter(organisation__in=[usc, ussc]).count(),
        "outreach_mailings": 1,
    }
