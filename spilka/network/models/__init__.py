from spilka.network.models.organisations import (
    Organisation,
    OrganisationKind,
    Relationship,
    RelationshipKind,
    TwoFactorRoles,
    WorkingGroup,
)
from spilka.network.models.people import Consent, ConsentPurpose, Membership, Person, PersonEmail
from spilka.network.models.roles import OrganisationRole, Role

__all__ = [
    "Consent",
    "ConsentPurpose",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "OrganisationRole",
    "Person",
    "PersonEmail",
    "Relationship",
    "RelationshipKind",
    "Role",
    "TwoFactorRoles",
    "WorkingGroup",
]
