"""The late and at-risk courses report: rows, filter, exports, tenancy and cost."""

import pytest
from django.urls import reverse

from cms.models import AccessLog
from tests.factories import (
    CoordinatorFactory,
    FosterParentFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.reports.conftest import count_queries, course, csv_rows

pytestmark = pytest.mark.django_db

URL = reverse("supervision_report_late_courses")


def rows_of(response):
    return [(c.placement.family.name, c.status().value) for c in response.context["object_list"]]


def test_lists_late_courses_first_then_at_risk(client, coordinator, courses):
    response = client.get(URL)
    assert response.status_code == 200
    assert rows_of(response) == [("Familien Sen", "late"), ("Familien Snart", "at_risk")]
    body = response.content.decode()
    assert "Familien Sen" in body and "Familien Ny" not in body and "Familien Fyn" not in body


def test_filter_by_status(client, coordinator, courses):
    assert rows_of(client.get(URL, {"status": "at_risk"})) == [("Familien Snart", "at_risk")]
    assert rows_of(client.get(URL, {"status": "late"})) == [("Familien Sen", "late")]


def test_a_row_shows_deadlines_training_days_and_missing_modules(client, coordinator, courses):
    late = client.get(URL, {"status": "late"}).context["object_list"][0]
    assert late.start_deadline == courses["late"].start_deadline
    assert (late.training_days, late.required_days, late.modules_missing) == (0, 3, 0)


def test_csv_export_holds_the_rows_and_is_access_logged(client, coordinator, courses):
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][0] in ("Plejefamilie", "Foster family")
    assert [row[0] for row in rows[1:]] == ["Familien Sen", "Familien Snart"]
    assert rows[1][-1] in ("Forsinket", "Late")
    exported = AccessLog.objects.filter(user=coordinator, action=AccessLog.Action.EXPORT)
    assert sorted(exported.values_list("family_label", flat=True)) == [
        "Familien Sen",
        "Familien Snart",
    ]


def test_xlsx_export(client, coordinator, courses):
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_pdf_export_is_a_pdf_with_the_rows(client, coordinator, courses):
    response = client.get(URL, {"export": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000
    assert [row[0] for row in response.context["rows"]] == ["Familien Sen", "Familien Snart"]
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 2


def test_another_municipality_sees_none_of_the_rows(client, odense, courses):
    client.force_login(CoordinatorFactory(municipality=odense))
    assert rows_of(client.get(URL)) == [("Familien Fyn", "late")]
    assert [row[0] for row in csv_rows(client.get(URL, {"export": "csv"}))[1:]] == ["Familien Fyn"]
    pdf = client.get(URL, {"export": "pdf"})
    assert [row[0] for row in pdf.context["rows"]] == ["Familien Fyn"]


def test_supervisors_may_open_it(client, vejle, courses):
    client.force_login(SupervisorFactory(municipality=vejle))
    assert rows_of(client.get(URL))[0] == ("Familien Sen", "late")


@pytest.mark.parametrize("factory", [FosterParentFactory, TrainerFactory])
def test_foster_parents_and_trainers_are_refused(client, courses, factory):
    client.force_login(factory())
    for params in ({}, {"export": "csv"}, {"export": "pdf"}):
        response = client.get(URL, params)
        assert response.status_code in (302, 403)
    assert not AccessLog.objects.exists()


def test_query_count_does_not_grow_with_courses(client, coordinator, vejle, courses):
    few = count_queries(client, URL)
    few_csv = count_queries(client, URL + "?export=csv")
    for index in range(6):
        course(vejle, f"Familien Forsinket {index}", days_ago=400 + index)
    assert count_queries(client, URL) == few
    assert count_queries(client, URL + "?export=csv") == few_csv


def test_the_report_is_in_the_reports_menu_and_on_the_start_page(client, coordinator, courses):
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert URL in home
    assert '"label": "Rapporter"' in home


def test_the_filters_reload_the_results_fragment(client, coordinator, courses):
    response = client.get(reverse("supervision_report_late_courses_results"), {"status": "late"})
    assert response.status_code == 200
    assert rows_of(response) == [("Familien Sen", "late")]
