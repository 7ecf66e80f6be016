"""The base of the coordinators' reports (the admin's *Reports* menu): one municipality's
numbers on screen, and exported as CSV, XLSX or PDF.

Each report reads its rows with a fixed number of queries whatever their number: the
counting is done by the database, never in a loop over rows.

The spreadsheets are made for Danish Excel and are safe to open there:

* **CSV** starts with a UTF-8 byte order mark (without it Excel reads the file as
  Windows-1252 and "Ærø" arrives as "Ã†rÃ¸"), separates fields with ``;`` (Danish
  Excel's list separator, since ``,`` is its decimal comma) and writes decimals with a
  comma (``3,5``; "3.5" would be read as a date).
* **Formulas** (CSV injection, OWASP): a text that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is run by a spreadsheet as a formula, so a family
  named ``=HYPERLINK(…)`` could act in the coordinator's Excel. In CSV such a text gets
  a leading ``'``, which Excel reads as "this is text". In XLSX every text is written as a
  string cell (never a formula) and such a cell is marked *quote prefix*, so it stays text
  even when edited; characters XML forbids (control characters) are left out.
"""

import codecs
import csv
import decimal

from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.mixins import Echo
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button

from .models import AccessLog
from .pdf import pdf_response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_a_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """A value as Danish Excel should read it from the CSV: a formula-like text as text,
    a decimal with a comma."""
    if starts_a_formula(value):
        return f"'{value}"
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    return value


def xlsx_cell(value):
    """A value openpyxl can write: text without the control characters XML forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


class DanishExcel(csv.excel):
    delimiter = ";"


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

    def export_value(self, field, value, export_format):
        """The value as the report shows it in a file, before any format's safeguards."""
        return super().preprocess_field_value(field, value, export_format)

    def preprocess_field_value(self, field, value, export_format):
        value = self.export_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_cell(value)
        if export_format == self.FORMAT_XLSX:
            return xlsx_cell(value)
        return value

    def stream_csv(self, queryset):
        yield codecs.BOM_UTF8
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, dialect=DanishExcel)
        yield writer.writerow(
            {field: csv_cell(self.get_heading(queryset, field)) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format):
            if cell.data_type == "s" and starts_a_formula(cell.value):
                cell.quotePrefix = True
            yield cell

    def pdf_response(self, rows):
        headings = [self.get_heading(rows, field) for field in self.list_export]
        table = [
            [
                self.export_value(field, value, self.FORMAT_CSV)
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
