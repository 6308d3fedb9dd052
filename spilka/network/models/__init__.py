from spilka.network.models.link_requests import LinkKind, LinkRequest, LinkRequestStatus
from spilka.network.models.organisations import (
    Organisation,
    OrganisationKind,
    Relationship,
    RelationshipKind,
    TwoFactorRoles,
    WorkingGroup,
)
from spilka.network.models.people import Consent, ConsentPurpose, Membership, Person, PersonEmail
from spilka.network.models.roles import OrganisationRole, Role, RoleInvitation

__all__ = [
    "Consent",
    "ConsentPurpose",
    "LinkKind",
    "LinkRequest",
    "LinkRequestStatus",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "OrganisationRole",
    "Person",
    "PersonEmail",
    "Relationship",
    "RelationshipKind",
    "Role",
    "RoleInvitation",
    "TwoFactorRoles",
    "WorkingGroup",
]
