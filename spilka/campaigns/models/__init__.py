from spilka.campaigns.models.campaigns import Campaign, CampaignStatus
from spilka.campaigns.models.legislation import (
    Bill,
    BillKind,
    BillOutcome,
    BillStage,
    Parliament,
    StageKind,
)
from spilka.campaigns.models.petitions import (
    Petition,
    PetitionStatus,
    Signature,
    SignatureConsent,
    SignatureStatus,
)
from spilka.campaigns.models.resolutions import (
    ADOPTED_STATUSES,
    Adoption,
    AdoptionStatus,
    AdoptionUpdate,
    Resolution,
    ResolutionVersion,
)
from spilka.campaigns.models.statements import (
    CoSignature,
    CoSignatureMethod,
    CoSignatureStatus,
    IndividualSignatory,
    Statement,
    StatementStatus,
)

__all__ = [
    "ADOPTED_STATUSES",
    "Adoption",
    "AdoptionStatus",
    "AdoptionUpdate",
    "Bill",
    "BillKind",
    "BillOutcome",
    "BillStage",
    "Campaign",
    "CampaignStatus",
    "CoSignature",
    "CoSignatureMethod",
    "CoSignatureStatus",
    "IndividualSignatory",
    "Parliament",
    "Petition",
    "PetitionStatus",
    "Resolution",
    "ResolutionVersion",
    "Signature",
    "SignatureConsent",
    "SignatureStatus",
    "StageKind",
    "Statement",
    "StatementStatus",
]
