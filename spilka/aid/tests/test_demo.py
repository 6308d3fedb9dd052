"""The demo: the miners' seven convoys and the others, confirmed, and safe to load twice."""

from spilka.aid.demo import load_aid_demo
from spilka.aid.models import Convoy, ConvoyStatus, Need
from spilka.aid.selectors import reports
from spilka.aid.selectors.reports import aid_report
from spilka.network.models import Organisation


def test_demo_has_the_miners_seven_confirmed_convoys(demo):
    load_aid_demo()
    refs = set(
        Convoy.objects.filter(reference__startswith="NUM-2022").values_list("reference", flat=True)
    )
    assert len(refs) == 7
    assert (
        not Convoy.objects.exclude(status=ConvoyStatus.CONFIRMED)
        .filter(reference__in=refs)
        .exists()
    )


def test_demo_loads_twice_without_duplicates(demo):
    load_aid_demo()
    counts = (Convoy.objects.count(), Need.objects.count())
    assert load_aid_demo() == {"aid_convoys": 0}
    assert (Convoy.objects.count(), Need.objects.count()) == counts


def test_demo_report_for_the_durham_miners(demo):
    load_aid_demo()
    report = aid_report(organisation=demo["num-durham"])
    assert report.deliveries == 7
    assert report.vehicles_donated == 7
    assert report.values["GBP"] > 0


def test_the_network_report_names_the_busiest_parties_and_counts_them_all(demo, monkeypatch):
    load_aid_demo()
    everyone = aid_report()
    assert everyone.donor_total == len(everyone.donors) >= 2
    assert everyone.donors[0].organisation.slug == "num-durham"  # seven deliveries
    assert everyone.recipient_total == len(everyone.recipients) >= 2

    monkeypatch.setattr(reports, "PARTIES_SHOWN", 1)
    busiest = aid_report()
    assert [p.organisation.slug for p in busiest.donors] == ["num-durham"]
    assert busiest.recipients == everyone.recipients[:1]
    assert (busiest.donor_total, busiest.recipient_total) == (
        everyone.donor_total,
        everyone.recipient_total,
    )

    # A private donor's goods still count, but it is neither named nor counted.
    Organisation.objects.filter(slug="num-durham").update(is_public=False)
    hidden = aid_report()
    assert hidden.deliveries == everyone.deliveries
    assert hidden.donor_total == everyone.donor_total - 1
    assert "num-durham" not in {p.organisation.slug for p in hidden.donors}
