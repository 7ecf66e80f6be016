from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import (
    RetentionReportView,
    SessionEntriesView,
    SharedEntriesView,
    give_feedback,
    open_after_exercises,
)
from .reports import FeedbackTurnaroundReportView
from .viewsets import LogbookExerciseGroup


@hooks.register("register_admin_viewset")
def register_logbook_viewsets():
    return LogbookExerciseGroup()


@hooks.register("register_admin_urls")
def register_logbook_admin_urls():
    return [
        path("logbog/delte/", SharedEntriesView.as_view(), name="logbook_shared_entries"),
        path("logbog/indlaeg/<int:entry_id>/feedback/", give_feedback, name="logbook_feedback"),
        path(
            "logbog/moede/<int:session_id>/",
            SessionEntriesView.as_view(),
            name="logbook_session_entries",
        ),
        path(
            "logbog/moede/<int:session_id>/familie/<int:family_id>/aabn/",
            open_after_exercises,
            name="logbook_open_after_exercises",
        ),
        *FeedbackTurnaroundReportView.urls(
            "reports/feedback-turnaround/", "logbook_report_feedback_turnaround"
        ),
        path("logbog/opbevaring/", RetentionReportView.as_view(), name="logbook_retention"),
    ]


class SharedEntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("logbook.view_logbookentry")


@hooks.register("register_admin_menu_item")
def register_shared_entries_menu_item():
    return SharedEntriesMenuItem(
        _("Shared entries"),
        reverse("logbook_shared_entries"),
        icon_name="comment",
        order=220,
        name="shared-entries",
    )


@hooks.register("register_reports_menu_item")
def register_feedback_turnaround_report():
    return FeedbackTurnaroundReportView.menu_item("feedback-turnaround", order=130)


@hooks.register("register_session_links")
def shared_entries_of_the_session(user, session):
    """The session's shared entries, on its row of the agenda and of past sessions."""
    if user.has_perm("logbook.view_logbookentry"):
        return _("Shared entries"), reverse("logbook_session_entries", args=[session.pk])
    return None


class RetentionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("supervision.change_coursepolicy")


@hooks.register("register_settings_menu_item")
def register_retention_menu_item():
    return RetentionMenuItem(
        _("Logbook retention"),
        reverse("logbook_retention"),
        icon_name="bin",
        order=920,
        name="logbook-retention",
    )
