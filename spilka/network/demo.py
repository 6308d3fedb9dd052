"""The demo network, drawn from the article the project started from.

``load_demo`` is idempotent: run it twice and nothing is duplicated. Organisations and
relationships are real public facts from the article; people are invented, and their
contact details use reserved example domains.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from spilka.network import selectors, services
from spilka.network.models import (
    ConsentPurpose,
    Organisation,
    Person,
    Relationship,
    WorkingGroup,
)

DEMO_PASSWORD = "spilka-demo-2026"


def _n(en: str, uk: str, pl: str, ru: str) -> dict[str, str]:
    return {"en": en, "uk": uk, "pl": pl, "ru": ru}


ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "ukraine-solidarity-campaign",
        "short_name": "USC",
        "kind": "campaign",
        "country": "GB",
        "city": "London",
        "name": _n(
            "Ukraine Solidarity Campaign",
            "Кампанія солідарності з Україною",
            "Kampania Solidarności z Ukrainą",
            "Кампания солидарности с Украиной",
        ),
        "description": {
            "en": 'A UK campaign that wins unions and the labour movement to support Ukrainian resistance, working with the Confederation of Free Trade Unions of Ukraine (KVPU).\n\nIt organised the conference "Another Ukraine is Possible" on labour, feminist and anti-capitalist perspectives for post-war reconstruction.',
            "uk": "Британська кампанія, що залучає профспілки та робітничий рух до підтримки українського спротиву у співпраці з Конфедерацією вільних профспілок України (КВПУ).",
            "pl": "Brytyjska kampania pozyskująca związki zawodowe i ruch pracowniczy dla wsparcia ukraińskiego oporu, we współpracy z Konfederacją Wolnych Związków Zawodowych Ukrainy (KVPU).",
        },
        "points_of_unity": {
            "en": "Solidarity with the Ukrainian people's resistance.\n\nSupport for Ukrainian trade unions and social movements.\n\nCancellation of Ukraine's foreign debt."
        },
        "languages": ["en", "uk"],
        "founded_year": 2014,
        "website": "https://ukrainesolidaritycampaign.example",
    },
    {
        "slug": "usc-scotland",
        "short_name": "USC Scotland",
        "kind": "campaign",
        "country": "GB",
        "region": "Scotland",
        "name": _n(
            "Ukraine Solidarity Campaign Scotland",
            "Кампанія солідарності з Україною — Шотландія",
            "Kampania Solidarności z Ukrainą — Szkocja",
            "Кампания солидарности с Украиной — Шотландия",
        ),
        "languages": ["en"],
    },
    {
        "slug": "usc-convoy-team",
        "short_name": "",
        "kind": "other",
        "country": "GB",
        "parent": "ukraine-solidarity-campaign",
        "is_public": False,
        "name": {"en": "USC convoy coordination team", "uk": "Команда координації конвоїв USC"},
        "description": {"en": "Private: plans routes and drivers for aid deliveries."},
        "languages": ["en", "uk"],
    },
    {
        "slug": "pcs",
        "short_name": "PCS",
        "kind": "trade_union",
        "country": "GB",
        "name": _n(
            "Public and Commercial Services Union",
            "Профспілка державних і комерційних службовців (PCS)",
            "Związek Zawodowy Służb Publicznych i Handlowych (PCS)",
            "Профсоюз государственных и коммерческих служащих (PCS)",
        ),
        "description": {"en": "The union of civil servants."},
        "languages": ["en", "cy"],
    },
    {
        "slug": "neu",
        "short_name": "NEU",
        "kind": "trade_union",
        "country": "GB",
        "name": _n(
            "National Education Union",
            "Національна освітянська профспілка (NEU)",
            "Krajowy Związek Zawodowy Edukacji (NEU)",
            "Национальный профсоюз образования (NEU)",
        ),
        "description": {"en": "The union of teachers and education staff."},
        "languages": ["en"],
    },
    {
        "slug": "ucu",
        "short_name": "UCU",
        "kind": "trade_union",
        "country": "GB",
        "name": _n(
            "University and College Union",
            "Профспілка університетів і коледжів (UCU)",
            "Związek Zawodowy Uczelni i Szkół Wyższych (UCU)",
            "Профсоюз университетов и колледжей (UCU)",
        ),
        "description": {"en": "The union of university and college staff."},
        "languages": ["en"],
    },
    {
        "slug": "unison-health",
        "short_name": "UNISON Health",
        "kind": "union_branch",
        "country": "GB",
        "parent": "unison",
        "name": _n(
            "UNISON health service group",
            "UNISON — група охорони здоров'я",
            "UNISON — sekcja ochrony zdrowia",
            "UNISON — группа здравоохранения",
        ),
        "languages": ["en"],
    },
    {
        "slug": "unison",
        "short_name": "UNISON",
        "kind": "trade_union",
        "country": "GB",
        "name": _n("UNISON", "UNISON", "UNISON", "UNISON"),
        "description": {"en": "The public service union, including health workers."},
        "languages": ["en"],
    },
    {
        "slug": "num",
        "short_name": "NUM",
        "kind": "trade_union",
        "country": "GB",
        "name": _n(
            "National Union of Mineworkers",
            "Національна профспілка гірників (NUM)",
            "Krajowy Związek Górników (NUM)",
            "Национальный профсоюз горняков (NUM)",
        ),
        "description": {
            "en": "No deep mines are left in the UK, but the union continues to support former miners and their communities. Straight after the invasion it sent money and supported trade unionists who drove vehicles full of medical equipment to Ukraine."
        },
        "languages": ["en"],
        "founded_year": 1945,
    },
    {
        "slug": "num-durham",
        "short_name": "NUM Durham",
        "kind": "union_branch",
        "country": "GB",
        "region": "County Durham",
        "city": "Durham",
        "parent": "num",
        "name": _n(
            "National Union of Mineworkers, Durham Area",
            "Національна профспілка гірників, район Дарем",
            "Krajowy Związek Górników, okręg Durham",
            "Национальный профсоюз горняков, район Дарем",
        ),
        "description": {
            "en": "Twinned since 1990 with the Independent Miners' Union of Ukraine in Pavlohrad, western Donbas."
        },
        "languages": ["en"],
    },
    {
        "slug": "aslef",
        "short_name": "ASLEF",
        "kind": "trade_union",
        "country": "GB",
        "name": _n(
            "ASLEF, the train drivers' union",
            "ASLEF — профспілка машиністів",
            "ASLEF — związek maszynistów",
            "ASLEF — профсоюз машинистов",
        ),
        "description": {"en": "A strong source of support for aid deliveries to Ukrainian miners."},
        "languages": ["en"],
        "founded_year": 1880,
    },
    {
        "slug": "senedd-together-for-ukraine",
        "short_name": "",
        "kind": "parliamentary",
        "country": "GB",
        "region": "Wales",
        "city": "Cardiff",
        "name": _n(
            "Senedd Cymru Together for Ukraine",
            "Сенед Уельсу «Разом за Україну»",
            "Senedd Walii „Razem dla Ukrainy”",
            "Сенедд Уэльса «Вместе за Украину»",
        ),
        "description": {
            "en": "A cross-party group of the Welsh parliament. Its members have travelled several times to deliver vehicles, with trade union representatives."
        },
        "languages": ["en", "cy"],
    },
    {
        "slug": "kvpu",
        "short_name": "KVPU",
        "kind": "trade_union",
        "country": "UA",
        "city": "Kyiv",
        "original_language": "uk",
        "name": _n(
            "Confederation of Free Trade Unions of Ukraine",
            "Конфедерація вільних профспілок України",
            "Konfederacja Wolnych Związków Zawodowych Ukrainy",
            "Конфедерация свободных профсоюзов Украины",
        ),
        "description": {
            "uk": "Незалежне профспілкове об'єднання України.",
            "en": "Ukraine's confederation of independent trade unions.",
        },
        "languages": ["uk", "en"],
        "founded_year": 1997,
    },
    {
        "slug": "npgu",
        "short_name": "NPGU",
        "kind": "trade_union",
        "country": "UA",
        "original_language": "uk",
        "name": _n(
            "Independent Miners' Union of Ukraine",
            "Незалежна профспілка гірників України",
            "Niezależny Związek Zawodowy Górników Ukrainy",
            "Независимый профсоюз горняков Украины",
        ),
        "languages": ["uk"],
        "founded_year": 1991,
    },
    {
        "slug": "npgu-pavlohrad",
        "short_name": "NPGU Pavlohrad",
        "kind": "union_branch",
        "country": "UA",
        "region": "Dnipropetrovsk oblast",
        "city": "Pavlohrad",
        "parent": "npgu",
        "original_language": "uk",
        "name": _n(
            "Independent Miners' Union of Ukraine, Pavlohrad",
            "Незалежна профспілка гірників України, Павлоград",
            "Niezależny Związek Zawodowy Górników Ukrainy, Pawłohrad",
            "Независимый профсоюз горняков Украины, Павлоград",
        ),
        "description": {
            "uk": "Первинна організація шахтарів західного Донбасу. Побратими гірників Дарема з 1990 року.",
            "en": "Miners of the western Donbas. Twinned with the Durham miners since 1990.",
        },
        "languages": ["uk", "ru"],
    },
    {
        "slug": "sotsialnyi-rukh",
        "short_name": "",
        "kind": "party",
        "country": "UA",
        "city": "Kyiv",
        "original_language": "uk",
        "name": _n(
            "Social Movement (Sotsialnyi Rukh)",
            "Соціальний рух",
            "Ruch Społeczny (Sotsialnyi Rukh)",
            "Социальное движение (Социальный рух)",
        ),
        "description": {
            "uk": "Українська лівa організація, що поєднує захист трудових прав із підтримкою збройного спротиву.",
            "en": "A Ukrainian left organisation that joins the defence of labour rights with support for the armed resistance.",
        },
        "languages": ["uk", "en", "ru"],
        "founded_year": 2015,
    },
    {
        "slug": "razem",
        "short_name": "Razem",
        "kind": "party",
        "country": "PL",
        "city": "Warszawa",
        "original_language": "pl",
        "name": _n("Left Together (Razem)", "Разом", "Lewica Razem", "Вместе (Razem)"),
        "description": {
            "pl": "Lewicowa partia w Polsce, założona w 2015 roku.",
            "en": "A left party in Poland, founded in 2015, with members of parliament and structures at home and abroad.",
        },
        "languages": ["pl", "en", "uk"],
        "founded_year": 2015,
    },
    {
        "slug": "razem-international",
        "short_name": "",
        "kind": "other",
        "country": "PL",
        "city": "Warszawa",
        "parent": "razem",
        "original_language": "pl",
        "name": _n(
            "Razem International Office",
            "Міжнародний відділ Разом",
            "Biuro Międzynarodowe Razem",
            "Международный отдел Razem",
        ),
        "languages": ["pl", "en"],
    },
    {
        "slug": "ensu",
        "short_name": "ENSU",
        "kind": "network",
        "country": "BE",
        "name": _n(
            "European Network for Solidarity with Ukraine",
            "Європейська мережа солідарності з Україною",
            "Europejska Sieć Solidarności z Ukrainą",
            "Европейская сеть солидарности с Украиной",
        ),
        "description": {
            "en": "A network of unions, parties and campaigns across Europe supporting Ukrainian resistance and its left and labour movement."
        },
        "languages": ["en", "uk", "pl", "ru", "fr"],
        "founded_year": 2022,
    },
    {
        "slug": "ussc",
        "short_name": "USSC",
        "kind": "campaign",
        "country": "US",
        "region": "California",
        "city": "Oakland",
        "name": _n(
            "Ukraine Socialist Solidarity Campaign",
            "Соціалістична кампанія солідарності з Україною (США)",
            "Socjalistyczna Kampania Solidarności z Ukrainą (USA)",
            "Социалистическая кампания солидарности с Украиной (США)",
        ),
        "description": {
            "en": "Founded by a small group shortly after the 2022 invasion. Runs regular public Zoom forums and mobilises in the streets."
        },
        "points_of_unity": {
            "en": "Ukraine should receive all the weapons it needs to fight the invaders, with no strings attached.\n\nFor the cancellation of Ukraine's foreign debt.\n\nFor independent working-class organisation in Ukraine and Russia."
        },
        "languages": ["en"],
        "founded_year": 2022,
    },
    {
        "slug": "solidarity-zone",
        "short_name": "",
        "kind": "campaign",
        "country": "RU",
        "original_language": "ru",
        # Sensitive: no region or city recorded.
        "name": _n(
            "Solidarity Zone", "Зона солідарності", "Strefa Solidarności", "Зона солидарности"
        ),
        "description": {
            "ru": "Инициатива поддержки россиян, преследуемых за прямые действия против войны.",
            "en": "Supports Russians who take direct action against the war and are prosecuted for it.",
        },
        "languages": ["ru"],
    },
    {
        "slug": "posle",
        "short_name": "",
        "kind": "media",
        "country": "RU",
        "original_language": "ru",
        "name": _n("Posle (After)", "Після (Posle)", "Posle (Po)", "После"),
        "languages": ["ru", "en"],
    },
    {
        "slug": "left-alliance-finland",
        "short_name": "",
        "kind": "party",
        "country": "FI",
        "original_language": "en",
        "name": {
            "en": "Left Alliance (Finland)",
            "uk": "Лівий союз (Фінляндія)",
            "pl": "Sojusz Lewicy (Finlandia)",
            "ru": "Левый союз (Финляндия)",
        },
        "languages": ["fi", "sv"],
    },
    {
        "slug": "left-alliance-lithuania",
        "short_name": "",
        "kind": "party",
        "country": "LT",
        "name": {
            "en": "Left Alliance (Lithuania)",
            "uk": "Лівий альянс (Литва)",
            "pl": "Sojusz Lewicy (Litwa)",
            "ru": "Левый альянс (Литва)",
        },
        "languages": ["lt"],
    },
    {
        "slug": "alliance-for-the-future",
        "short_name": "",
        "kind": "party",
        "country": "CZ",
        "name": {
            "en": "Alliance for the Future (Czech Republic)",
            "uk": "Альянс за майбутнє (Чехія)",
            "pl": "Sojusz dla Przyszłości (Czechy)",
            "ru": "Альянс за будущее (Чехия)",
        },
        "languages": ["cs"],
    },
    {
        "slug": "demos-romania",
        "short_name": "Demos",
        "kind": "party",
        "country": "RO",
        "name": {
            "en": "Democracy and Solidarity Party (Romania)",
            "uk": "Партія демократії і солідарності (Румунія)",
            "pl": "Partia Demokracji i Solidarności (Rumunia)",
            "ru": "Партия демократии и солидарности (Румыния)",
        },
        "languages": ["ro"],
    },
    {
        "slug": "red-green-alliance",
        "short_name": "",
        "kind": "party",
        "country": "DK",
        "name": {
            "en": "Red-Green Alliance (Denmark)",
            "uk": "Червоно-зелений альянс (Данія)",
            "pl": "Sojusz Czerwono-Zielonych (Dania)",
            "ru": "Красно-зелёный альянс (Дания)",
        },
        "languages": ["da"],
    },
]

RELATIONSHIPS: list[tuple[str, str, str, int | None, str]] = [
    # source, kind, target, since year, note (English)
    (
        "num-durham",
        "twinned_with",
        "npgu-pavlohrad",
        1990,
        "Links established in 1990 between the Durham miners and the independent miners' union in Pavlohrad.",
    ),
    ("npgu", "member_of", "kvpu", None, ""),
    ("pcs", "affiliated_to", "ukraine-solidarity-campaign", None, ""),
    ("neu", "affiliated_to", "ukraine-solidarity-campaign", None, ""),
    ("ucu", "affiliated_to", "ukraine-solidarity-campaign", None, ""),
    ("unison-health", "affiliated_to", "ukraine-solidarity-campaign", None, ""),
    (
        "ukraine-solidarity-campaign",
        "partner_of",
        "kvpu",
        2014,
        "Coordinates UK union support with the KVPU.",
    ),
    ("ukraine-solidarity-campaign", "member_of", "ensu", 2022, ""),
    ("usc-scotland", "partner_of", "ukraine-solidarity-campaign", None, ""),
    (
        "ukraine-solidarity-campaign",
        "supports",
        "solidarity-zone",
        2023,
        "Translates and circulates Solidarity Zone material.",
    ),
    (
        "num",
        "supports",
        "npgu",
        2022,
        "At least seven deliveries of vehicles and medical supplies.",
    ),
    ("aslef", "supports", "npgu", 2022, ""),
    (
        "senedd-together-for-ukraine",
        "supports",
        "npgu",
        2022,
        "Members travelled several times to deliver vehicles.",
    ),
    ("razem", "member_of", "ensu", 2022, "Co-founder of the network."),
    ("sotsialnyi-rukh", "member_of", "ensu", 2022, ""),
    ("ussc", "member_of", "ensu", 2022, ""),
    ("razem", "partner_of", "sotsialnyi-rukh", 2022, "Met in Warsaw on 8 March 2022."),
    (
        "left-alliance-finland",
        "partner_of",
        "sotsialnyi-rukh",
        2022,
        "Warsaw meeting, 8 March 2022.",
    ),
    (
        "left-alliance-lithuania",
        "partner_of",
        "sotsialnyi-rukh",
        2022,
        "Warsaw meeting, 8 March 2022.",
    ),
    (
        "alliance-for-the-future",
        "partner_of",
        "sotsialnyi-rukh",
        2022,
        "Warsaw meeting, 8 March 2022.",
    ),
    ("demos-romania", "partner_of", "sotsialnyi-rukh", 2022, "Warsaw meeting, 8 March 2022."),
    ("red-green-alliance", "supports", "sotsialnyi-rukh", 2022, ""),
    (
        "posle",
        "partner_of",
        "ussc",
        2023,
        "Published the three perspectives on international solidarity.",
    ),
]

WORKING_GROUPS: list[dict[str, Any]] = [
    {
        "network": "ensu",
        "slug": "feminist-right-to-resist",
        "name": _n(
            'Feminist "Right to Resist" group',
            "Феміністична група «Право на спротив»",
            "Feministyczna grupa „Prawo do oporu”",
            "Феминистская группа «Право на сопротивление»",
        ),
        "description": {
            "en": "Feminist solidarity with Ukrainian women's resistance, including access to abortion for refugees who were raped."
        },
        "organisations": ["razem", "sotsialnyi-rukh"],
        "people": ["agnieszka@razem.example"],
    },
    {
        "network": "ensu",
        "slug": "trade-unions",
        "name": _n(
            "Trade union working group",
            "Профспілкова робоча група",
            "Grupa robocza związków zawodowych",
            "Профсоюзная рабочая группа",
        ),
        "organisations": ["ukraine-solidarity-campaign", "kvpu"],
        "people": [],
    },
]

PEOPLE: list[dict[str, Any]] = [
    {
        "full_name": "Olena Kovalenko",
        "email": "olena@usc.example",
        "country": "GB",
        "preferred_language": "uk",
        "org": "ukraine-solidarity-campaign",
        "role_title": "Union liaison",
    },
    {
        "full_name": "Gareth Price",
        "email": "gareth@num-durham.example",
        "country": "GB",
        "preferred_language": "en",
        "org": "num-durham",
        "role_title": "Area treasurer",
        "phone": "+44 191 496 0123",
    },
    {
        "full_name": "Andrii Melnyk",
        "email": "andrii@npgu.example",
        "country": "UA",
        "preferred_language": "uk",
        "org": "npgu-pavlohrad",
        "role_title": "Branch secretary",
        "phone": "+380 50 123 4567",
    },
    {
        "full_name": "Agnieszka Nowak",
        "email": "agnieszka@razem.example",
        "country": "PL",
        "preferred_language": "pl",
        "org": "razem-international",
        "role_title": "International officer",
    },
    {
        "full_name": "Maria Lopez",
        "email": "maria@ussc.example",
        "country": "US",
        "preferred_language": "en",
        "org": "ussc",
        "role_title": "Forum coordinator",
    },
    {
        "full_name": "Dmitri S.",
        "email": "dmitri@solidarity-zone.example",
        "country": "",
        "preferred_language": "ru",
        "org": "solidarity-zone",
        "role_title": "Translator",
    },
]

USERS: list[dict[str, Any]] = [
    {
        "email": "admin@spilka.example",
        "display_name": "Spilka admin",
        "superuser": True,
        "roles": [],
    },
    {
        "email": "organiser@usc.example",
        "display_name": "Olena (USC)",
        "person": "olena@usc.example",
        "roles": [
            ("ukraine-solidarity-campaign", "admin"),
            ("ukraine-solidarity-campaign", "organiser"),
            ("usc-convoy-team", "admin"),
        ],
    },
    {
        "email": "treasurer@num-durham.example",
        "display_name": "Gareth (NUM Durham)",
        "person": "gareth@num-durham.example",
        "roles": [("num-durham", "admin"), ("num-durham", "treasurer")],
    },
    {
        "email": "logistics@npgu.example",
        "display_name": "Andrii (NPGU Pavlohrad)",
        "person": "andrii@npgu.example",
        "roles": [("npgu-pavlohrad", "admin"), ("npgu-pavlohrad", "logistics")],
    },
    {
        "email": "international@razem.example",
        "display_name": "Agnieszka (Razem)",
        "person": "agnieszka@razem.example",
        "roles": [("razem-international", "admin"), ("ensu", "organiser")],
    },
    {
        "email": "translator@ussc.example",
        "display_name": "Maria (USSC)",
        "person": "maria@ussc.example",
        "roles": [("ussc", "admin"), ("ussc", "translator")],
    },
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or update the demo network. Safe to run again."""
    by = "load_demo"
    created = {"organisations": 0, "relationships": 0, "people": 0, "users": 0}
    by_slug: dict[str, Organisation] = {}
    # Parents first, so branches can point at them.
    pending = list(ORGANISATIONS)
    while pending:
        rest = []
        for data in pending:
            parent_slug = data.get("parent")
            if parent_slug and parent_slug not in by_slug:
                rest.append(data)
                continue
            fields = {k: v for k, v in data.items() if k not in {"slug", "parent"}}
            fields["parent"] = by_slug.get(parent_slug) if parent_slug else None
            fields.setdefault("original_language", "en")
            existing = Organisation.objects.filter(slug=data["slug"]).first()
            if existing is None:
                by_slug[data["slug"]] = services.organisation_create(
                    by=by, slug=data["slug"], **fields
                )
                created["organisations"] += 1
            else:
                by_slug[data["slug"]] = services.organisation_update(
                    organisation=existing, by=by, **fields
                )
        if len(rest) == len(pending):
            raise ValueError(f"Unknown parent in demo data: {[d['slug'] for d in rest]}")
        pending = rest

    for source, kind, target, since, note in RELATIONSHIPS:
        existing_rel = Relationship.objects.filter(
            source=by_slug[source], kind=kind, target=by_slug[target]
        ).first()
        if existing_rel is None:
            # Public facts from the article: both sides are on record.
            services.relationship_create(
                by=by,
                source=by_slug[source],
                target=by_slug[target],
                kind=kind,
                since_year=since,
                note={"en": note} if note else {},
                confirmed=True,
            )
            created["relationships"] += 1
        elif not existing_rel.confirmed:
            # Loaded before relationships needed the other side's word.
            services.relationship_confirm(relationship=existing_rel, by=by)

    people: dict[str, Person] = {}
    for data in PEOPLE:
        # Contact records are per organisation: look in the record of the person's own one.
        person = selectors.person_find_for_organisation(
            email=data["email"], organisation=by_slug[data["org"]]
        )
        if person is None:
            person = services.person_create(
                by=by,
                full_name=data["full_name"],
                email=data["email"],
                phone=data.get("phone", ""),
                country=data["country"],
                preferred_language=data["preferred_language"],
                organisation=by_slug[data["org"]],
                role_title=data["role_title"],
            )
            services.consent_record(
                person=person,
                organisation=by_slug[data["org"]],
                purpose=ConsentPurpose.UPDATES,
                granted=True,
                wording="I would like to hear from this organisation by email. I can unsubscribe at any time.",
                source="demo data",
                by=by,
            )
            created["people"] += 1
        people[data["email"]] = person

    for data in WORKING_GROUPS:
        network = by_slug[data["network"]]
        group = WorkingGroup.objects.filter(network=network, slug=data["slug"]).first()
        if group is None:
            group = services.working_group_create(
                by=by,
                network=network,
                slug=data["slug"],
                name=data["name"],
                description=data.get("description", {}),
            )
        for slug in data["organisations"]:
            services.working_group_add_organisation(by=by, group=group, organisation=by_slug[slug])
        for email in data["people"]:
            services.working_group_add_person(by=by, group=group, person=people[email])

    User = get_user_model()
    for data in USERS:
        user = User.objects.filter(email=data["email"]).first()
        if user is None:
            user = User.objects.create_user(
                data["email"],
                DEMO_PASSWORD,
                display_name=data["display_name"],
                is_staff=data.get("superuser", False),
                is_superuser=data.get("superuser", False),
            )
            created["users"] += 1
        if data.get("person") and user.person_id is None:
            user.person = people[data["person"]]
            user.save(update_fields=["person"])
        for slug, role in data["roles"]:
            services.role_grant(by=by, user=user, organisation=by_slug[slug], role=role)
    return created
