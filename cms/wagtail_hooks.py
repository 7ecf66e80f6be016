from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .accounts_admin import StaffViewSet
from .models import AccessLog, IdentityProvider, Municipality, TenantLogEntry
from .models.tenancy import tenant_models
from .roles import ROLE_PAGE_PERMISSIONS, sync_role_groups
from .signin import admin_views as signin_admin_views
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


class IdentityProviderForm(WagtailAdminModelForm):
    """The client secret is never shown again; left empty on an edit, it stays."""

    client_secret = forms.CharField(
        label=_("client secret"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Leave empty to keep the secret saved before."),
    )

    def clean_client_secret(self):
        secret = self.cleaned_data["client_secret"] or self.instance.client_secret
        if not secret:
            raise forms.ValidationError(_("Type the client secret the provider gave you."))
        return secret


class IdentityProviderViewSet(ModelViewSet):
    """Single sign-on providers: superusers only (no role has a permission on them)."""

    model = IdentityProvider
    form_fields = [
        "name",
        "slug",
        "audience",
        "municipality",
        "discovery_url",
        "client_id",
        "client_secret",
        "emails_verified",
        "enabled",
    ]
    icon = "key"
    menu_label = _("Single sign-on")
    menu_order = 930
    add_to_settings_menu = True
    list_display = ["name", "audience", "municipality", "enabled"]

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            self.model, form=IdentityProviderForm, fields=self.form_fields
        )


@hooks.register("register_admin_viewset")
def register_identity_provider_viewset():
    return IdentityProviderViewSet("identity_providers")


class TwoFactorMenuItem(MenuItem):
    def is_shown(self, request):
        return signin_admin_views.may_reset(request.user)


@hooks.register("register_settings_menu_item")
def register_two_factor_menu_item():
    return TwoFactorMenuItem(
        _("Two-factor login"),
        reverse("two_factor_users"),
        icon_name="key",
        order=925,
        name="two-factor",
    )


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("to-trins/", signin_admin_views.two_factor_users, name="two_factor_users"),
        path(
            "to-trins/<int:pk>/nulstil/",
            signin_admin_views.reset_two_factor,
            name="two_factor_reset",
        ),
    ]


@hooks.register("register_log_actions")
def register_two_factor_reset_action(actions):
    actions.register_action(
        signin_admin_views.RESET_ACTION, _("Reset two-factor login"), _("Two-factor login reset")
    )


@hooks.register("register_account_menu_item")
def own_two_factor_in_the_account(request):
    """Staff reach their own two-factor page (recovery codes) from *Account*."""
    return {
        "url": reverse("two-factor"),
        "label": _("Two-factor login"),
        "help_text": _("See how many recovery codes you have left, or make new ones."),
    }


@hooks.register("register_admin_viewset")
def register_staff_viewset():
    return StaffViewSet("staff")


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("opstart.account.invite", _("Send invitation"), _("Invitation sent"))
    actions.register_action("opstart.account.deactivate", _("Deactivate"), _("Deactivated"))
    actions.register_action("opstart.account.reactivate", _("Reactivate"), _("Reactivated"))
