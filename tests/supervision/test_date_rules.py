"""Every date has a plausible range and the domain's rules, refused next to its field;
rows stored before the rules no longer break the pages that read them."""

import datetime
import importlib
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from supervision.models import (
    Cohort,
    IndividualSupervision,
    Placement,
    Quarter,
    Session,
    StartupCourse,
)
from supervision.models.dates import LAW_IN_FORCE, latest_placement_start, latest_planned_day
from supervision.services import schedule_session
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    CoursePolicyFactory,
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    QuarterFactory,
    RegisteredPlacementFactory,
    ThemeFactory,
    plan_goals_formset,
)

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def local(day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def typed(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def session_form(home, start, end):
    return {
        "municipality": home.pk,
        "start": start,
        "end": end,
        "place": "Rådhuset",
        "video_link": "",
        "supervisors": [SupervisorFactory(municipality=home).pk],
        "families": [FosterFamilyFactory(municipality=home).pk],
    }


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# Sessions


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("0001-01-01 00:00", "0001-01-01 01:00", "start"),
        ("0001-01-01 10:00", "0001-01-01 11:00", "start"),
        ("2019-06-30 10:00", "2019-06-30 11:00", "start"),
        ("9999-12-31 22:00", "9999-12-31 23:00", "start"),
        ("2027-01-04 10:00", "3027-01-04 10:00", "end"),  # the 1000-year session
        ("2027-01-04 10:00", "2027-01-04 22:01", "end"),
        ("2027-01-04 10:00", "2027-01-04 09:00", "end"),
    ],
)
def test_a_session_at_an_implausible_time_is_refused_next_to_the_field(
    client, staff, home, start, end, field
):
    response = client.post(reverse("individualsupervision:add"), session_form(home, start, end))
    assert field in form_errors(response)
    assert not Session.objects.exists()


def test_the_first_and_last_plannable_days_and_a_12_hour_session_are_accepted(home):
    supervisor = SupervisorFactory(municipality=home)
    for start, hours in [(local(LAW_IN_FORCE, 0), 12), (local(latest_planned_day(), 8), 1)]:
        session = IndividualSupervision(
            municipality=home, start=start, end=start + datetime.timedelta(hours=hours), place="R"
        )
        schedule_session(session, [supervisor])
    assert Session.objects.count() == 2


def test_the_day_after_the_last_plannable_day_is_refused_by_the_service(home):
    start = local(latest_planned_day() + DAY, 0, 30)
    session = IndividualSupervision(
        municipality=home, start=start, end=start + datetime.timedelta(hours=1), place="R"
    )
    with pytest.raises(ValidationError) as refused:
        schedule_session(session, [SupervisorFactory(municipality=home)])
    assert "start" in refused.value.message_dict


def test_a_long_session_no_longer_blocks_later_bookings_of_its_people(client, staff, home):
    data = session_form(home, "2027-01-04 10:00", "3027-01-04 10:00")
    client.post(reverse("individualsupervision:add"), data)
    data.update(start="2027-02-01 10:00", end="2027-02-01 11:00")
    assert client.post(reverse("individualsupervision:add"), data).status_code == 302


# Placements and their courses


@pytest.mark.parametrize(
    ("start_date", "birth_year", "field"),
    [
        ("9999-12-01", 2019, "start_date"),
        ("0001-01-01", 2019, "start_date"),
        ("2019-06-30", 2015, "start_date"),
        (str(latest_placement_start() + DAY), 2019, "start_date"),
        ("2026-03-01", 2027, "birth_year"),
        ("2026-03-01", 2007, "birth_year"),
    ],
)
def test_a_placement_at_an_implausible_date_is_refused_next_to_the_field(
    client, staff, home, start_date, birth_year, field
):
    family = FosterFamilyFactory(municipality=home)
    data = {"family": family.pk, "child_name": "E", "birth_year": birth_year}
    data.update(plan_goals_formset())
    response = client.post(reverse("placement:add"), {**data, "start_date": start_date})
    assert field in form_errors(response)
    assert not Placement.objects.exists()


def test_a_placement_a_year_ahead_of_a_child_just_under_18_is_registered(home):
    start = latest_placement_start()
    placement = RegisteredPlacementFactory(
        family__municipality=home, start_date=start, birth_year=start.year - 18
    )
    assert placement.startup_course.finish_deadline.year == start.year + 1


def test_the_finish_deadline_is_the_law_and_cannot_be_typed(client, staff, home):
    course = RegisteredPlacementFactory(
        family__municipality=home, start_date=D(2026, 3, 1)
    ).startup_course
    page = client.get(reverse("startupcourse:edit", args=[course.pk])).content.decode()
    assert 'name="finish_deadline"' not in page
    assert "1. marts 2027" in page
    response = client.post(
        reverse("startupcourse:edit", args=[course.pk]),
        {"start_deadline": "2026-04-01", "finish_deadline": "0001-01-01"},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.start_deadline, course.finish_deadline) == (D(2026, 4, 1), D(2027, 3, 1))


@pytest.mark.parametrize("start_deadline", ["0001-01-01", "2026-02-28", "2026-09-02"])
def test_a_start_deadline_outside_the_start_window_is_refused(client, staff, home, start_deadline):
    course = RegisteredPlacementFactory(
        family__municipality=home, start_date=D(2026, 3, 1)
    ).startup_course
    response = client.post(
        reverse("startupcourse:edit", args=[course.pk]), {"start_deadline": start_deadline}
    )
    assert "start_deadline" in form_errors(response)
    course.refresh_from_db()
    assert course.start_deadline == D(2026, 9, 1)


def test_the_start_window_is_the_municipalitys(client, staff, home):
    CoursePolicyFactory(municipality=home, start_window_months=0)
    course = RegisteredPlacementFactory(
        family__municipality=home, start_date=D(2026, 3, 1)
    ).startup_course
    response = client.post(
        reverse("startupcourse:edit", args=[course.pk]), {"start_deadline": "2026-03-02"}
    )
    assert "start_deadline" in form_errors(response)


# Development goals


def test_a_review_date_in_year_1_is_refused_next_to_the_goal(client, staff, home):
    family = FosterFamilyFactory(municipality=home)
    response = client.post(
        reverse("fosterfamily:edit", args=[family.pk]),
        {
            "municipality": home.pk,
            "name": family.name,
            "family_type": family.family_type.pk,
            "care_form": "full_time",
            **formset("development_goals", [{"text": "Læse", "review_date": "0001-01-01"}]),
        },
    )
    goals = response.context["form"].formsets["development_goals"]
    assert "review_date" in goals.forms[0].errors
    assert not family.development_goals.exists()


# Cohorts and quarters


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        data.setdefault(f"{prefix}-{index}-ORDER", index + 1)
    return data


def cohort_form(cohort, quarters, **changes):
    rows = [
        {"id": quarter.pk, "number": number, "theme": quarter.theme_id, "DELETE": ""}
        for quarter, number in quarters
    ]
    return {
        "municipality": cohort.municipality_id,
        "name": cohort.name,
        "year": cohort.year,
        **formset("quarters", rows, initial=len(rows)),
        **changes,
    }


@pytest.fixture
def cohort(home):
    cohort = CohortFactory(municipality=home, year=2027)
    for number in (1, 2):
        QuarterFactory(cohort=cohort, number=number, theme=ThemeFactory())
    return cohort


def test_two_quarters_swap_numbers(client, staff, cohort):
    first, second = cohort.quarters.order_by("number")
    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_form(cohort, [(first, 2), (second, 1)])
    )
    assert response.status_code == 302
    assert dict(Quarter.objects.values_list("pk", "number")) == {first.pk: 2, second.pk: 1}


def test_two_quarters_with_one_number_are_refused(client, staff, cohort):
    first, second = cohort.quarters.order_by("number")
    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_form(cohort, [(first, 2), (second, 2)])
    )
    assert response.status_code == 200
    assert dict(Quarter.objects.values_list("pk", "number")) == {first.pk: 1, second.pk: 2}


def test_a_quarter_with_group_supervisions_keeps_its_number(client, staff, cohort):
    first, second = cohort.quarters.order_by("number")
    GroupSupervisionFactory(cohort=cohort, quarter=first, start=local(D(2027, 2, 2)))
    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_form(cohort, [(first, 2), (second, 1)])
    )
    quarters = response.context["form"].formsets["quarters"]
    assert "number" in quarters.forms[0].errors
    assert dict(Quarter.objects.values_list("pk", "number")) == {first.pk: 1, second.pk: 2}


@pytest.mark.parametrize("year", [2018, latest_planned_day().year + 1, 9999])
def test_a_cohort_year_out_of_range_is_refused(client, staff, cohort, year):
    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_form(cohort, [], year=year)
    )
    assert "year" in form_errors(response)


def test_a_cohort_keeps_its_year_while_it_has_group_supervisions(client, staff, cohort):
    first = cohort.quarters.get(number=1)
    GroupSupervisionFactory(cohort=cohort, quarter=first, start=local(D(2027, 2, 2)))
    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_form(cohort, [], year=2028)
    )
    assert "year" in form_errors(response)
    assert Cohort.objects.get().year == 2027


# Rows stored before the rules


def test_course_deadlines_of_year_1_do_not_take_down_the_staff_start_page(client, staff, home):
    course = RegisteredPlacementFactory(family__municipality=home).startup_course
    StartupCourse.objects.filter(pk=course.pk).update(
        start_deadline=D(1, 1, 1), finish_deadline=D(1, 1, 1)
    )
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("startupcourse:index")).status_code == 200
    assert client.get(reverse("supervision_report_late_courses")).status_code == 200


def year_one():
    """Midnight of 1 January, year 1, as it was typed: in Copenhagen on PostgreSQL (stored
    as a time before year 1 in UTC, which Python cannot read back); SQLite cannot even
    store that, so there the same day in UTC."""
    if connection.vendor == "postgresql":
        return datetime.datetime(1, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen"))
    return datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def test_the_migration_cancels_sessions_no_one_can_mean_and_redates_courses(client, staff, home):
    from django.apps import apps

    migration = importlib.import_module("supervision.migrations.0007_date_rules")
    parent = FosterParentFactory(municipality=home)
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    ancient, endless, fine = (
        IndividualSupervisionFactory(municipality=home, families=[family]) for _ in range(3)
    )
    Session.objects.filter(pk=ancient.pk).update(start=year_one(), end=year_one())
    Session.objects.filter(pk=endless.pk).update(end=local(D(3027, 1, 1)))
    course = RegisteredPlacementFactory(family=family, start_date=D(2026, 3, 1)).startup_course
    StartupCourse.objects.filter(pk=course.pk).update(
        start_deadline=D(1, 1, 1), finish_deadline=D(2026, 1, 1)
    )

    migration.cancel_impossible_sessions(apps, None)
    migration.date_courses_by_the_law(apps, None)

    cancelled = Session.objects.filter(cancelled_at__isnull=False)
    assert set(cancelled.values_list("pk", flat=True)) == {ancient.pk, endless.pk}
    assert {timezone.localdate(s.start) for s in cancelled} == {LAW_IN_FORCE}
    assert Session.objects.get(pk=fine.pk).cancelled_at is None
    course.refresh_from_db()
    assert (course.start_deadline, course.finish_deadline) == (D(2026, 3, 1), D(2027, 3, 1))
    for url in (
        reverse("individualsupervision:index"),
        reverse("supervision_agenda"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_home"),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(parent)
    assert client.get(reverse("my-data-json")).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2027-01-04", "x"])
@pytest.mark.parametrize("namespace", ["individualsupervision", "groupsupervision"])
def test_the_session_lists_filter_by_any_day(client, staff, home, namespace, day):
    IndividualSupervisionFactory(municipality=home, start=local(D(2027, 1, 4)))
    IndividualSupervisionFactory(municipality=home, start=local(D(2027, 1, 5)))
    for bound in ("date_from", "date_to", "start"):
        response = client.get(reverse(f"{namespace}:index"), {bound: day})
        assert response.status_code == 200
    found = client.get(
        reverse("individualsupervision:index"), {"date_from": "2027-01-04", "date_to": "2027-01-04"}
    )
    assert len(found.context["object_list"]) == 1
