"""The staff start page: the Wagtail admin dashboard with panels for the user's role.

Each panel reads its rows with a fixed number of queries, scoped to the user's
municipality through ``for_user``.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from cms.models import Role
from logbook.models import LogbookEntry
from supervision.models import CourseStatus, Session, StartupCourse


class RoleWelcomePanel(Component):
    name = "role_welcome"
    order = 10
    template_name = "cms/admin/role_welcome_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        roles = [Role(role).label for role in sorted(self.user.roles)]
        links = []
        if self.user.has_perm("supervision.view_fosterfamily"):
            links.append((_("Foster families"), reverse("fosterfamily:index")))
            links.append((_("Placements"), reverse("placement:index")))
            links.append((_("Cohorts"), reverse("cohort:index")))
        return {
            "user": self.user,
            "roles": roles,
            "municipality": self.user.municipality,
            "links": links,
        }


class StaffPanel(Component):
    """A dashboard panel of the user's municipality; shown only with ``permission``."""

    permission = "supervision.view_session"

    def __init__(self, user, now=None):
        self.user = user
        self.now = now or timezone.now()

    @classmethod
    def applies_to(cls, user):
        return user.has_perm(cls.permission) and (user.municipality_id or user.is_superuser)


class SessionsPanel(StaffPanel):
    """Today's and the rest of this week's sessions; a supervisor's own sessions first."""

    name = "week_sessions"
    order = 20
    template_name = "cms/admin/sessions_panel.html"
    limit = 50

    def get_context_data(self, parent_context=None):
        today = timezone.localdate(self.now)
        week_end = today + datetime.timedelta(days=7 - today.isoweekday())
        own = Session.supervisors.through.objects.filter(
            session_id=OuterRef("pk"), user_id=self.user.pk
        )
        sessions = list(
            Session.objects.for_user(self.user)
            .active()
            .filter(start__date__gte=today, start__date__lte=week_end)
            .non_polymorphic()
            .annotate(is_own=Exists(own))
            .select_related("polymorphic_ctype")
            .prefetch_related("supervisors")
            .order_by("-is_own", "start")[: self.limit]
        )
        for session in sessions:
            kind = session.polymorphic_ctype.model_class()
            session.kind = kind._meta.verbose_name
            session.edit_url = reverse(f"{kind._meta.model_name}:edit", args=[session.pk])
            session.attendance_url = reverse("supervision_attendance", args=[session.pk])
        return {
            "today": [s for s in sessions if timezone.localdate(s.start) == today],
            "later": [s for s in sessions if timezone.localdate(s.start) != today],
            "agenda_url": reverse("supervision_agenda"),
        }


class CoursesAtRiskPanel(StaffPanel):
    """Start-up courses that are late or at risk, and those that ended early within their
    year (listed as ended): status and count from the database."""

    name = "courses_at_risk"
    order = 30
    template_name = "cms/admin/courses_at_risk_panel.html"
    permission = "supervision.view_startupcourse"
    shown = 20

    def get_context_data(self, parent_context=None):
        # The count beside the rows: the database evaluates the status rules once.
        courses = list(
            StartupCourse.objects.for_user(self.user)
            .needing_follow_up(self.now)
            .annotate(
                flagged=Window(Count("pk")),
                ended=Window(Count("pk", filter=Q(status_code=CourseStatus.ENDED))),
            )
            .select_related("placement__family")[: self.shown]
        )
        for course in courses:
            status = course.status()
            course.status_label, course.is_late = status.label, status == CourseStatus.LATE
            course.has_ended = status == CourseStatus.ENDED
            course.edit_url = reverse("startupcourse:edit", args=[course.pk])
        return {
            "courses": courses,
            "count": courses[0].flagged - courses[0].ended if courses else 0,
            "ended": courses[0].ended if courses else 0,
            "index_url": reverse("startupcourse:index"),
            "report_url": reverse("supervision_report_late_courses"),
        }


class SharedEntriesPanel(StaffPanel):
    """How many shared logbook entries still wait for feedback (never their content)."""

    name = "entries_waiting"
    order = 40
    template_name = "cms/admin/shared_entries_panel.html"
    permission = "logbook.view_logbookentry"

    def get_context_data(self, parent_context=None):
        waiting = LogbookEntry.objects.visible_to_staff(self.user).filter(feedback__isnull=True)
        return {"count": waiting.count(), "url": reverse("logbook_shared_entries")}


STAFF_PANELS = [SessionsPanel, CoursesAtRiskPanel, SharedEntriesPanel]
