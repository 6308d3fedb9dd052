"""Demo data for aid, loaded by `load_demo` after the network and the campaigns.

The miners' convoys of 2022 (seven vans with medical equipment from the Durham coalfield
to miners' union activists in Pavlohrad and the western Donbas), the Senedd group's
vehicle deliveries, one member carrying medical supplies in a suitcase, and open needs
from front-line union branches. Convoy references are stable (``NUM-2022-01`` …) so other
apps' demos can point at them. Safe to run twice: existing references are skipped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

from django.db import transaction
from django.utils import timezone

from spilka.aid.models import Convoy, Handover, ManifestLine, Need
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.catalogue import catalogue_ensure
from spilka.aid.services.handovers import ReceivedLine, handover_confirm
from spilka.network.models import Organisation, Person

BY = "load_demo"
UTC = datetime.UTC

# reference, date, recipient slug, van, value of the load (GBP), kits, tourniquets, stretchers
NUM_CONVOYS = [
    ("NUM-2022-01", datetime.date(2022, 3, 19), "npgu-pavlohrad", "Ford Transit", 1800, 40, 60, 4),
    (
        "NUM-2022-02",
        datetime.date(2022, 4, 16),
        "npgu-pavlohrad",
        "Vauxhall Movano",
        2100,
        50,
        80,
        6,
    ),
    ("NUM-2022-03", datetime.date(2022, 5, 21), "npgu", "Renault Master", 1500, 30, 40, 4),
    ("NUM-2022-04", datetime.date(2022, 7, 2), "npgu-pavlohrad", "Ford Transit", 2400, 60, 90, 6),
    ("NUM-2022-05", datetime.date(2022, 8, 27), "npgu", "Mercedes Sprinter", 2600, 60, 100, 8),
    (
        "NUM-2022-06",
        datetime.date(2022, 10, 15),
        "npgu-pavlohrad",
        "Peugeot Boxer",
        1900,
        40,
        70,
        4,
    ),
    ("NUM-2022-07", datetime.date(2022, 12, 10), "npgu", "Ford Transit Custom", 2200, 50, 80, 6),
]


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)


def _deliver(convoy: Convoy, day: datetime.date, signer: str) -> None:
    """Drive it, confirm every handover in full, then put the history on its real dates."""
    convoy_services.convoy_transition(by=BY, convoy=convoy, to="loading")
    convoy_services.convoy_transition(by=BY, convoy=convoy, to="departed")
    convoy_services.convoy_transition(by=BY, convoy=convoy, to="arrived")
    for handover in convoy.handovers.all():
        handover_confirm(
            handover=handover,
            lines=[ReceivedLine(line.pk, line.quantity) for line in handover.lines.all()],
            signer_name=signer,
            by=BY,
        )
    # Backfilling history from 2022: dates only, the audit log keeps the load time.
    Convoy.objects.filter(pk=convoy.pk).update(
        departed_at=_at(day - datetime.timedelta(days=3), 6), arrived_at=_at(day, 15)
    )
    Handover.objects.filter(convoy=convoy).update(confirmed_at=_at(day, 17))
    ManifestLine.objects.filter(convoy=convoy).update(
        delivered_at=_at(day, 17), public_from=_at(day, 17)
    )


def _if_runs(campaign: Any, organisation: Organisation) -> Any:
    """The campaign, if ``organisation`` leads or co-organises it (only then may its needs
    count in the campaign's report); else none."""
    if campaign is None:
        return None
    if campaign.lead_organisation_id == organisation.pk:
        return campaign
    return campaign if campaign.co_organisers.filter(pk=organisation.pk).exists() else None


def _history_need(
    org: Organisation,
    day: datetime.date,
    items: dict[str, Any],
    lines: list[tuple[str, int]],
    campaign: Any,
) -> Need:
    return need_services.need_create(
        by=BY,
        organisation=org,
        title={
            "en": f"Medical kit for miners' rescue teams ({day:%B %Y})",
            "uk": f"Медичне спорядження для гірничорятувальників ({day:%m.%Y})",
        },
        original_language="uk",
        oblast="dnipropetrovsk",
        hromada="Pavlohradska",
        settlement="Pavlohrad",
        priority="high",
        needed_by=day,
        campaign=_if_runs(campaign, org),
        lines=[(items[code], D(q)) for code, q in lines],
    )


@transaction.atomic
def load_aid_demo() -> dict[str, int]:
    items = catalogue_ensure(by=BY)
    orgs = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=[
                "num-durham",
                "npgu-pavlohrad",
                "npgu",
                "senedd-together-for-ukraine",
                "kvpu",
                "sotsialnyi-rukh",
                "ukraine-solidarity-campaign",
            ]
        )
    }
    if len(orgs) < 7:
        return {"aid_convoys": 0}
    from spilka.campaigns.models import Campaign

    campaign = Campaign.objects.filter(slug="full-support-for-ukraine").first()
    existing = set(Convoy.objects.values_list("reference", flat=True))
    created = 0
    for ref, day, recipient, van, value, kits, tourniquets, stretchers in NUM_CONVOYS:
        if ref in existing:
            continue
        need = _history_need(
            orgs[recipient],
            day,
            items,
            [
                ("first-aid-kit", kits),
                ("tourniquet", tourniquets),
                ("stretcher", stretchers),
                ("van", 1),
            ],
            campaign,
        )
        lines = list(need.lines.order_by("pk"))
        pledge = need_services.pledge_create(
            by=BY,
            need=need,
            donor_organisation=orgs["num-durham"],
            lines=[
                {
                    "need_line": lines[0],
                    "quantity": D(kits),
                    "estimated_value": D(value) * D("0.4"),
                    "currency": "GBP",
                },
                {
                    "need_line": lines[1],
                    "quantity": D(tourniquets),
                    "estimated_value": D(value) * D("0.45"),
                    "currency": "GBP",
                },
                {
                    "need_line": lines[2],
                    "quantity": D(stretchers),
                    "estimated_value": D(value) * D("0.15"),
                    "currency": "GBP",
                },
                {
                    "need_line": lines[3],
                    "quantity": D(1),
                    "estimated_value": D(6500),
                    "currency": "GBP",
                },
            ],
        )
        convoy = convoy_services.convoy_create(
            by=BY,
            organisation=orgs["num-durham"],
            title=f"Durham to {orgs[recipient].city or 'Donbas'}: {van}",
            reference=ref,
            campaign=_if_runs(campaign, orgs["num-durham"]),
        )
        for n, pl in enumerate(pledge.lines.order_by("pk"), start=1):
            lot: dict[str, Any] = (
                {"lot": f"{ref}-L{n}", "expiry": day + datetime.timedelta(days=900)}
                if pl.item.tracks_lot_expiry
                else {}
            )
            convoy_services.manifest_line_add(
                by=BY, convoy=convoy, pledge_line=pl, quantity=pl.quantity, box_number=str(n), **lot
            )
        handover = convoy.handovers.get()
        convoy_services.vehicle_add(
            by=BY,
            convoy=convoy,
            make=van,
            registration=f"ND{day:%y}{ref[-2:]}VAN",
            donated_stays=True,
            handover=handover,
            estimated_value=D(6500),
            currency="GBP",
        )
        for place in ("Durham", "Dover", "Przemyśl", "Lviv", orgs[recipient].city or "Pavlohrad"):
            convoy_services.route_stop_add(by=BY, convoy=convoy, place=place)
        convoy_services.crew_add(by=BY, convoy=convoy, name="Demo driver", role="driver")
        _deliver(convoy, day, "Demo signer")
        created += 1

    senedd = [
        ("SENEDD-2022-01", datetime.date(2022, 6, 11), "Toyota Hilux", "pickup"),
        ("SENEDD-2023-01", datetime.date(2023, 2, 18), "Mitsubishi L200", "pickup"),
    ]
    for ref, day, make, code in senedd:
        if ref in existing:
            continue
        convoy = convoy_services.convoy_create(
            by=BY,
            organisation=orgs["senedd-together-for-ukraine"],
            title=f"Cardiff to Kyiv: {make}",
            reference=ref,
        )
        convoy_services.manifest_line_add(
            by=BY,
            convoy=convoy,
            item=items[code],
            quantity=D(1),
            recipient=orgs["kvpu"],
            donor_organisation=orgs["senedd-together-for-ukraine"],
            estimated_value=D(9000),
            currency="GBP",
            box_number="V",
        )
        convoy_services.manifest_line_add(
            by=BY,
            convoy=convoy,
            item=items["generator"],
            quantity=D(2),
            recipient=orgs["kvpu"],
            donor_organisation=orgs["senedd-together-for-ukraine"],
            estimated_value=D(900),
            currency="GBP",
            box_number="1",
        )
        convoy_services.vehicle_add(
            by=BY,
            convoy=convoy,
            make=make,
            registration=f"CF{day:%y}SEN",
            donated_stays=True,
            handover=convoy.handovers.get(),
            estimated_value=D(9000),
            currency="GBP",
        )
        _deliver(convoy, day, "Demo signer")
        created += 1

    if "IND-2022-01" not in existing:
        member = Person.objects.filter(emails__email="olena@usc.example").first()
        pledge = need_services.pledge_create(
            by=BY,
            donor_person=member,
            donor_organisation=orgs["ukraine-solidarity-campaign"],
            lines=[
                {
                    "item": items["haemostatic-dressing"],
                    "quantity": D(30),
                    "estimated_value": D(450),
                    "currency": "GBP",
                }
            ],
            note="Carried in a suitcase on the train from Przemyśl",
        )
        convoy = convoy_services.convoy_create(
            by=BY,
            organisation=orgs["ukraine-solidarity-campaign"],
            title="A member's suitcase of dressings",
            reference="IND-2022-01",
            campaign=campaign,
        )
        convoy_services.manifest_line_add(
            by=BY,
            convoy=convoy,
            pledge_line=pledge.lines.get(),
            quantity=D(30),
            recipient=orgs["sotsialnyi-rukh"],
            lot="HD-2209",
            expiry=datetime.date(2025, 9, 30),
        )
        _deliver(convoy, datetime.date(2022, 9, 24), "Demo signer")
        created += 1

    open_titles = {
        t["en"]
        for t in Need.objects.filter(status__in=["open", "partly_pledged"]).values_list(
            "title", flat=True
        )
        if isinstance(t, dict) and "en" in t
    }
    open_needs = [
        (
            "npgu-pavlohrad",
            "Generators for the Ternivka mine branch office",
            "Генератори для профкому шахти в Тернівці",
            "dnipropetrovsk",
            "critical",
            [("generator", 4), ("power-bank", 40)],
        ),
        (
            "npgu",
            "Radios and first aid kits for miners mobilised from Myrnohrad",
            "Рації та аптечки для мобілізованих шахтарів з Мирнограда",
            "donetsk",
            "critical",
            [("radio", 12), ("first-aid-kit", 30), ("tourniquet", 30)],
        ),
        (
            "kvpu",
            "Winter clothing for railway repair crews",
            "Зимовий одяг для ремонтних бригад залізниці",
            "kharkiv",
            "high",
            [("thermal-underwear", 80), ("winter-boots", 80)],
        ),
        (
            "sotsialnyi-rukh",
            "Chainsaws and tools for a volunteer repair team",
            "Бензопили та інструменти для волонтерської ремонтної бригади",
            "zaporizhzhia",
            "normal",
            [("chainsaw", 3)],
        ),
    ]
    for slug, en, uk, oblast, priority, wanted in open_needs:
        if en in open_titles or Need.objects.filter(title__en=en).exists():
            continue
        need_services.need_create(
            by=BY,
            organisation=orgs[slug],
            title={"en": en, "uk": uk},
            original_language="uk",
            oblast=oblast,
            priority=priority,
            needed_by=timezone.localdate() + datetime.timedelta(days=30),
            campaign=_if_runs(campaign, orgs[slug]),
            lines=[(items[code], D(q)) for code, q in wanted],
        )
    return {"aid_convoys": created}
