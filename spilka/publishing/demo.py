"""Demo data for publishing, loaded by `load_demo` after the network and the campaigns.

- A Solidarity Zone text, written in Russian, moving through the workflow: English
  published, Ukrainian waiting for review, Polish claimed.
- Articles of the UK campaign (USC, one with a published Ukrainian translation) and of
  the US campaign (USSC, not translated yet).
- A resources page for every demo organisation; the glossary's first terms.
- Translation tasks for every translatable item (campaigns, petitions, statements...).
Safe to run twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from spilka.network import services as network_services
from spilka.network.demo import DEMO_PASSWORD
from spilka.network.models import Organisation
from spilka.publishing.models import (
    GlossaryTerm,
    Publication,
    ResourceLink,
    TaskState,
    TranslationTask,
)
from spilka.publishing.services import glossary as glossary_services
from spilka.publishing.services import publications as publication_services
from spilka.publishing.services import resources as resource_services
from spilka.publishing.services import translation as translation_services
from spilka.publishing.services import translation_sources as sources

BY = "load_demo"

GLOSSARY = [
    {
        "renderings": {
            "en": "Sotsialnyi Rukh",
            "uk": "Соціальний рух",
            "pl": "Ruch Społeczny",
            "ru": "Социальное движение",
        },
        "note": {"en": "Ukrainian left organisation: keep the transliteration in English."},
    },
    {
        "renderings": {
            "en": "Solidarity Zone",
            "uk": "Зона солідарності",
            "pl": "Strefa Solidarności",
            "ru": "Зона солидарности",
        },
        "note": {},
    },
    {
        "renderings": {
            "en": "Confederation of Free Trade Unions of Ukraine",
            "uk": "Конфедерація вільних профспілок України",
            "pl": "Konfederacja Wolnych Związków Zawodowych Ukrainy",
            "ru": "Конфедерация свободных профсоюзов Украины",
        },
        "note": {"en": "Abbreviated KVPU in every language."},
    },
    {
        "renderings": {
            "en": "Independent Miners' Union of Ukraine",
            "uk": "Незалежна профспілка гірників України",
            "pl": "Niezależny Związek Zawodowy Górników Ukrainy",
            "ru": "Независимый профсоюз горняков Украины",
        },
        "note": {"en": "Abbreviated NPGU."},
    },
    {
        "renderings": {
            "en": "political prisoners",
            "uk": "політв'язні",
            "pl": "więźniowie polityczni",
            "ru": "политзаключённые",
        },
        "note": {},
    },
]

SZ_TEXT: dict[str, Any] = {
    "slug": "solidarity-zone-letters-to-prisoners",
    "kind": "translated",
    "original_language": "ru",
    "tags": ["political-prisoners", "russia", "anti-war"],
    "published_on": datetime.date(2024, 3, 2),
    "title": {
        "ru": "Пишите письма тем, кто сидит за прямые действия против войны",
        "en": "Write to those jailed for direct action against the war",
        "uk": "Пишіть листи тим, хто сидить за прямі дії проти війни",
        "pl": "Piszcie listy do tych, którzy siedzą za bezpośrednie akcje przeciw wojnie",
    },
    "summary": {
        "ru": "Зона солидарности о том, почему письма политзаключённым важны и как их писать.",
        "en": "Solidarity Zone on why letters to political prisoners matter and how to write them.",
        "uk": "Зона солідарності про те, чому листи політв'язням важливі і як їх писати.",
        "pl": "Strefa Solidarności o tym, dlaczego listy do więźniów politycznych są ważne.",
    },
    "body": {
        "ru": (
            "Зона солидарности поддерживает россиян, которых преследуют за прямые действия "
            "против войны: поджоги военкоматов, диверсии на железной дороге, листовки.\n\n"
            "Письмо в тюрьму — это не формальность. Администрация видит, что о человеке "
            "помнят, и это защищает его. Сам человек узнаёт, что он не один.\n\n"
            "Пишите просто и по-человечески: о погоде, о книгах, о том, что происходит "
            "вокруг. Не пишите о деле и не задавайте вопросов о нём: письма читают."
        ),
        "en": (
            "Solidarity Zone supports Russians prosecuted for direct action against the war: "
            "setting fire to enlistment offices, sabotage on the railways, leaflets.\n\n"
            "A letter to prison is not a formality. The administration sees that the person "
            "is remembered, and that protects them. The person learns they are not alone.\n\n"
            "Write simply and humanly: about the weather, books, what is happening around you. "
            "Do not write about the case or ask questions about it: letters are read."
        ),
        "uk": (
            "Зона солідарності підтримує росіян, яких переслідують за прямі дії проти війни: "
            "підпали військкоматів, диверсії на залізниці, листівки.\n\n"
            "Лист до в'язниці — це не формальність. Адміністрація бачить, що про людину "
            "пам'ятають, і це її захищає. Сама людина дізнається, що вона не сама.\n\n"
            "Пишіть просто й по-людськи: про погоду, про книжки, про те, що відбувається "
            "довкола. Не пишіть про справу і не ставте запитань про неї: листи читають."
        ),
        "pl": (
            "Strefa Solidarności wspiera Rosjan ściganych za bezpośrednie akcje przeciw "
            "wojnie: podpalenia komend uzupełnień, sabotaż na kolei, ulotki."
        ),
    },
}

USC_ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "miners-solidarity-durham-pavlohrad",
        "kind": "article",
        "original_language": "en",
        "tags": ["miners", "trade-unions", "convoys"],
        "published_on": datetime.date(2023, 11, 14),
        "title": {
            "en": "From Durham to Pavlohrad: the miners' link that held",
            "uk": "Від Дарема до Павлограда: шахтарський зв'язок, який витримав",
        },
        "summary": {
            "en": "Links made in 1990 between Durham miners and Ukraine's independent miners' union carried convoys of medical supplies after the invasion.",
            "uk": "Зв'язки 1990 року між шахтарями Дарема та незалежною профспілкою гірників України перетворилися на колони з медичними вантажами після вторгнення.",
        },
        "body": {
            "en": (
                "In 1990 the miners' union in Durham made links with the Independent Miners' "
                "Union of Ukraine, first of all in Pavlohrad, in the western Donbas.\n\n"
                "Straight after the invasion the NUM and other unions sent more than £20,000 "
                "and backed trade unionists who **drove vehicles** full of medical equipment "
                "to Ukraine, leaving them with miners' union activists there.\n\n"
                "## What unions can do now\n\n"
                "- Pass the model resolution at your branch\n"
                "- Twin with a Ukrainian union branch\n"
                "- Give to the next convoy"
            ),
            "uk": (
                "У 1990 році профспілка шахтарів Дарема встановила зв'язки з Незалежною "
                "профспілкою гірників України, насамперед у Павлограді, на західному Донбасі.\n\n"
                "Одразу після вторгнення NUM та інші профспілки надіслали понад 20 000 фунтів і "
                "підтримали профспілковців, які **пригнали автомобілі** з медичним обладнанням "
                "в Україну й залишили їх активістам профспілки гірників.\n\n"
                "## Що профспілки можуть зробити зараз\n\n"
                "- Ухвалити модельну резолюцію у своєму осередку\n"
                "- Поріднитися з українським профспілковим осередком\n"
                "- Підтримати наступну колону"
            ),
        },
    },
    {
        "slug": "cancel-the-debt-briefing",
        "kind": "report",
        "original_language": "en",
        "tags": ["debt", "reconstruction"],
        "published_on": datetime.date(2024, 2, 20),
        "title": {"en": "Briefing: why Ukraine's foreign debt must be cancelled"},
        "summary": {
            "en": "Debt repayments take money Ukraine needs for defence and for workers' living standards."
        },
        "body": {
            "en": (
                "Ukraine pays billions each year to foreign creditors while its people resist "
                "the invasion.\n\n"
                "The labour movement should demand the **cancellation of Ukraine's foreign "
                "debt**, and oppose reconstruction plans that attack workers' rights."
            )
        },
    },
]

USSC_ARTICLE: dict[str, Any] = {
    "slug": "ussc-a-year-of-forums",
    "kind": "article",
    "original_language": "en",
    "tags": ["forums", "usa"],
    "published_on": datetime.date(2023, 3, 1),
    "title": {"en": "A year of forums and street mobilisations"},
    "summary": {
        "en": "How a small group founded after the invasion built regular public Zoom forums."
    },
    "body": {
        "en": (
            "The Ukraine Socialist Solidarity Campaign was founded by a small group shortly "
            "after the 2022 invasion.\n\n"
            "We run regular public forums with speakers from Sotsialnyi Rukh and Ukrainian "
            "unions, and we mobilise in the streets.\n\n"
            "Our points of unity: Ukraine should receive the weapons it needs with no strings "
            "attached; cancel Ukraine's foreign debt; independent working-class organisation "
            "in Ukraine and Russia."
        )
    },
}

EXTRA_LINKS: dict[str, list[tuple[str, dict[str, str], str]]] = {
    "ukraine-solidarity-campaign": [
        ("social", {"en": "Mastodon", "uk": "Mastodon"}, "https://social.example/@usc"),
        (
            "recording",
            {
                "en": "Recording: trade union conference 2023",
                "uk": "Запис: профспілкова конференція 2023",
            },
            "https://video.example/usc-conference-2023",
        ),
        (
            "document",
            {"en": "Model union resolution (PDF)", "uk": "Модельна резолюція для профспілок (PDF)"},
            "https://ukrainesolidaritycampaign.example/resolution.pdf",
        ),
    ],
    "ussc": [
        ("recording", {"en": "Forum recordings"}, "https://video.example/ussc-forums"),
        ("social", {"en": "Newsletter sign-up"}, "https://ussc.example/newsletter"),
    ],
    "solidarity-zone": [
        (
            "document",
            {"ru": "Как писать письма", "en": "How to write letters"},
            "https://solidarity-zone.example/letters",
        ),
    ],
    "razem": [
        (
            "social",
            {"pl": "Razem na Mastodonie", "en": "Razem on Mastodon"},
            "https://social.example/@razem",
        ),
    ],
    "sotsialnyi-rukh": [
        (
            "website",
            {"uk": "Commons: журнал соціальної критики", "en": "Commons journal"},
            "https://commons.example/",
        ),
    ],
}

TRANSLATORS = [
    # email, display name, [(organisation, role)], languages
    (
        "translator@solidarity-zone.example",
        "Dmitri (Solidarity Zone)",
        [("solidarity-zone", "organiser"), ("solidarity-zone", "translator")],
        ["en", "uk"],
    ),
    ("translator@ussc.example", None, [("solidarity-zone", "translator")], ["en"]),
    ("organiser@usc.example", None, [("solidarity-zone", "translator")], ["uk"]),
    ("international@razem.example", None, [("solidarity-zone", "translator")], ["pl", "en"]),
]


def _users() -> dict[str, Any]:
    User = get_user_model()
    orgs = {org.slug: org for org in Organisation.objects.all()}
    users = {}
    for email, display_name, roles, languages in TRANSLATORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, display_name=display_name)
        for slug, role in roles:
            network_services.role_grant(by=BY, user=user, organisation=orgs[slug], role=role)
        user.__dict__.pop("_spilka_roles", None)  # roles cached before the grants above
        translation_services.translator_languages_set(user=user, languages=languages)
        users[email] = user
    return users


def _publication(
    data: dict[str, Any], organisation: Organisation, languages: list[str]
) -> tuple[Publication, bool]:
    existing = Publication.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    only = {
        field: {k: v for k, v in data[field].items() if k in languages}
        for field in ("title", "summary", "body")
    }
    publication = publication_services.publication_create(
        by=BY,
        organisation=organisation,
        slug=data["slug"],
        kind=data["kind"],
        original_language=data["original_language"],
        tags=data["tags"],
        status="published",
        published_on=data["published_on"],
        **only,
    )
    return publication, True


def _task(publication: Publication, language: str) -> TranslationTask:
    from django.contrib.contenttypes.models import ContentType

    return TranslationTask.objects.get(
        content_type=ContentType.objects.get_for_model(Publication),
        object_id=publication.pk,
        target_language=language,
    )


def _solidarity_zone(orgs: dict[str, Organisation], users: dict[str, Any]) -> None:
    publication, created = _publication(SZ_TEXT, orgs["solidarity-zone"], ["ru"])
    if not created:
        return
    texts = {
        lang: {f: SZ_TEXT[f][lang] for f in ("title", "summary", "body")}
        for lang in ("en", "uk", "pl")
    }
    reviewer = users["translator@solidarity-zone.example"]
    # English: translated, reviewed, published.
    maria = users["translator@ussc.example"]
    task = translation_services.translation_claim(task=_task(publication, "en"), by=maria)
    translation_services.translation_save_draft(task=task, by=maria, texts=texts["en"])
    translation_services.translation_submit(task=task, by=maria)
    translation_services.translation_approve(task=task, by=reviewer)
    translation_services.translation_publish(task=task, by=reviewer)
    # Ukrainian: waiting for review.
    olena = users["organiser@usc.example"]
    task = translation_services.translation_claim(task=_task(publication, "uk"), by=olena)
    translation_services.translation_save_draft(task=task, by=olena, texts=texts["uk"])
    translation_services.translation_submit(task=task, by=olena)
    # Polish: claimed, first paragraph drafted.
    agnieszka = users["international@razem.example"]
    task = translation_services.translation_claim(task=_task(publication, "pl"), by=agnieszka)
    translation_services.translation_save_draft(task=task, by=agnieszka, texts=texts["pl"])
    TranslationTask.objects.filter(pk=task.pk).update(state=TaskState.CLAIMED)


def _resources(orgs: dict[str, Organisation]) -> int:
    created = 0
    for slug, org in orgs.items():
        if ResourceLink.objects.filter(organisation=org).exists():
            continue
        links = [
            (
                "website",
                {
                    org.original_language: org.name.get(org.original_language) or org.slug,
                    "en": "Website",
                },
                org.website or f"https://{slug}.example/",
            ),
            *EXTRA_LINKS.get(slug, []),
        ]
        for kind, label, url in links:
            resource_services.resource_link_create(
                by=BY, organisation=org, label=label, url=url, kind=kind
            )
            created += 1
    return created


def _glossary() -> int:
    created = 0
    for data in GLOSSARY:
        if GlossaryTerm.objects.filter(renderings__en=data["renderings"]["en"]).exists():
            continue
        glossary_services.glossary_term_create(by=BY, **data)
        created += 1
    return created


@transaction.atomic
def load_publishing_demo() -> dict[str, int]:
    orgs = {org.slug: org for org in Organisation.objects.all()}
    users = _users()
    before = Publication.objects.count()
    _solidarity_zone(orgs, users)
    for data in USC_ARTICLES:
        _publication(data, orgs["ukraine-solidarity-campaign"], list(data["title"]))
    _publication(USSC_ARTICLE, orgs["ussc"], ["en"])
    resources = _resources(orgs)
    glossary = _glossary()
    sources.translation_sync(by=BY)
    return {
        "publications": Publication.objects.count() - before,
        "resource_links": resources,
        "glossary_terms": glossary,
    }
