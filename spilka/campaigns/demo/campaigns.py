"""Demo campaigns from the article: the Zaporizhzhia petition, debt cancellation and more.

Idempotent. The petition's few thousand signers are generated (reserved example domain).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from spilka.campaigns.models import Campaign, Petition, Signature, SignatureStatus
from spilka.campaigns.services.campaigns import campaign_create
from spilka.campaigns.services.petitions import petition_create
from spilka.network.models import Organisation

BY = "load_demo"

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "slug": "zaporizhzhia-iaea",
        "lead": "ukraine-solidarity-campaign",
        "co": ["kvpu", "npgu"],
        "status": "active",
        "starts_on": datetime.date(2022, 9, 1),
        "title": {
            "en": "Make Zaporizhzhia safe: IAEA control of the nuclear plant",
            "uk": "Безпека Запоріжжя: контроль МАГАТЕ над атомною станцією",
            "pl": "Bezpieczne Zaporoże: kontrola MAEA nad elektrownią jądrową",
            "ru": "Безопасность Запорожья: контроль МАГАТЭ над атомной станцией",
        },
        "summary": {
            "en": "Russian occupation of Europe's largest nuclear power plant puts millions at risk. Unions call for the International Atomic Energy Agency to take control of the site and for the occupiers to leave.",
            "uk": "Російська окупація найбільшої атомної електростанції Європи загрожує мільйонам людей. Профспілки вимагають, щоб МАГАТЕ взяло станцію під контроль, а окупанти пішли.",
        },
    },
    {
        "slug": "cancel-ukraines-debt",
        "lead": "razem",
        "co": ["sotsialnyi-rukh", "ussc", "ukraine-solidarity-campaign"],
        "status": "active",
        "starts_on": datetime.date(2022, 6, 1),
        "original_language": "en",
        "title": {
            "en": "Cancel Ukraine's debt",
            "uk": "Списати борги України",
            "pl": "Anulować dług Ukrainy",
            "ru": "Списать долги Украины",
        },
        "summary": {
            "en": "Ukraine's foreign debt restricts its war effort and its ability to keep the economy afloat. Left parties, unions and campaigns call on governments and lenders to cancel it.",
            "pl": "Zadłużenie zagraniczne Ukrainy ogranicza jej wysiłek wojenny i zdolność utrzymania gospodarki. Partie lewicy, związki i kampanie wzywają rządy i wierzycieli do jego anulowania.",
        },
    },
    {
        "slug": "full-support-for-ukraine",
        "lead": "ukraine-solidarity-campaign",
        "co": [],
        "status": "active",
        "starts_on": datetime.date(2022, 3, 15),
        "title": {
            "en": "Full support for Ukraine: the model union resolution",
            "uk": "Повна підтримка України: зразкова профспілкова резолюція",
            "pl": "Pełne wsparcie dla Ukrainy: wzorcowa uchwała związkowa",
            "ru": "Полная поддержка Украины: образцовая профсоюзная резолюция",
        },
        "summary": {
            "en": "Branches, trades councils and regions are urged to pass the model resolution for full support of Ukraine's resistance and its trade unions."
        },
    },
    {
        "slug": "warsaw-left-unity",
        "lead": "razem",
        "co": ["sotsialnyi-rukh"],
        "status": "active",
        "starts_on": datetime.date(2022, 3, 8),
        "original_language": "en",
        "title": {
            "en": "Left unity with Ukraine: the Warsaw meeting",
            "uk": "Єдність лівих з Україною: варшавська зустріч",
            "pl": "Jedność lewicy z Ukrainą: spotkanie warszawskie",
            "ru": "Единство левых с Украиной: варшавская встреча",
        },
        "summary": {
            "en": "Left parties from Poland, Finland, Lithuania, the Czech Republic and Romania met Social Movement in Warsaw on 8 March 2022 to listen to what Ukraine's left needed."
        },
    },
    {
        "slug": "abortion-access-for-refugees",
        "lead": "razem",
        "co": [],
        "status": "ended",
        "starts_on": datetime.date(2022, 4, 1),
        "original_language": "pl",
        "title": {
            "en": "Abortion access for refugees who were raped",
            "uk": "Доступ до абортів для біженок, які зазнали зґвалтування",
            "pl": "Dostęp do aborcji dla uchodźczyń, które zostały zgwałcone",
            "ru": "Доступ к абортам для беженок, переживших изнасилование",
        },
        "summary": {
            "pl": "Posłanki lewicy złożyły w Sejmie wniosek o przyspieszenie dostępu do aborcji dla uchodźczyń z Ukrainy, które zostały zgwałcone. Prawicowa większość go odrzuciła.",
            "en": "Left MPs filed a Sejm motion to expedite access to abortion for Ukrainian refugees who had been raped. The right-wing majority rejected it.",
        },
    },
]

PETITION: dict[str, Any] = {
    "campaign": "zaporizhzhia-iaea",
    "slug": "iaea-zaporizhzhia",
    "goal": 10000,
    "status": "open",
    "title": {
        "en": "IAEA control of the Zaporizhzhia nuclear plant, now",
        "uk": "Контроль МАГАТЕ над Запорізькою АЕС — негайно",
        "pl": "Kontrola MAEA nad Zaporoską Elektrownią Jądrową — teraz",
        "ru": "Контроль МАГАТЭ над Запорожской АЭС — немедленно",
    },
    "target": {
        "en": "The Director General of the International Atomic Energy Agency and the governments of its member states",
        "uk": "Генеральному директору МАГАТЕ та урядам держав-членів",
        "pl": "Dyrektor Generalny MAEA i rządy państw członkowskich",
        "ru": "Генеральному директору МАГАТЭ и правительствам государств-членов",
    },
    "text": {
        "en": "The Zaporizhzhia nuclear power plant is occupied by Russian forces. Its Ukrainian workers operate it under threat, and shelling has repeatedly cut its outside power.\n\nWe call on the IAEA to take control of the plant with the Ukrainian workforce, for the occupying forces to withdraw, and for the rights of the plant's workers and their union to be respected.",
        "uk": "Запорізьку атомну електростанцію окупували російські війська. Українські працівники обслуговують її під загрозою, а обстріли неодноразово відрізали станцію від зовнішнього живлення.\n\nМи закликаємо МАГАТЕ взяти станцію під контроль разом з українським персоналом, окупаційні війська — піти, а права працівників станції та їхньої профспілки — поважати.",
        "pl": "Zaporoska Elektrownia Jądrowa jest okupowana przez wojska rosyjskie. Jej ukraińscy pracownicy obsługują ją pod groźbą, a ostrzały wielokrotnie odcinały zewnętrzne zasilanie.\n\nWzywamy MAEA do przejęcia kontroli nad elektrownią wraz z ukraińską załogą, wojska okupacyjne do wycofania się, a wszystkich do poszanowania praw pracowników elektrowni i ich związku.",
    },
}

FIRST = [
    "Anna",
    "Olena",
    "Maria",
    "Tom",
    "Gareth",
    "Sian",
    "Piotr",
    "Agnieszka",
    "Mykola",
    "Iryna",
    "John",
    "Cheryl",
    "Sarah",
    "Dmytro",
    "Katarzyna",
    "Rhys",
    "Natalia",
    "Andrii",
    "Lucy",
    "Marek",
]
LAST = [
    "Kovalenko",
    "Jones",
    "Nowak",
    "Shevchenko",
    "Smith",
    "Williams",
    "Kowalska",
    "Bondar",
    "Evans",
    "Melnyk",
    "Taylor",
    "Wiśniewska",
    "Tkachenko",
    "Davies",
    "Lewandowski",
    "Moroz",
]
COUNTRIES = ["GB", "GB", "GB", "UA", "UA", "PL", "PL", "US", "US", "IE", "DE", "FR", "LT", "FI"]


def _generate_signatures(petition: Petition, count: int) -> None:
    rng = random.Random(2022)
    now = timezone.now()
    rows = []
    for n in range(count):
        confirmed = now - datetime.timedelta(minutes=(count - n) * 7)
        rows.append(
            Signature(
                petition=petition,
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"signer{n:05d}@example.org",
                country=rng.choice(COUNTRIES),
                show_name=rng.random() < 0.6,
                language=rng.choice(["en", "en", "uk", "pl"]),
                status=SignatureStatus.CONFIRMED,
                confirmed_at=confirmed,
                expires_at=confirmed,
            )
        )
    Signature.objects.bulk_create(rows, batch_size=1000)
    # The counter must equal the rows: set it from them.
    petition.confirmed_count = Signature.objects.filter(
        petition=petition, status=SignatureStatus.CONFIRMED
    ).count()
    petition.save(update_fields=["confirmed_count"])


@transaction.atomic
def load_campaigns_demo(signatures: int = 3200) -> dict[str, int]:
    orgs = {org.slug: org for org in Organisation.objects.all()}
    created = {"campaigns": 0, "petitions": 0, "signatures": 0}
    campaigns: dict[str, Campaign] = {}
    for data in CAMPAIGNS:
        campaign = Campaign.objects.filter(slug=data["slug"]).first()
        if campaign is None:
            campaign = campaign_create(
                by=BY,
                slug=data["slug"],
                title=data["title"],
                summary=data.get("summary", {}),
                original_language=data.get("original_language", "en"),
                lead_organisation=orgs[data["lead"]],
                co_organisers=[orgs[s] for s in data["co"]],
                co_organisers_confirmed=True,  # the demo network agreed to it
                status=data["status"],
                starts_on=data["starts_on"],
            )
            created["campaigns"] += 1
        campaigns[data["slug"]] = campaign

    petition = Petition.objects.filter(slug=PETITION["slug"]).first()
    if petition is None:
        petition = petition_create(
            by=BY,
            campaign=campaigns[PETITION["campaign"]],
            slug=PETITION["slug"],
            title=PETITION["title"],
            target=PETITION["target"],
            text=PETITION["text"],
            goal=PETITION["goal"],
            status=PETITION["status"],
        )
        created["petitions"] += 1
    if not petition.signatures.exists():
        _generate_signatures(petition, signatures)
        created["signatures"] += signatures
    return created
