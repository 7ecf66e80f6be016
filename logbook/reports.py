"""The feedback turnaround report (admin › Reports): how long shared logbook entries wait
for a consultant's first feedback. Counts only; never an entry's content."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from cms.reports import MunicipalityReportView

from .models import LogbookEntry

BY_SUPERVISOR = "supervisor"


class FeedbackTurnaroundFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(
        label=_("Year shared"),
        field_name="shared_at__year",
        min_value=2019,
        max_value=2100,
        step_size=1,
    )
    group_by = django_filters.ChoiceFilter(
        label=_("Group by"),
        choices=[(BY_SUPERVISOR, _("Supervisor"))],
        empty_label=_("Month shared"),
        method="group",
    )

    class Meta:
        model = LogbookEntry
        fields = []

    def group(self, queryset, name, value):
        """Grouping is read by the view; it filters nothing."""
        return queryset


class FeedbackTurnaroundReportView(MunicipalityReportView):
    model = LogbookEntry
    page_title = _("Feedback turnaround")
    header_icon = "comment"
    index_url_name = "logbook_report_feedback_turnaround"
    index_results_url_name = "logbook_report_feedback_turnaround_results"
    filterset_class = FeedbackTurnaroundFilterSet
    export_filename = "feedback-turnaround"
    columns = [
        Column("group", label=_("Month or supervisor"), accessor="__str__"),
        Column("answered", label=_("Answered")),
        Column("average_days", label=_("Average days to feedback")),
        Column("median_days", label=_("Median days to feedback")),
        Column("waiting", label=_("Still waiting")),
    ]

    def get_filtered_queryset(self):
        entries = self.filter_queryset(LogbookEntry.objects.for_user(self.request.user).shared())
        grouping = self.filters.form.cleaned_data.get("group_by") if self.filters else None
        return entries.feedback_turnaround(by_supervisor=grouping == BY_SUPERVISOR)
