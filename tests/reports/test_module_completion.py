"""Completion per module: plans that chose each module, and how many families completed it."""

import pytest
from django.urls import reverse

from cms.models import AccessLog
from supervision.models import CoursePlan, ModuleCompletion
from tests.factories import CoordinatorFactory
from tests.reports.conftest import count_queries, course, csv_rows

pytestmark = pytest.mark.django_db

URL = reverse("supervision_report_module_completion")


def plan(course, *modules):
    CoursePlan.objects.create(course=course).modules.set(modules)


@pytest.fixture
def modules(make_module, vejle, odense, courses):
    """Module 1 in both Vejle plans (one family completed it), module 2 in one; Odense's
    plan and completion of module 1 count only for Odense."""
    first, second = make_module(1, title="Den robuste plejefamilie"), make_module(2)
    make_module(3, title="Ikke planlagt")
    plan(courses["late"], first, second)
    plan(courses["at_risk"], first)
    plan(courses["odense_late"], first)
    ModuleCompletion.objects.create(family=courses["late"].placement.family, module=first)
    ModuleCompletion.objects.create(family=courses["odense_late"].placement.family, module=first)
    return first, second


def numbers(response):
    return [
        (m.number, m.planned, m.completed, m.percent_completed)
        for m in response.context["object_list"]
    ]


def test_counts_plans_and_completions_of_the_municipality(client, coordinator, modules):
    assert numbers(client.get(URL)) == [(1, 2, 1, 50), (2, 1, 0, 0), (3, 0, 0, None)]


def test_another_municipality_counts_only_its_own(client, odense, modules):
    client.force_login(CoordinatorFactory(municipality=odense))
    assert numbers(client.get(URL)) == [(1, 1, 1, 100), (2, 0, 0, None), (3, 0, 0, None)]


def test_csv_export_has_no_family_data_and_is_not_logged(client, coordinator, modules):
    response = client.get(URL, {"export": "csv"})
    rows = csv_rows(response)
    assert ["1", "Den robuste plejefamilie", "Generelt modul", "2", "1", "50"] in rows
    text = repr(rows)
    assert "Familien" not in text
    assert not AccessLog.objects.exists()


def test_pdf_export(client, coordinator, modules):
    response = client.get(URL, {"export": "pdf"})
    assert response.content.startswith(b"%PDF")
    assert response.context["rows"][0][:2] == [1, "Den robuste plejefamilie"]


def test_query_count_does_not_grow_with_plans(client, coordinator, vejle, modules):
    few = count_queries(client, URL)
    for index in range(5):
        plan(course(vejle, f"Familien {index}"), *modules)
    assert count_queries(client, URL) == few
