from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .viewsets import SessionGroup, SupervisionGroup


@hooks.register("register_admin_viewset")
def register_supervision_viewsets():
    return [SupervisionGroup(), SessionGroup()]


@hooks.register("register_admin_urls")
def register_supervision_admin_urls():
    return [
        path("supervision/agenda/", admin_views.agenda, name="supervision_agenda"),
        path("supervision/plan-year/", admin_views.plan_year, name="supervision_plan_year"),
        path(
            "supervision/sessions/<int:pk>/attendance/",
            admin_views.attendance,
            name="supervision_attendance",
        ),
        path(
            "supervision/sessions/<int:pk>/cancel/", admin_views.cancel, name="supervision_cancel"
        ),
    ]


class AgendaMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("supervision.view_session")


@hooks.register("register_admin_menu_item")
def register_agenda_menu_item():
    return AgendaMenuItem(
        _("Agenda"), reverse("supervision_agenda"), icon_name="calendar-alt", order=155
    )
