"""Coordinators' reports on start-up courses and cohorts (admin › Reports).

Each counts in the database through the models' queryset methods (``needing_follow_up``,
``completion_per_module``, ``with_attendance``), so a page costs the same few queries
for ten courses or ten thousand.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from cms.reports import MunicipalityReportView
from courses.models import ModuleKind

from .models import Attendance, Cohort, CoursePlan, CourseStatus, Quarter, StartupCourse
from .viewsets import StatusColumn


class LateCoursesFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="status_code",
        choices=[
            (s.value, s.label)
            for s in (CourseStatus.LATE, CourseStatus.AT_RISK, CourseStatus.ENDED)
        ],
        empty_label=_("Late, at risk or ended"),
        method="of_status",
    )

    class Meta:
        model = StartupCourse
        fields = []

    def of_status(self, queryset, name, value):
        """The view asks ``needing_follow_up`` for the status; this filters nothing more."""
        return queryset


class LateCoursesReportView(MunicipalityReportView):
    """Start-up courses late or at risk against their start and finish deadlines, and
    those that ended early within their year (status *ended*, with the end date)."""

    model = StartupCourse
    page_title = _("Late and at-risk courses")
    header_icon = "warning"
    index_url_name = "supervision_report_late_courses"
    index_results_url_name = "supervision_report_late_courses_results"
    filterset_class = LateCoursesFilterSet
    export_filename = "late-courses"
    columns = [
        TitleColumn(
            "family",
            label=_("Foster family"),
            accessor="placement.family.name",
            url_name="startupcourse:edit",
        ),
        Column("child", label=_("Child"), accessor="placement.child_name"),
        Column("placement_start", label=_("Placement start"), accessor="placement.start_date"),
        Column("start_deadline", label=_("Start deadline")),
        Column("finish_deadline", label=_("Finish deadline")),
        Column("training_days", label=_("Training days")),
        Column("required_days", label=_("Required")),
        Column("modules_missing", label=_("Modules missing")),
        Column("end_date", label=_("Ended")),
        StatusColumn("status", label=_("Status")),
        TitleColumn(
            "record",
            label=_("Course record"),
            accessor=lambda course: _("PDF"),
            url_name="supervision_course_record",
        ),
    ]
    list_export = [
        "placement.family.name",
        "placement.child_name",
        "placement.start_date",
        "start_deadline",
        "finish_deadline",
        "training_days",
        "required_days",
        "modules_missing",
        "end_date",
        "status",
    ]
    export_headings = {
        "placement.family.name": _("Foster family"),
        "placement.child_name": _("Child"),
        "placement.start_date": _("Placement start"),
        "start_deadline": _("Start deadline"),
        "finish_deadline": _("Finish deadline"),
        "training_days": _("Training days"),
        "required_days": _("Required training days"),
        "modules_missing": _("Modules missing"),
        "status": _("Status"),
        "end_date": _("Ended"),
    }
    custom_field_preprocess = {
        "status": {
            MunicipalityReportView.FORMAT_CSV: lambda status: str(status.label),
            MunicipalityReportView.FORMAT_XLSX: lambda status: str(status.label),
        }
    }

    @staticmethod
    def family_of(course):
        return course.placement.family

    def get_queryset(self):
        status = self.filters.form.cleaned_data.get("status") if self.filters.is_valid() else None
        courses = StartupCourse.objects.for_user(self.request.user).needing_follow_up(status=status)
        return courses.select_related("placement__family")


class ModuleCompletionFilterSet(WagtailFilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=ModuleKind.objects.all(), empty_label=_("All kinds")
    )

    class Meta:
        model = CoursePlan
        fields = []


class ModuleCompletionReportView(MunicipalityReportView):
    """For each module: the course plans that chose it, and how many families completed it."""

    model = CoursePlan
    page_title = _("Completion per module")
    header_icon = "tasks"
    index_url_name = "supervision_report_module_completion"
    index_results_url_name = "supervision_report_module_completion_results"
    filterset_class = ModuleCompletionFilterSet
    export_filename = "module-completion"
    columns = [
        Column("number", label=_("No.")),
        Column("title", label=_("Module")),
        Column("kind", label=_("Kind")),
        Column("planned", label=_("Planned in courses")),
        Column("completed", label=_("Completed")),
        Column("percent_completed", label=_("Completed (%)")),
    ]

    def get_queryset(self):
        modules = CoursePlan.objects.for_user(self.request.user).completion_per_module()
        return modules.select_related("kind")


class AttendanceFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="cohort__year", min_value=2019, max_value=2100, step_size=1
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"),
        queryset=lambda request: Cohort.objects.for_user(request.user),
        empty_label=_("All cohorts"),
    )

    class Meta:
        model = Quarter
        fields = []


class AttendanceReportView(MunicipalityReportView):
    """Group supervision attendance for each cohort and quarter."""

    model = Attendance
    page_title = _("Attendance per cohort and quarter")
    header_icon = "group"
    index_url_name = "supervision_report_attendance"
    index_results_url_name = "supervision_report_attendance_results"
    filterset_class = AttendanceFilterSet
    export_filename = "attendance"
    columns = [
        Column("cohort", label=_("Cohort")),
        Column("number", label=_("Quarter")),
        Column("theme", label=_("Theme")),
        Column("sessions_held", label=_("Sessions held")),
        Column("invited", label=_("Parents invited")),
        Column("attended", label=_("Parents present")),
        Column("attendance_rate", label=_("Attendance (%)")),
    ]

    def get_queryset(self):
        quarters = (
            Quarter.objects.for_user(self.request.user)
            .with_attendance()
            .select_related("cohort", "theme")
            .order_by("-cohort__year", "cohort__name", "number")
        )
        return quarters
