"""Attendance per cohort and quarter: group supervisions held, parents invited and present."""

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Attendance
from tests.factories import (
    CohortFactory,
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    TrainerFactory,
)
from tests.reports.conftest import count_queries, csv_rows
from tests.supervision.factories import GroupSupervisionFactory, QuarterFactory, at

pytestmark = pytest.mark.django_db

URL = reverse("supervision_report_attendance")


def cohort_with_parents(municipality, parents_per_family, name="Hold Nord"):
    families = []
    for count in parents_per_family:
        parents = [FosterParentFactory(municipality=municipality) for _ in range(count)]
        families.append(FosterFamilyFactory(municipality=municipality, parents=parents))
    return CohortFactory(municipality=municipality, name=name, year=2025, families=families)


@pytest.fixture
def quarter(vejle):
    """Q1 2025 of a cohort of three parents: two sessions held (3 and 1 present), one
    cancelled; Q2 has nothing held yet."""
    cohort = cohort_with_parents(vejle, [2, 1])
    first = QuarterFactory(cohort=cohort, number=1)
    QuarterFactory(cohort=cohort, number=2)
    parents = list(cohort.families.all().values_list("parents", flat=True))
    held = [
        GroupSupervisionFactory(cohort=cohort, quarter=first, start=at(2025, month, 10))
        for month in (1, 2)
    ]
    cancelled = GroupSupervisionFactory(cohort=cohort, quarter=first, start=at(2025, 3, 10))
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    for parent in parents:
        Attendance.objects.create(session=held[0], parent_id=parent, present=True)
        Attendance.objects.create(session=cancelled, parent_id=parent, present=True)
    Attendance.objects.create(session=held[1], parent_id=parents[0], present=True)
    Attendance.objects.create(session=held[1], parent_id=parents[1], present=False)
    return first


def numbers(response):
    return [
        (str(q.cohort), q.number, q.sessions_held, q.invited, q.attended, q.attendance_rate)
        for q in response.context["object_list"]
    ]


def test_counts_sessions_invited_and_present(client, coordinator, quarter):
    assert numbers(client.get(URL)) == [
        ("Hold Nord 2025", 1, 2, 6, 4, 67),
        ("Hold Nord 2025", 2, 0, 0, 0, None),
    ]


def test_another_municipality_sees_none_of_it(client, odense, quarter):
    client.force_login(CoordinatorFactory(municipality=odense))
    assert numbers(client.get(URL)) == []
    assert list(client.get(URL, {"cohort": quarter.cohort.pk}).context["object_list"]) == []


def test_filter_by_year(client, coordinator, quarter):
    assert numbers(client.get(URL, {"year": 2024})) == []
    assert len(numbers(client.get(URL, {"year": 2025}))) == 2


@pytest.mark.parametrize("year", ["99999999999", "2025.5", "x", "-1"])
def test_a_bad_year_is_ignored_not_an_error(client, coordinator, quarter, year):
    assert client.get(URL, {"year": year}).status_code == 200
    feedback = reverse("logbook_report_feedback_turnaround")
    assert client.get(feedback, {"year": year}).status_code == 200


def test_exports(client, coordinator, quarter):
    rows = csv_rows(client.get(URL, {"export": "csv"}))
    assert rows[1][:2] == ["Hold Nord 2025", "1"] and rows[1][3:] == ["2", "6", "4", "67"]
    assert client.get(URL, {"export": "pdf"}).content.startswith(b"%PDF")


def test_trainers_are_refused(client, quarter):
    client.force_login(TrainerFactory())
    assert client.get(URL).status_code in (302, 403)


def test_query_count_does_not_grow_with_cohorts(client, coordinator, vejle, quarter):
    few = count_queries(client, URL)
    for index in range(4):
        cohort = cohort_with_parents(vejle, [1, 2], name=f"Hold {index}")
        GroupSupervisionFactory(
            cohort=cohort, quarter=QuarterFactory(cohort=cohort, number=3), start=at(2025, 8, 1)
        )
    assert count_queries(client, URL) == few
