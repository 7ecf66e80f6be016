from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.models import Page

from courses.models import Theme

from . import admin_views, deletion
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


@hooks.register("before_delete_page")
def refuse_deleting_modules_families_used(request, page):
    use = deletion.page_use([page])
    if use:
        messages.error(request, deletion.page_refusal(use))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_modules_families_used(request, action_type, objects, action):
    pages = [page for page in objects if isinstance(page, Page)]
    if action_type != "delete" or not pages:
        return None
    use = deletion.page_use(pages)
    if use:
        messages.error(request, deletion.page_refusal(use))
        return redirect(action.next_url)
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_themes_families_wrote_in(request, instances):
    themes = [theme for theme in instances if isinstance(theme, Theme)]
    use = deletion.theme_use(themes) if themes else None
    if use:
        messages.error(request, deletion.theme_refusal(use))
        return redirect(themes[0].snippet_viewset.get_url_name("list"))
    return None
