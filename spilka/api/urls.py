"""Every API route, on one router, so the schema, the entry point and the isolation sweep
enumerate them all. Each helper keeps its registrations in its own marked block."""

from __future__ import annotations

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from spilka.api import views
from spilka.api.exceptions import not_found

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False  # the OSDI entry point is the root
    include_format_suffixes = False

    def __init__(self) -> None:
        super().__init__()
        # With or without the trailing slash: OSDI clients write links without one.
        self.trailing_slash = "/?"


router = Router()

# --- api: OSDI people, tags, taggings, lists ------------------------------------------
from spilka.outreach.api import views as outreach_api  # noqa: E402

router.register("people", outreach_api.PersonViewSet, basename="osdi-person")
router.register(
    r"people/(?P<person_pk>[^/.]+)/taggings",
    outreach_api.PersonTaggingViewSet,
    basename="osdi-person-tagging",
)
router.register("tags", outreach_api.TagViewSet, basename="osdi-tag")
router.register(
    r"tags/(?P<tag_pk>[^/.]+)/taggings", outreach_api.TaggingViewSet, basename="osdi-tagging"
)
router.register("lists", outreach_api.ListViewSet, basename="osdi-list")
router.register(
    r"lists/(?P<list_pk>[^/.]+)/items", outreach_api.ListItemViewSet, basename="osdi-list-item"
)
# --- end api ---------------------------------------------------------------------------

# --- osdi: petitions, signatures, events, attendances, donations, messages -------------
from spilka.campaigns.api.views import (  # noqa: E402
    PetitionSignatureViewSet,
    PetitionViewSet,
    SignatureViewSet,
)
from spilka.events.api.views import (  # noqa: E402
    AttendanceViewSet,
    EventAttendanceViewSet,
    EventViewSet,
)
from spilka.funds.api.views import DonationViewSet, FundDonationViewSet  # noqa: E402
from spilka.outreach.api.messages import MessageViewSet  # noqa: E402

ID = r"(?P<{}>[0-9]+)"
router.register("petitions", PetitionViewSet, basename="osdi-petition")
router.register(
    rf"petitions/{ID.format('petition_pk')}/signatures",
    PetitionSignatureViewSet,
    basename="osdi-petition-signature",
)
router.register("signatures", SignatureViewSet, basename="osdi-signature")
router.register("events", EventViewSet, basename="osdi-event")
router.register(
    rf"events/{ID.format('event_pk')}/attendances",
    EventAttendanceViewSet,
    basename="osdi-event-attendance",
)
router.register("attendances", AttendanceViewSet, basename="osdi-attendance")
router.register("donations", DonationViewSet, basename="osdi-donation")
router.register(
    rf"fundraising_pages/{ID.format('fund_pk')}/donations",
    FundDonationViewSet,
    basename="osdi-fund-donation",
)
router.register("messages", MessageViewSet, basename="osdi-message")
# --- end osdi --------------------------------------------------------------------------

# --- own: Spilka's own resources --------------------------------------------------------
from spilka.aid.api.views import (  # noqa: E402
    ConvoyViewSet,
    HandoverViewSet,
    NeedViewSet,
    PledgeViewSet,
)
from spilka.campaigns.api.campaigns import CampaignViewSet  # noqa: E402
from spilka.campaigns.api.legislation import BillViewSet  # noqa: E402
from spilka.campaigns.api.resolutions import AdoptionViewSet, ResolutionViewSet  # noqa: E402
from spilka.campaigns.api.statements import CoSignatureViewSet, StatementViewSet  # noqa: E402
from spilka.funds.api.funds import FundViewSet  # noqa: E402
from spilka.funds.api.ledger import LedgerEntryViewSet  # noqa: E402
from spilka.network.api.views import OrganisationViewSet, RelationshipViewSet  # noqa: E402
from spilka.publishing.api.views import PublicationViewSet, TranslationTaskViewSet  # noqa: E402

router.register("organisations", OrganisationViewSet, basename="spilka-organisation")
router.register("relationships", RelationshipViewSet, basename="spilka-relationship")
router.register("campaigns", CampaignViewSet, basename="spilka-campaign")
router.register("resolutions", ResolutionViewSet, basename="spilka-resolution")
router.register("adoptions", AdoptionViewSet, basename="spilka-adoption")
router.register("statements", StatementViewSet, basename="spilka-statement")
router.register("cosignatures", CoSignatureViewSet, basename="spilka-cosignature")
router.register("bills", BillViewSet, basename="spilka-bill")
router.register("needs", NeedViewSet, basename="spilka-need")
router.register("pledges", PledgeViewSet, basename="spilka-pledge")
router.register("convoys", ConvoyViewSet, basename="spilka-convoy")
router.register("handovers", HandoverViewSet, basename="spilka-handover")
router.register("funds", FundViewSet, basename="spilka-fund")
router.register("ledger_entries", LedgerEntryViewSet, basename="spilka-ledger-entry")
router.register("publications", PublicationViewSet, basename="spilka-publication")
router.register("translation_tasks", TranslationTaskViewSet, basename="spilka-translation-task")
# --- end own ---------------------------------------------------------------------------

urlpatterns = [
    path("", views.EntryPointView.as_view(), name="entry-point"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", not_found, name="not-found"),
]
