from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from cms.viewsets import NoDeletePermissionPolicy, OpenedByPlacementPermissionPolicy

from . import actions, admin_views, reports
from .models import (
    Attendance,
    Cohort,
    CoursePlan,
    FosterFamily,
    GroupSupervision,
    IndividualSupervision,
    ModuleSession,
    Placement,
    PreMeeting,
    Session,
    StartupCourse,
    ThemeSupervision,
)
from .viewsets import SessionGroup, SupervisionGroup

# A family's data is never deleted in the admin, by any role: erasure removes the
# personal data and keeps what the reports count (cms.portal.privacy). Nor are the
# sessions and cohorts whose attendance the reports count: a session is cancelled.
NEVER_DELETED = (
    FosterFamily,
    Placement,
    CoursePlan,
    Cohort,
    Attendance,
    PreMeeting,
    ModuleSession,
    ThemeSupervision,
    GroupSupervision,
    IndividualSupervision,
)
for model in NEVER_DELETED:  # each kind of session its own: permissions are per model
    register_permission_policy(model, NoDeletePermissionPolicy(model), exact_class=True)
register_permission_policy(StartupCourse, OpenedByPlacementPermissionPolicy(StartupCourse))


@hooks.register("register_actions")
def register_supervision_actions(registry):
    registry.register(Placement, actions.RegisterPlacementAction)
    registry.register(Placement, actions.ChangePlacementAction)
    registry.register(Session, actions.ScheduleSessionAction)
    registry.register(Session, actions.ChangeSessionAction)


@hooks.register("register_admin_viewset")
def register_supervision_viewsets():
    return [SupervisionGroup(), SessionGroup()]


@hooks.register("register_admin_urls")
def register_supervision_admin_urls():
    return [
        path("supervision/agenda/", admin_views.agenda, name="supervision_agenda"),
        path(
            "supervision/agenda/month/", admin_views.agenda_month, name="supervision_agenda_month"
        ),
        path(
            "supervision/agenda/month/<int:year>/<int:month>/",
            admin_views.agenda_month,
            name="supervision_agenda_month",
        ),
        path(
            "supervision/agenda/past/", admin_views.past_sessions, name="supervision_past_sessions"
        ),
        path(
            "supervision/families/<int:pk>/add-parent/",
            admin_views.add_parent,
            name="supervision_add_parent",
        ),
        path("supervision/plan-year/", admin_views.plan_year, name="supervision_plan_year"),
        path(
            "supervision/sessions/<int:pk>/attendance/",
            admin_views.attendance,
            name="supervision_attendance",
        ),
        path(
            "supervision/sessions/<int:pk>/cancel/", admin_views.cancel, name="supervision_cancel"
        ),
        path(
            "supervision/placements/<int:pk>/end/",
            admin_views.end_placement_view,
            name="supervision_end_placement",
        ),
        path(
            "supervision/courses/<int:pk>/close/",
            admin_views.close_course_view,
            name="supervision_close_course",
        ),
        path(
            "supervision/courses/<int:pk>/record.pdf",
            admin_views.course_record,
            name="supervision_course_record",
        ),
        *reports.LateCoursesReportView.urls(
            "reports/late-courses/", "supervision_report_late_courses"
        ),
        *reports.ModuleCompletionReportView.urls(
            "reports/module-completion/", "supervision_report_module_completion"
        ),
        *reports.AttendanceReportView.urls("reports/attendance/", "supervision_report_attendance"),
    ]


class AgendaMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("supervision.view_session")


@hooks.register("register_admin_menu_item")
def register_agenda_menu_item():
    return AgendaMenuItem(
        _("Agenda"), reverse("supervision_agenda"), icon_name="calendar-alt", order=155
    )


@hooks.register("register_reports_menu_item")
def register_late_courses_report():
    return reports.LateCoursesReportView.menu_item("late-courses", order=100)


@hooks.register("register_reports_menu_item")
def register_module_completion_report():
    return reports.ModuleCompletionReportView.menu_item("module-completion", order=110)


@hooks.register("register_reports_menu_item")
def register_attendance_report():
    return reports.AttendanceReportView.menu_item("attendance", order=120)
