"""Opening a start-up course, its deadlines and its computed status."""

import datetime

import pytest

from supervision.models import Attendance, CourseStatus, StartupCourse, add_months
from tests.factories import FosterFamilyFactory, FosterParentFactory, MunicipalityFactory
from tests.supervision.factories import (
    CoursePolicyFactory,
    ModuleSessionFactory,
    RegisteredPlacementFactory,
    at,
)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "deadline"),
    [
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 1, 15), 12, D(2027, 1, 15)),
        (D(2026, 7, 31), 0, D(2026, 7, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(start, months, deadline):
    assert add_months(start, months) == deadline


@pytest.mark.django_db
def test_registering_a_placement_opens_its_course_with_default_deadlines():
    placement = RegisteredPlacementFactory(start_date=D(2026, 8, 31))
    course = placement.startup_course
    assert course.start_deadline == D(2027, 2, 28)
    assert course.finish_deadline == D(2027, 8, 31)
    assert course.required_training_days == 3


@pytest.mark.django_db
def test_the_municipalitys_start_window_sets_the_start_deadline():
    municipality = MunicipalityFactory()
    CoursePolicyFactory(municipality=municipality, start_window_months=0)
    placement = RegisteredPlacementFactory(
        family__municipality=municipality, start_date=D(2024, 2, 29)
    )
    assert placement.startup_course.start_deadline == D(2024, 2, 29)
    assert placement.startup_course.finish_deadline == D(2025, 2, 28)


@pytest.mark.django_db
def test_a_family_with_two_placements_runs_two_courses():
    family = FosterFamilyFactory()
    RegisteredPlacementFactory(family=family, child_name="A")
    RegisteredPlacementFactory(family=family, child_name="B")
    assert StartupCourse.objects.filter(placement__family=family).count() == 2


@pytest.mark.django_db
def test_changing_the_start_date_moves_the_deadlines():
    from supervision.services import register_placement

    placement = RegisteredPlacementFactory(start_date=D(2026, 1, 1))
    placement.start_date = D(2026, 3, 1)
    register_placement(placement)
    assert StartupCourse.objects.get().finish_deadline == D(2027, 3, 1)


@pytest.fixture
def course(db):
    """A course starting 1 March 2026: start by 1 Sep 2026, finish by 1 Mar 2027."""
    return RegisteredPlacementFactory(start_date=D(2026, 3, 1)).startup_course


@pytest.fixture
def teach(make_module):
    """Hold a module session for the course's family on each of ``days``, a parent
    present at each unless ``attended`` is false."""
    module = make_module(number=1)

    def teach(course, *days, attended=True):
        family = course.placement.family
        parent = family.parents.first()
        if parent is None:
            parent = FosterParentFactory(municipality=family.municipality)
            family.parents.add(parent)
            family.save()
        for day in days:
            session = ModuleSessionFactory(
                municipality=family.municipality,
                start=at(day.year, day.month, day.day),
                families=[family],
                module=module,
            )
            Attendance.objects.create(session=session, parent=parent, present=attended)

    return teach


def status(course, today):
    fresh = StartupCourse.objects.with_status(now=at(today.year, today.month, today.day, 23))
    return fresh.get(pk=course.pk).status()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 4, 1), CourseStatus.PLANNED),
        (D(2026, 8, 2), CourseStatus.AT_RISK),  # 30 days before the start deadline
        (D(2026, 9, 2), CourseStatus.LATE),  # start deadline passed, nothing held
    ],
)
def test_status_of_a_course_that_has_not_started(course, today, expected):
    assert status(course, today) == expected


@pytest.mark.parametrize(
    ("taught", "today", "expected"),
    [
        ([D(2026, 5, 5)], D(2026, 6, 1), CourseStatus.STARTED),
        ([D(2026, 5, 5)], D(2026, 9, 2), CourseStatus.STARTED),  # started in time
        ([D(2026, 5, 5)], D(2027, 2, 1), CourseStatus.AT_RISK),  # 1 of 3 days, a month left
        ([D(2026, 5, 5), D(2026, 6, 5)], D(2027, 3, 2), CourseStatus.LATE),
        ([D(2026, 5, 5), D(2026, 6, 5), D(2026, 9, 5)], D(2026, 10, 1), CourseStatus.COMPLETED),
        ([D(2026, 5, 5), D(2026, 6, 5), D(2026, 9, 5)], D(2027, 6, 1), CourseStatus.COMPLETED),
    ],
)
def test_status_follows_training_days_and_deadlines(course, teach, taught, today, expected):
    teach(course, *taught)
    assert status(course, today) == expected


def test_a_training_day_counts_only_when_a_parent_was_there(course, teach):
    teach(course, D(2026, 5, 5), D(2026, 6, 5))
    teach(course, D(2026, 9, 5), attended=False)
    fresh = StartupCourse.objects.with_progress(now=at(2026, 10, 1)).get(pk=course.pk)
    assert fresh.training_days == 2
    assert status(course, D(2026, 10, 1)) == CourseStatus.STARTED


def test_a_session_in_the_future_does_not_count(course, teach):
    teach(course, D(2026, 5, 5), D(2026, 6, 5), D(2026, 9, 5))
    assert status(course, D(2026, 9, 1)) == CourseStatus.STARTED


def test_cancelled_sessions_count_for_nothing(course, teach):
    teach(course, D(2026, 5, 5))
    course.placement.family.sessions.update(cancelled_at=at(2026, 5, 1))
    assert status(course, D(2026, 6, 1)) == CourseStatus.PLANNED


def test_status_without_annotation_computes_its_own_progress(course, teach):
    teach(course, D(2026, 5, 5), D(2026, 6, 5), D(2026, 9, 5))
    assert StartupCourse.objects.get(pk=course.pk).status() == CourseStatus.COMPLETED


def test_required_training_days_follow_the_policy(course, teach):
    CoursePolicyFactory(municipality=course.placement.family.municipality, required_training_days=1)
    teach(course, D(2026, 5, 5))
    assert status(course, D(2026, 6, 1)) == CourseStatus.COMPLETED


@pytest.mark.parametrize("taught", [[], [D(2026, 5, 5)]])
def test_late_or_at_risk_picks_the_courses_with_that_status(course, teach, taught):
    teach(course, *taught)
    for today in (D(2026, 4, 1), D(2026, 8, 2), D(2026, 9, 2), D(2027, 2, 1), D(2027, 3, 2)):
        now = at(today.year, today.month, today.day, 23)
        expected = status(course, today)
        for wanted in (None, CourseStatus.LATE, CourseStatus.AT_RISK):
            flagged = StartupCourse.objects.late_or_at_risk(now, status=wanted)
            matches = expected in (CourseStatus.LATE, CourseStatus.AT_RISK) and wanted in (
                None,
                expected,
            )
            assert flagged.filter(pk=course.pk).exists() == matches, (today, wanted)
