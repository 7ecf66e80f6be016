from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    default = True  # not the Wagtail users config below
    name = "cms"
    verbose_name = _("Opstart")

    def ready(self):
        from django.contrib.auth.models import Group

        from . import admin_language, lookups, roles, signals

        lookups.register()
        Group.__str__ = roles.group_label
        signals.connect()
        admin_language.connect()
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="cms.sync_roles")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, its group list naming role groups by their label."""

    group_viewset = "cms.wagtail_users.GroupViewSet"
    user_viewset = "cms.wagtail_users.UserViewSet"
