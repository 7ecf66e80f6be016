from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .accounts_admin import StaffViewSet
from .models import AccessLog, Municipality, TenantLogEntry
from .models.tenancy import tenant_models
from .roles import ROLE_PAGE_PERMISSIONS, sync_role_groups
from .viewsets import ReadOnlyPermissionPolicy, TenantModelViewSet


class MunicipalityViewSet(TenantModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipality")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["name", "contact_email", "emergency_phone"]


register_permission_policy(AccessLog, ReadOnlyPermissionPolicy(AccessLog))


class AccessLogViewSet(TenantModelViewSet):
    """Read-only: nobody has add, change or delete permission on the log."""

    model = AccessLog
    icon = "history"
    menu_label = _("Access log")
    menu_order = 910
    add_to_settings_menu = True
    list_display = ["at", "user", "action", "family_label", "object_label"]
    list_filter = ["action"]
    search_fields = ["family_label", "object_label"]
    form_fields = ["action"]


@hooks.register("register_admin_viewset")
def register_municipality_viewset():
    return MunicipalityViewSet("municipalities")


@hooks.register("register_admin_viewset")
def register_access_log_viewset():
    return AccessLogViewSet("access_log")


@hooks.register("register_log_actions")
def log_tenant_models_by_municipality(actions):
    """Admin actions on tenant data go to ``TenantLogEntry`` (seen only within the
    municipality, labelled without names) instead of Wagtail's ``ModelLogEntry``."""
    for model in tenant_models():
        actions.register_model(model, TenantLogEntry)


@hooks.register("after_create_page")
def grant_role_permissions_on_new_page(request, page):
    """A new course catalogue gets the trainers' and coordinators' page permissions."""
    if page.specific_class._meta.label in ROLE_PAGE_PERMISSIONS:
        sync_role_groups()


@hooks.register("register_admin_viewset")
def register_staff_viewset():
    return StaffViewSet("staff")


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("opstart.account.invite", _("Send invitation"), _("Invitation sent"))
    actions.register_action("opstart.account.deactivate", _("Deactivate"), _("Deactivated"))
    actions.register_action("opstart.account.reactivate", _("Reactivate"), _("Reactivated"))
