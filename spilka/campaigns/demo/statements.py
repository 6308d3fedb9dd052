"""Demo joint statement and bills, from the article the project started from.

The Warsaw meeting of 8 March 2022, where left parties from Poland, Finland, Lithuania,
the Czech Republic and Romania met Social Movement from Ukraine; the debt cancellation
campaign's bill in the US House and motions in the UK and European parliaments; the Sejm
motion on abortion access for refugees who had been raped, rejected. The statement's text
here is a summary written for the demo, not the original wording; bill numbers and dates
are illustrative. Idempotent: run it twice and nothing is duplicated.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from spilka.campaigns.models import Bill, Campaign, Statement
from spilka.campaigns.services.cosignatures import cosign_record_evidence
from spilka.campaigns.services.legislation import bill_create, bill_stage_add
from spilka.campaigns.services.statements import statement_create
from spilka.network.models import Organisation

BY = "load_demo"
ARTICLE = "https://internationalviewpoint.org/spip.php?article7948"

STATEMENT: dict[str, Any] = {
    "campaign": "warsaw-left-unity",
    "slug": "warsaw-statement-2022",
    "published_on": datetime.date(2022, 3, 8),
    "status": "open",
    "allow_individuals": True,
    "original_language": "en",
    "title": {
        "en": "Warsaw statement: the left stands with Ukraine's resistance",
        "pl": "Oświadczenie warszawskie: lewica solidarna z ukraińskim oporem",
        "uk": "Варшавська заява: ліві на боці українського спротиву",
    },
    "text": {
        "en": (
            "We, left parties from Poland, Finland, Lithuania, the Czech Republic and Romania, "
            "met representatives of Social Movement (Sotsialnyi Rukh) in Warsaw on 8 March 2022.\n\n"
            "We condemn Russia's invasion of Ukraine and stand in solidarity with the Ukrainian "
            "people's resistance, armed and unarmed, and with Ukraine's left and labour movement.\n\n"
            "We came to listen. The left in Ukraine knows best what it needs, and we commit to "
            "campaign for it: support for the resistance, sanctions against the Russian regime, "
            "the cancellation of Ukraine's foreign debt, and a rebuilding of Ukraine for its "
            "working people, not for oligarchs or foreign corporations.\n\n"
            "We call on the left across Europe and the world to do the same."
        ),
        "pl": (
            "My, partie lewicy z Polski, Finlandii, Litwy, Czech i Rumunii, spotkaliśmy się "
            "8 marca 2022 roku w Warszawie z przedstawicielami Ruchu Społecznego (Sotsialnyi Rukh).\n\n"
            "Potępiamy rosyjską inwazję na Ukrainę i solidaryzujemy się z oporem ukraińskiego "
            "społeczeństwa, zbrojnym i niezbrojnym, oraz z ukraińską lewicą i ruchem pracowniczym.\n\n"
            "Przyszliśmy słuchać. Ukraińska lewica wie najlepiej, czego potrzebuje, i zobowiązujemy "
            "się o to walczyć: wsparcie dla oporu, sankcje wobec rosyjskiego reżimu, anulowanie "
            "długu zagranicznego Ukrainy i odbudowa kraju dla ludzi pracy, a nie dla oligarchów "
            "czy zagranicznych korporacji.\n\n"
            "Wzywamy lewicę w Europie i na świecie, by zrobiła to samo."
        ),
        "uk": (
            "Ліві партії Польщі, Фінляндії, Литви, Чехії та Румунії зустрілися 8 березня 2022 року "
            "у Варшаві з представниками Соціального руху.\n\n"
            "Ми засуджуємо російське вторгнення в Україну і солідарні зі спротивом українського "
            "народу та з лівим і робітничим рухом України.\n\n"
            "Ми прийшли слухати, чого потребують українські ліві, і зобов'язуємося боротися за "
            "підтримку спротиву, санкції проти російського режиму, списання зовнішнього боргу "
            "України та відбудову країни для людей праці."
        ),
    },
}

COSIGNERS = [
    ("razem", "Host of the Warsaw meeting (Razem International Office)."),
    ("left-alliance-finland", "Took part in the Warsaw meeting of 8 March 2022."),
    ("left-alliance-lithuania", "Took part in the Warsaw meeting of 8 March 2022."),
    ("alliance-for-the-future", "Took part in the Warsaw meeting of 8 March 2022."),
    (
        "demos-romania",
        "Named among the parties at the Warsaw meeting in Zofia Malisz's interview with Green "
        "Left, 10 January 2023, republished by International Viewpoint.",
    ),
    ("sotsialnyi-rukh", "The Ukrainian organisation the meeting listened to."),
]

BILLS: list[dict[str, Any]] = [
    {
        "campaign": "cancel-ukraines-debt",
        "parliament": "us_house",
        "kind": "bill",
        "number": "H.R. 7081",
        "original_language": "en",
        "title": {
            "en": "Ukraine Comprehensive Debt Payment Relief Act of 2022",
            "uk": "Закон про комплексне звільнення України від виплат за боргами 2022 року",
            "pl": "Ustawa o kompleksowej uldze w spłacie długu Ukrainy z 2022 roku",
        },
        "summary": {
            "en": "Calls on the US government to use its voice and vote at the international financial institutions to seek the suspension of Ukraine's debt payments and relief from its debt.",
        },
        "url": "https://www.congress.gov/bill/117th-congress/house-bill/7081",
        "stages": [
            ("introduced", datetime.date(2022, 3, 14), "Introduced in the House."),
            ("passed_chamber", datetime.date(2022, 4, 6), "Passed the House of Representatives."),
        ],
    },
    {
        "campaign": "cancel-ukraines-debt",
        "parliament": "uk_parliament",
        "kind": "motion",
        "number": "",
        "original_language": "en",
        "title": {
            "en": "Early day motion: cancel Ukraine's debt",
            "uk": "Рання резолюція: списати борги України",
            "pl": "Wniosek (early day motion): anulować dług Ukrainy",
        },
        "summary": {
            "en": "An early day motion in the House of Commons calling on the government to press for the cancellation of Ukraine's foreign debt."
        },
        "url": "",
        "stages": [("introduced", datetime.date(2022, 7, 12), "Tabled in the House of Commons.")],
    },
    {
        "campaign": "cancel-ukraines-debt",
        "parliament": "european_parliament",
        "kind": "resolution",
        "number": "",
        "original_language": "en",
        "title": {
            "en": "Motion for a resolution on cancelling Ukraine's external debt",
            "uk": "Проєкт резолюції про списання зовнішнього боргу України",
            "pl": "Projekt rezolucji w sprawie anulowania zadłużenia zewnętrznego Ukrainy",
        },
        "summary": {
            "en": "Left MEPs raised the cancellation of Ukraine's external debt in the European Parliament."
        },
        "url": "",
        "stages": [("introduced", datetime.date(2022, 9, 14), "Raised in plenary.")],
    },
    {
        "campaign": "abortion-access-for-refugees",
        "parliament": "sejm",
        "kind": "motion",
        "number": "",
        "original_language": "pl",
        "title": {
            "pl": "Wniosek o przyspieszenie dostępu do aborcji dla uchodźczyń z Ukrainy, które zostały zgwałcone",
            "en": "Motion to expedite access to abortion for Ukrainian refugees who were raped",
            "uk": "Пропозиція пришвидшити доступ до абортів для українських біженок, які зазнали зґвалтування",
        },
        "summary": {
            "pl": "Posłanki lewicy, wśród nich współprzewodnicząca Razem Magdalena Biejat, złożyły w Sejmie wniosek. Prawicowa większość go odrzuciła.",
            "en": "Left MPs, among them Razem's co-leader Magdalena Biejat, filed the motion in the Sejm. The right-wing majority rejected it.",
        },
        "url": "",
        "stages": [
            ("introduced", datetime.date(2022, 4, 7), "Filed by left MPs."),
            ("rejected", datetime.date(2022, 5, 26), "Rejected by the right-wing majority."),
        ],
    },
]


def _load_statement(orgs: dict[str, Organisation], created: dict[str, int]) -> None:
    statement = Statement.objects.filter(slug=STATEMENT["slug"]).first()
    if statement is None:
        fields = {k: v for k, v in STATEMENT.items() if k != "campaign"}
        statement = statement_create(
            by=BY, campaign=Campaign.objects.get(slug=STATEMENT["campaign"]), **fields
        )
        created["statements"] += 1
    signed = set(statement.cosignatures.values_list("organisation__slug", flat=True))
    for slug, note in COSIGNERS:
        if slug not in signed:
            cosign_record_evidence(
                statement=statement,
                organisation=orgs[slug],
                evidence_url=ARTICLE,
                note=note,
                by=BY,
            )
            created["cosignatures"] += 1


def _load_bills(created: dict[str, int]) -> None:
    for data in BILLS:
        campaign = Campaign.objects.get(slug=data["campaign"])
        key = {"campaign": campaign, "parliament": data["parliament"], "kind": data["kind"]}
        if Bill.objects.filter(**key).exists():
            continue
        bill = bill_create(
            by=BY,
            **key,
            number=data["number"],
            title=data["title"],
            summary=data["summary"],
            original_language=data["original_language"],
            url=data["url"],
        )
        for stage, date, note in data["stages"]:
            bill_stage_add(by=BY, bill=bill, stage=stage, date=date, note=note)
        created["bills"] += 1


@transaction.atomic
def load_statements_demo() -> dict[str, int]:
    created = {"statements": 0, "cosignatures": 0, "bills": 0}
    orgs = {org.slug: org for org in Organisation.objects.all()}
    _load_statement(orgs, created)
    _load_bills(created)
    return created
