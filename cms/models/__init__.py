from .access import AccessLog
from .invitations import Invitation, InvitationStatus
from .logs import TenantLogEntry
from .pages import ContentPage, FooterSettings, HomePage
from .tenancy import Municipality, TenantQuerySet
from .users import Role, User

__all__ = [
    "AccessLog",
    "ContentPage",
    "FooterSettings",
    "HomePage",
    "Invitation",
    "InvitationStatus",
    "Municipality",
    "Role",
    "TenantLogEntry",
    "TenantQuerySet",
    "User",
]
