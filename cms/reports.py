"""The base of the coordinators' reports (the admin's *Reports* menu): one municipality's
numbers on screen, and exported as CSV, XLSX or PDF.

Each report reads its rows with a fixed number of queries whatever their number: the
counting is done by the database, never in a loop over rows.
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button

from .models import AccessLog
from .pdf import pdf_response


class ReportMenuItem(MenuItem):
    """A *Reports* menu entry shown only to users who may open the report."""

    def __init__(self, report, **kwargs):
        super().__init__(**kwargs)
        self.report = report

    def is_shown(self, request):
        return self.report.user_may_view(request.user)


class MunicipalityReportView(ReportView):
    """A report over the user's municipality, with a PDF export beside CSV and XLSX.

    Subclasses set ``model`` (its view permission opens the report), ``columns`` for the
    screen (the files export the same columns, unless ``list_export`` with
    ``export_headings`` say otherwise), and build their rows
    from ``for_user`` querysets. A report whose rows are family data sets ``family_of``
    (row → family): every export of it is then written to the access log, one row per
    exported row, as staff reads of family data are.
    """

    FORMAT_PDF = "pdf"
    FORMATS = (*ReportView.FORMATS, FORMAT_PDF)
    permission_required = "view"
    pdf_template_name = "pdf/report.html"
    family_of = None

    @cached_property
    def list_export(self):
        return [column.accessor for column in self.columns]

    @cached_property
    def export_headings(self):
        return {column.accessor: column.label for column in self.columns}

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Download PDF"),
                url=self.get_export_url(self.FORMAT_PDF),
                icon_name="download",
                priority=110,
            ),
        ]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        rows = list(queryset)
        if self.family_of is not None:
            AccessLog.objects.record(
                self.request.user, rows, AccessLog.Action.EXPORT, self.family_of
            )
        if spreadsheet_format == self.FORMAT_PDF:
            return self.pdf_response(rows)
        return super().as_spreadsheet(rows, spreadsheet_format)

    def pdf_response(self, rows):
        headings = [self.get_heading(rows, field) for field in self.list_export]
        table = [
            [
                self.preprocess_field_value(field, value, self.FORMAT_CSV)
                for field, value in self.to_row_dict(row).items()
            ]
            for row in rows
        ]
        context = {
            "title": self.get_page_title(),
            "municipality": self.request.user.municipality,
            "filters": self.active_filters,
            "headings": headings,
            "rows": table,
            "generated_at": timezone.now(),
        }
        return pdf_response(
            self.pdf_template_name, context, self.request, f"{self.get_filename()}.pdf"
        )

    @classmethod
    def user_may_view(cls, user):
        return user.has_perm(f"{cls.model._meta.app_label}.view_{cls.model._meta.model_name}")

    @classmethod
    def menu_item(cls, name, order):
        return ReportMenuItem(
            cls,
            label=cls.page_title,
            url=reverse(cls.index_url_name),
            name=name,
            icon_name=cls.header_icon,
            order=order,
        )

    @classmethod
    def urls(cls, route, name):
        """The report's page and the results fragment its filters reload."""
        return [
            path(route, cls.as_view(), name=name),
            path(f"{route}results/", cls.as_view(results_only=True), name=f"{name}_results"),
        ]
