"""Feedback turnaround: days from sharing an entry to its first feedback, and what waits."""

import datetime

import pytest
from django.urls import reverse

from logbook.models import Feedback
from tests.factories import CoordinatorFactory, FosterFamilyFactory, SupervisorFactory
from tests.logbook.factories import LogbookEntryFactory, ReflectionExerciseFactory
from tests.reports.conftest import count_queries, csv_rows
from tests.supervision.factories import ThemeFactory, at

pytestmark = pytest.mark.django_db

URL = reverse("logbook_report_feedback_turnaround")


def shared_entry(municipality, shared_at, *answers):
    """An entry shared at ``shared_at``; ``answers`` are (supervisor, days later) feedback."""
    entry = LogbookEntryFactory(
        family=FosterFamilyFactory(municipality=municipality),
        exercise=ReflectionExerciseFactory(theme=ThemeFactory()),
        shared_at=shared_at,
    )
    for supervisor, days in answers:
        feedback = Feedback.objects.create(entry=entry, author=supervisor, text="Godt set")
        Feedback.objects.filter(pk=feedback.pk).update(
            created_at=shared_at + datetime.timedelta(days=days)
        )
    return entry


@pytest.fixture
def entries(vejle, odense):
    """March 2026 in Vejle: answered after 2 days (Anna, then Bo a day later) and after
    5 days (Bo), one waiting; February: one answered after 1 day. Odense: one waiting."""
    anna = SupervisorFactory(municipality=vejle, first_name="Anna", last_name="Alm")
    bo = SupervisorFactory(municipality=vejle, first_name="Bo", last_name="Bak")
    shared_entry(vejle, at(2026, 3, 2), (anna, 2), (bo, 3))
    shared_entry(vejle, at(2026, 3, 10), (bo, 5))
    shared_entry(vejle, at(2026, 3, 20))
    shared_entry(vejle, at(2026, 2, 5), (anna, 1))
    shared_entry(odense, at(2026, 3, 4))
    shared_entry(odense, at(2025, 3, 4), (SupervisorFactory(municipality=odense), 9))


def numbers(response):
    return [
        (str(row), row.answered, row.average_days, row.median_days, row.waiting)
        for row in response.context["object_list"]
    ]


def test_per_month_average_median_and_waiting(client, coordinator, entries):
    assert [row[1:] for row in numbers(client.get(URL))] == [
        (2, 3.5, 3.5, 1),  # March: 2 and 5 days
        (1, 1.0, 1.0, 0),  # February
    ]


def test_per_supervisor_counts_who_answered_first(client, coordinator, entries):
    rows = numbers(client.get(URL, {"group_by": "supervisor"}))
    assert rows[:2] == [("Anna Alm", 2, 1.5, 1.5, None), ("Bo Bak", 1, 5.0, 5.0, None)]
    assert rows[2][1:] == (0, None, None, 1)


def test_filter_by_year_and_tenancy(client, odense, entries):
    client.force_login(CoordinatorFactory(municipality=odense))
    assert [row[1:] for row in numbers(client.get(URL))] == [(0, None, None, 1), (1, 9.0, 9.0, 0)]
    assert [row[1:] for row in numbers(client.get(URL, {"year": 2025}))] == [(1, 9.0, 9.0, 0)]


def test_exports_hold_no_entry_content(client, coordinator, entries):
    rows = csv_rows(client.get(URL, {"export": "csv"}))
    assert ["2", "3,5", "3,5", "1"] in [row[1:] for row in rows]  # Danish decimal comma
    text = repr(rows)
    assert "Godt set" not in text and "Det gik godt" not in text
    assert client.get(URL, {"export": "pdf"}).content.startswith(b"%PDF")


def test_query_count_does_not_grow_with_entries(client, coordinator, vejle, entries):
    few = count_queries(client, URL)
    by_supervisor = count_queries(client, URL + "?group_by=supervisor")
    supervisor = SupervisorFactory(municipality=vejle)
    for day in range(1, 6):
        shared_entry(vejle, at(2026, 5, day), (supervisor, day))
        shared_entry(vejle, at(2026, 6, day))
    assert count_queries(client, URL) == few
    assert count_queries(client, URL + "?group_by=supervisor") == by_supervisor
