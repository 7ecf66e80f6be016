from django.urls import path
from wagtail import hooks

from . import admin_views
from .panels import STAFF_PANELS, RoleWelcomePanel


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
