from .access import AccessLog
from .invitations import Invitation, InvitationStatus
from .logs import TenantLogEntry
from .pages import ContentPage, FooterSettings, HomePage
from .signin import IdentityProvider, LinkedIdentity
from .tenancy import Municipality, TenantQuerySet
from .users import Role, User

__all__ = [
    "AccessLog",
    "ContentPage",
    "FooterSettings",
    "HomePage",
    "IdentityProvider",
    "Invitation",
    "InvitationStatus",
    "LinkedIdentity",
    "Municipality",
    "Role",
    "TenantLogEntry",
    "TenantQuerySet",
    "User",
]
