from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import AccessLog, Municipality
from .panels import STAFF_PANELS, RoleWelcomePanel
from .roles import ROLE_PAGE_PERMISSIONS, sync_role_groups
from .viewsets import TenantModelViewSet


class MunicipalityViewSet(TenantModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipality")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["name", "contact_email", "emergency_phone"]


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted, superusers included: no add, edit or delete screen."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


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


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    return [
        path(
            "families/<int:pk>/erase/",
            admin_views.erase_family,
            name="privacy_erase_family",
        )
    ]


@hooks.register("construct_homepage_panels")
def add_role_welcome_panel(request, panels):
    panels.insert(0, RoleWelcomePanel(request.user))
    for position, panel in enumerate(STAFF_PANELS, start=1):
        if panel.applies_to(request.user):
            panels.insert(position, panel(request.user))


@hooks.register("after_create_page")
def grant_role_permissions_on_new_page(request, page):
    """A new course catalogue gets the trainers' and coordinators' page permissions."""
    if page.specific_class._meta.label in ROLE_PAGE_PERMISSIONS:
        sync_role_groups()
