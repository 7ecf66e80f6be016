"""Booking rules and the cohort's year of group supervision."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from supervision.models import GroupSupervision, IndividualSupervision, Quarter
from supervision.services import plan_cohort_year, quarter_session_date, schedule_session
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    ThemeFactory,
    at,
)

pytestmark = pytest.mark.django_db
HOURS = datetime.timedelta(hours=2)


@pytest.fixture
def municipality():
    return MunicipalityFactory()


@pytest.fixture
def supervisor(municipality):
    return SupervisorFactory(municipality=municipality)


@pytest.fixture
def family(municipality):
    return FosterFamilyFactory(municipality=municipality)


def individual(municipality, start, **fields):
    return IndividualSupervision(
        municipality=municipality, start=start, end=start + HOURS, place="Rådhuset", **fields
    )


def refusal(session, supervisors, families=()):
    with pytest.raises(ValidationError) as error:
        schedule_session(session, supervisors, families)
    return error.value.message_dict


def test_a_supervisor_cannot_be_in_two_sessions_at_once(municipality, supervisor):
    IndividualSupervisionFactory(
        municipality=municipality, start=at(2026, 10, 6, 10), supervisors=[supervisor]
    )
    errors = refusal(individual(municipality, at(2026, 10, 6, 11)), [supervisor])
    assert str(supervisor) in errors["supervisors"][0]
    assert IndividualSupervision.objects.count() == 1


def test_back_to_back_sessions_are_no_conflict(municipality, supervisor):
    IndividualSupervisionFactory(
        municipality=municipality, start=at(2026, 10, 6, 10), supervisors=[supervisor]
    )
    schedule_session(individual(municipality, at(2026, 10, 6, 12)), [supervisor])
    assert IndividualSupervision.objects.count() == 2


def test_a_cancelled_session_frees_the_time(municipality, supervisor):
    IndividualSupervisionFactory(
        municipality=municipality,
        start=at(2026, 10, 6, 10),
        supervisors=[supervisor],
        cancelled_at=at(2026, 10, 1),
    )
    schedule_session(individual(municipality, at(2026, 10, 6, 10)), [supervisor])


def test_a_family_cannot_be_in_two_sessions_at_once(municipality, supervisor, family):
    IndividualSupervisionFactory(
        municipality=municipality, start=at(2026, 10, 6, 10), families=[family]
    )
    errors = refusal(individual(municipality, at(2026, 10, 6, 11)), [supervisor], [family])
    assert family.name in errors["families"][0]


def test_a_family_in_a_cohort_is_booked_by_its_group_session(municipality, supervisor, family):
    GroupSupervisionFactory(
        cohort=CohortFactory(municipality=municipality, families=[family]),
        start=at(2026, 10, 6, 10),
    )
    errors = refusal(individual(municipality, at(2026, 10, 6, 11)), [supervisor], [family])
    assert "families" in errors


def test_a_group_session_is_refused_when_a_cohort_family_is_busy(municipality, supervisor, family):
    IndividualSupervisionFactory(
        municipality=municipality, start=at(2026, 10, 6, 10), families=[family]
    )
    cohort = CohortFactory(municipality=municipality, families=[family])
    quarter = Quarter.objects.create(cohort=cohort, number=4, theme=ThemeFactory())
    session = GroupSupervision(
        municipality=municipality,
        cohort=cohort,
        quarter=quarter,
        start=at(2026, 10, 6, 9),
        end=at(2026, 10, 6, 11),
        place="Rådhuset",
    )
    assert "cohort" in refusal(session, [supervisor])


def test_a_group_session_must_lie_in_its_quarter(municipality, supervisor):
    cohort = CohortFactory(municipality=municipality, year=2026)
    quarter = Quarter.objects.create(cohort=cohort, number=1, theme=ThemeFactory())
    session = GroupSupervision(
        municipality=municipality,
        cohort=cohort,
        quarter=quarter,
        start=at(2026, 4, 1, 10),
        end=at(2026, 4, 1, 12),
        place="Rådhuset",
    )
    errors = refusal(session, [supervisor])
    assert "31" in errors["start"][0]  # names the quarter's last day


def test_a_session_must_end_after_it_starts(municipality, supervisor):
    session = individual(municipality, at(2026, 10, 6, 10))
    session.end = session.start
    assert "end" in refusal(session, [supervisor])


def test_a_session_needs_a_place_or_a_video_link(municipality, supervisor):
    session = individual(municipality, at(2026, 10, 6, 10))
    session.place = ""
    assert "place" in refusal(session, [supervisor])
    session.video_link = "https://video.example.dk/rum/1"
    schedule_session(session, [supervisor])


@pytest.mark.parametrize(
    ("quarter", "weekday", "day"),
    [
        (1, 1, datetime.date(2027, 2, 2)),
        (2, 1, datetime.date(2027, 5, 4)),
        (3, 1, datetime.date(2027, 8, 3)),
        (4, 0, datetime.date(2027, 11, 1)),
    ],
)
def test_quarter_sessions_fall_on_the_weekday_in_the_middle_month(quarter, weekday, day):
    assert quarter_session_date(2027, quarter, weekday) == day


def plan(cohort, supervisor, themes):
    return plan_cohort_year(
        cohort,
        themes,
        weekday=1,
        start_time=datetime.time(17, 0),
        duration=datetime.timedelta(hours=2),
        supervisors=[supervisor],
        place="Familieplejen",
    )


def test_planning_a_year_creates_four_quarters_with_a_group_session_each(
    municipality, supervisor, family, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = CohortFactory(municipality=municipality, year=2027, families=[family])
    themes = [ThemeFactory() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        sessions = plan(cohort, supervisor, themes)
    assert [q.theme for q in cohort.quarters.order_by("number")] == themes
    assert [s.quarter.number for s in sessions] == [1, 2, 3, 4]
    assert all(s.quarter.first_day <= s.start.date() <= s.quarter.last_day for s in sessions)
    assert GroupSupervision.objects.filter(cohort=cohort).count() == 4
    assert len(mailoutbox) == 4  # one invitation per session to the supervisor


def test_planning_a_year_is_all_or_nothing(municipality, supervisor):
    cohort = CohortFactory(municipality=municipality, year=2027)
    IndividualSupervisionFactory(
        municipality=municipality,
        start=at(2027, 8, 3, 17),
        supervisors=[supervisor],
    )
    with pytest.raises(ValidationError) as error:
        plan(cohort, supervisor, [ThemeFactory() for _ in range(4)])
    assert "3" in error.value.messages[0]
    assert not GroupSupervision.objects.exists()
    assert not Quarter.objects.exists()
