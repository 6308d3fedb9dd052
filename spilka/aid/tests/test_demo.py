"""The demo: the miners' seven convoys and the others, confirmed, and safe to load twice."""

from spilka.aid.demo import load_aid_demo
from spilka.aid.models import Convoy, ConvoyStatus, Need
from spilka.aid.selectors.reports import aid_report


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
