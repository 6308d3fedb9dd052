"""Demo model resolution: "Full support for Ukraine", in two versions, and its adoptions.

Idempotent. Steps go through the services (so they are audited like real reports) and are
then dated back to when they happened, so the history and the timeline look lived-in. The
bodies' decisions are illustrative, not a record of what these organisations decided.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from spilka.campaigns.models import (
    Adoption,
    Campaign,
    Resolution,
    ResolutionVersion,
)
from spilka.campaigns.services.resolutions import (
    adoption_body_create,
    adoption_report,
    adoption_verify,
    body_find_by_name,
    resolution_create,
    resolution_version_add,
)
from spilka.network.models import Organisation

SLUG = "full-support-for-ukraine"
CAMPAIGN = "full-support-for-ukraine"
ORGANISER = "organiser@usc.example"

TITLE = {
    "en": "Full support for Ukraine",
    "uk": "Повна підтримка України",
    "pl": "Pełne wsparcie dla Ukrainy",
}

TEXT_V1 = {
    "en": """This branch notes Russia's full-scale invasion of Ukraine on 24 February 2022, the killing of civilians, and the destruction of homes, workplaces and infrastructure.

This branch believes that the people of Ukraine have the right to resist the invasion and to decide their own future, and that the labour movement must stand with Ukrainian workers and their trade unions, including the Confederation of Free Trade Unions of Ukraine (KVPU) and the Federation of Trade Unions of Ukraine (FPU).

This branch resolves:

1. To support Ukraine's resistance, including its right to obtain the weapons it needs to defend itself, with no strings attached;

2. To send a message of solidarity to Ukrainian trade unions and to donate to union-to-union aid;

3. To oppose attacks on workers' rights in Ukraine, during the war and in its reconstruction;

4. To support refugees from Ukraine and from every war, and Russians who oppose the war;

5. To affiliate to the Ukraine Solidarity Campaign.""",
    "uk": """Ця організація відзначає повномасштабне вторгнення Росії в Україну 24 лютого 2022 року, вбивства цивільних і руйнування домівок, робочих місць та інфраструктури.

Ця організація вважає, що народ України має право чинити опір вторгненню та самостійно визначати своє майбутнє, а робітничий рух має стояти пліч-о-пліч з українськими працівниками та їхніми профспілками, зокрема Конфедерацією вільних профспілок України (КВПУ) та Федерацією профспілок України (ФПУ).

Ця організація ухвалює:

1. Підтримувати спротив України, зокрема її право отримувати зброю, потрібну для самозахисту, без жодних умов;

2. Надіслати послання солідарності українським профспілкам і зробити внесок у профспілкову допомогу;

3. Виступати проти наступу на права працівників в Україні — під час війни і під час відбудови;

4. Підтримувати біженців з України та з усіх воєн, а також росіян, які виступають проти війни;

5. Приєднатися до Кампанії солідарності з Україною (Ukraine Solidarity Campaign).""",
    "pl": """Niniejsza organizacja odnotowuje pełnoskalową inwazję Rosji na Ukrainę 24 lutego 2022 r., zabijanie cywilów oraz niszczenie domów, miejsc pracy i infrastruktury.

Niniejsza organizacja uważa, że naród Ukrainy ma prawo stawiać opór inwazji i samodzielnie decydować o swojej przyszłości, a ruch pracowniczy powinien stać u boku ukraińskich pracowników i ich związków zawodowych, w tym Konfederacji Wolnych Związków Zawodowych Ukrainy (KWPU) i Federacji Związków Zawodowych Ukrainy (FPU).

Niniejsza organizacja postanawia:

1. Wspierać opór Ukrainy, w tym jej prawo do otrzymania broni potrzebnej do obrony, bez żadnych warunków;

2. Przesłać wyrazy solidarności ukraińskim związkom zawodowym i przekazać darowiznę na pomoc związkową;

3. Sprzeciwiać się atakom na prawa pracownicze w Ukrainie, zarówno w czasie wojny, jak i podczas odbudowy;

4. Wspierać uchodźców z Ukrainy i z każdej wojny, a także Rosjan sprzeciwiających się wojnie;

5. Przystąpić do Ukraine Solidarity Campaign (Kampanii Solidarności z Ukrainą).""",
}

ADDED_IN_V2 = {
    "en": """6. To call for the International Atomic Energy Agency to take control of the Zaporizhzhia nuclear power plant with its Ukrainian workforce, and for the occupying forces to withdraw;

7. To call for the cancellation of Ukraine's foreign debt, so that reconstruction serves working people, not lenders.""",
    "uk": """6. Закликати Міжнародне агентство з атомної енергії взяти під контроль Запорізьку атомну електростанцію разом з її українським персоналом, а окупаційні війська — піти;

7. Закликати до списання зовнішнього боргу України, щоб відбудова служила трудящим, а не кредиторам.""",
    "pl": """6. Wezwać Międzynarodową Agencję Energii Atomowej do przejęcia kontroli nad Zaporoską Elektrownią Jądrową wraz z jej ukraińską załogą, a wojska okupacyjne do wycofania się;

7. Wezwać do anulowania zadłużenia zagranicznego Ukrainy, aby odbudowa służyła ludziom pracy, a nie wierzycielom.""",
}
TEXT_V2 = {code: TEXT_V1[code].rstrip(".") + ";\n\n" + ADDED_IN_V2[code] for code in TEXT_V1}
V2_NOTE = "Points on the Zaporizhzhia plant and on debt cancellation added (from UCU's amendment)."

UCU_AMENDMENT = """Add at the end:

6. To call for the cancellation of Ukraine's foreign debt, so that reconstruction serves working people, not lenders."""

d = datetime.date

# body: an existing slug, or (name, country, city) for a body created on the fly.
ADOPTIONS: list[dict[str, Any]] = [
    {
        "body": "num-durham",
        "version": 1,
        "steps": [("tabled", d(2022, 3, 23)), ("adopted", d(2022, 4, 6))],
        "evidence_url": "https://num-durham.example/minutes/2022-04-06",
        "verified": True,
    },
    {
        "body": "neu",
        "version": 1,
        "steps": [
            ("proposed", d(2022, 3, 25)),
            ("tabled", d(2022, 4, 11)),
            ("debated", d(2022, 4, 16)),
        ],
        "verified": True,
    },
    {
        "body": "pcs",
        "version": 1,
        "steps": [("proposed", d(2022, 4, 2)), ("tabled", d(2022, 5, 24))],
        "verified": True,
    },
    {
        "body": "ucu",
        "version": 1,
        "steps": [("tabled", d(2022, 5, 2)), ("adopted_amended", d(2022, 5, 30))],
        "amended_text": UCU_AMENDMENT,
        "verified": True,
    },
    {
        "body": ("Sheffield Trades Union Council", "GB", "Sheffield"),
        "version": 1,
        "steps": [("adopted", d(2022, 7, 12))],
        "verified": True,
    },
    {
        "body": ("Riverside Trades Council", "GB", ""),
        "version": 2,
        "steps": [("tabled", d(2022, 9, 20)), ("rejected", d(2022, 10, 4))],
        "note": "Lost narrowly; the movers plan to bring it back.",
        "verified": True,
    },
    {
        "body": ("San Francisco Labor Council", "US", "San Francisco"),
        "version": 2,
        "steps": [("proposed", d(2023, 1, 9)), ("adopted", d(2023, 2, 13))],
        "verified": True,
    },
    {
        "body": "unison-health",
        "version": 2,
        "steps": [("adopted", d(2023, 6, 20))],
        "verified": False,
    },
]


def _at(day: datetime.date, days_later: int = 1) -> datetime.datetime:
    moment = datetime.datetime.combine(day + datetime.timedelta(days=days_later), datetime.time(18))
    return timezone.make_aware(moment, datetime.UTC)


def _body(spec: Any, by: Any) -> Organisation:
    if isinstance(spec, str):
        return Organisation.objects.get(slug=spec)
    name, country, city = spec
    return body_find_by_name(name=name, country=country) or adoption_body_create(
        by=by, name=name, country=country, city=city, slug=slugify(name)
    )


def _record(resolution: Resolution, data: dict[str, Any], by: Any) -> None:
    body = _body(data["body"], by)
    if Adoption.objects.filter(resolution=resolution, body=body).exists():
        return
    version = resolution.versions.get(number=data["version"])
    for status, day in data["steps"]:
        adoption = adoption_report(
            by=by,
            resolution=resolution,
            body=body,
            status=status,
            meeting_date=day,
            version=version,
            amended_text=data.get("amended_text", "") if status == "adopted_amended" else None,
            evidence_url=data.get("evidence_url"),
            note=data.get("note"),
        )
    last_day = data["steps"][-1][1]
    if data["verified"]:
        adoption = adoption_verify(by=by, adoption=adoption)
    # Date the steps back to when they happened.
    updates = list(adoption.updates.order_by("pk"))
    days = [day for _status, day in data["steps"]] + [last_day + datetime.timedelta(days=7)]
    for update, day in zip(updates, days, strict=False):
        type(update).objects.filter(pk=update.pk).update(
            created_at=_at(day, 0 if day > last_day else 1)
        )
    Adoption.objects.filter(pk=adoption.pk).update(
        reported_at=_at(last_day),
        verified_at=_at(last_day, 7) if data["verified"] else None,
    )


@transaction.atomic
def load_resolutions_demo() -> dict[str, int]:
    created = {"resolutions": 0, "adoptions": 0}
    campaign = Campaign.objects.filter(slug=CAMPAIGN).first()
    if campaign is None:
        return created
    by: Any = get_user_model().objects.filter(email=ORGANISER).first() or "load_demo"
    resolution = Resolution.objects.filter(slug=SLUG).first()
    if resolution is None:
        resolution = resolution_create(
            by=by, campaign=campaign, slug=SLUG, title=TITLE, text=TEXT_V1, original_language="en"
        )
        resolution_version_add(by=by, resolution=resolution, text=TEXT_V2, note=V2_NOTE)
        Resolution.objects.filter(pk=resolution.pk).update(created_at=_at(d(2022, 3, 20), 0))
        for number, day in ((1, d(2022, 3, 20)), (2, d(2022, 9, 15))):
            ResolutionVersion.objects.filter(resolution=resolution, number=number).update(
                created_at=_at(day, 0)
            )
        created["resolutions"] += 1
    before = resolution.adoptions.count()
    for data in ADOPTIONS:
        _record(resolution, data, by)
    created["adoptions"] = resolution.adoptions.count() - before
    return created
