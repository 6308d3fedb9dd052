"""Every API route, on one router, so the schema, the entry point and the isolation sweeps
enumerate them all: OSDI people, tags and lists; OSDI petitions, events, donations and
messages; Spilka's own resources. Each app's viewsets live in its own ``<app>/api/``."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from spilka.aid.api.views import (
    ConvoyViewSet,
    HandoverViewSet,
    NeedViewSet,
    PledgeViewSet,
)
from spilka.campaigns.api.campaigns import CampaignViewSet
from spilka.campaigns.api.legislation import BillViewSet
from spilka.campaigns.api.resolutions import AdoptionViewSet, ResolutionViewSet
from spilka.campaigns.api.statements import CoSignatureViewSet, StatementViewSet
from spilka.campaigns.api.views import (
    PetitionSignatureViewSet,
    PetitionViewSet,
    SignatureViewSet,
)
from spilka.events.api.views import (
    AttendanceViewSet,
    EventAttendanceViewSet,
    EventViewSet,
)
from spilka.funds.api.funds import FundViewSet
from spilka.funds.api.ledger import LedgerEntryViewSet
from spilka.funds.api.views import DonationViewSet, FundDonationViewSet
from spilka.network.api.views import OrganisationViewSet, RelationshipViewSet
from spilka.outreach.api import views as outreach_api
from spilka.outreach.api.messages import MessageViewSet
from spilka.publishing.api.views import PublicationViewSet, TranslationTaskViewSet


class Router(DefaultRouter):
    include_root_view = False  # the OSDI entry point is the root
    include_format_suffixes = False

    def __init__(self) -> None:
        super().__init__()
        # With or without the trailing slash: OSDI clients write links without one.
        self.trailing_slash = "/?"


router = Router()

# OSDI people, tags, taggings, lists

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

# OSDI petitions, signatures, events, attendances, donations, messages

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

# Spilka's own resources

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
