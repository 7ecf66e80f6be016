"""A placement ends when the child moves on, a course may be closed early: both through
services behind a confirmation, and the course then counts as ended, not late."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms.portal.panels import CoursesAtRiskPanel
from cms.roles import sync_role_groups
from supervision.models import CourseStatus, EndReason, Placement, StartupCourse
from supervision.services import close_course, end_placement
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    IndividualSupervisionFactory,
    QuarterFactory,
    RegisteredPlacementFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def other():
    return MunicipalityFactory(name="Horsens Kommune", slug="horsens")


@pytest.fixture
def late(home):
    """A placement of 13 months ago whose course never started: late."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    return RegisteredPlacementFactory(
        family__municipality=home, family__name="Familien Holm", child_name="E.", start_date=start
    )


def status_of(placement):
    return StartupCourse.objects.with_status().get(placement=placement).status()


def test_an_ended_placements_course_is_ended_not_late(late):
    assert status_of(late) == CourseStatus.LATE
    end_placement(late, timezone.localdate() - DAY, EndReason.MOVED_HOME)
    late.refresh_from_db()
    assert late.end_date == timezone.localdate() - DAY and late.end_reason == "moved_home"
    assert status_of(late) == CourseStatus.ENDED
    assert not StartupCourse.objects.late_or_at_risk().exists()


@pytest.mark.parametrize(
    ("days", "reason"),
    [(-401, "moved_home"), (40, "moved_home"), (-1, "gone"), (-1, "")],
)
def test_an_end_before_the_start_far_ahead_or_without_a_reason_is_refused(late, days, reason):
    field = "end_reason" if reason != "moved_home" else "end_date"
    with pytest.raises(ValidationError) as refused:
        end_placement(late, timezone.localdate() + days * DAY, reason)
    assert field in refused.value.message_dict
    assert Placement.objects.get(pk=late.pk).end_date is None


def test_a_placement_ends_once(late):
    end_placement(late, timezone.localdate(), EndReason.OTHER)
    with pytest.raises(ValidationError):
        end_placement(late, timezone.localdate(), EndReason.OTHER)


def test_an_end_agreed_for_next_week_counts_from_that_day(late):
    end_placement(late, timezone.localdate() + 7 * DAY, EndReason.OTHER_PLACEMENT)
    assert status_of(late) == CourseStatus.LATE
    next_week = timezone.now() + 7 * DAY
    course = StartupCourse.objects.with_status(next_week).get(placement=late)
    assert course.status() == CourseStatus.ENDED


def test_min_side_says_when_the_child_moves_on_and_when_the_course_ended(client, home, late):
    parent = FosterParentFactory(municipality=home)
    late.family.parents.set([parent])
    late.family.save()
    end_placement(late, timezone.localdate() + 7 * DAY, EndReason.OTHER_PLACEMENT)
    client.force_login(parent)
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "E. flytter" in page and "skal være afsluttet senest" in page
    Placement.objects.filter(pk=late.pk).update(end_date=timezone.localdate())
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "E. flyttede" in page and "Opstartsforløbet sluttede" in page
    assert "skal være afsluttet senest" not in page


def test_a_start_after_the_end_is_refused_next_to_the_start(late):
    end_placement(late, late.start_date + 10 * DAY, EndReason.OTHER)
    late.refresh_from_db()
    late.start_date = late.start_date + 20 * DAY
    with pytest.raises(ValidationError) as refused:
        late.full_clean()
    assert "start_date" in refused.value.message_dict


def coming_sessions(home, family):
    soon = timezone.now() + 3 * DAY
    alone = IndividualSupervisionFactory(municipality=home, start=soon, families=[family])
    shared = IndividualSupervisionFactory(
        municipality=home,
        start=soon + DAY,
        families=[family, FosterFamilyFactory(municipality=home)],
    )
    cohort = CohortFactory(municipality=home, year=timezone.localdate().year, families=[family])
    group = GroupSupervisionFactory(
        cohort=cohort,
        quarter=QuarterFactory(cohort=cohort, number=1),
        start=soon + 2 * DAY,
        another_in_quarter=True,
    )
    return alone, shared, group


def test_the_familys_coming_sessions_are_kept_unless_chosen(home, late):
    sessions = coming_sessions(home, late.family)
    end_placement(late, timezone.localdate(), EndReason.MOVED_HOME)
    for session in sessions:
        session.refresh_from_db()
        assert session.cancelled_at is None


def test_chosen_only_the_familys_own_coming_sessions_are_cancelled(home, late, mailoutbox):
    alone, shared, group = coming_sessions(home, late.family)
    end_placement(late, timezone.localdate(), EndReason.MOVED_HOME, cancel_sessions=True)
    for session in (alone, shared, group):
        session.refresh_from_db()
    assert alone.cancelled_at is not None
    assert shared.cancelled_at is None and group.cancelled_at is None


def test_closing_a_course_early_needs_a_reason_and_ends_it(late):
    course = late.startup_course
    for reason in ("", "   ", "x" * 201):
        with pytest.raises(ValidationError) as refused:
            close_course(course, reason)
        assert "close_reason" in refused.value.message_dict
    close_course(course, "Familien stoppede som plejefamilie")
    course.refresh_from_db()
    assert course.closed_early_on == timezone.localdate()
    assert status_of(late) == CourseStatus.ENDED
    with pytest.raises(ValidationError):
        close_course(course, "igen")


def test_an_ended_course_ended_on_its_end_day_for_retention(late):
    end_placement(late, timezone.localdate() - 3 * DAY, EndReason.OTHER)
    course = StartupCourse.objects.with_status().with_last_completion().get(placement=late)
    assert course.ended_on() == late.startup_course.finish_deadline  # the deadline came first
    running = RegisteredPlacementFactory(
        family=late.family, start_date=timezone.localdate() - 30 * DAY
    )
    end_placement(running, timezone.localdate() - DAY, EndReason.OTHER)
    course = StartupCourse.objects.with_status().with_last_completion().get(placement=running)
    assert course.ended_on() == timezone.localdate() - DAY


# The reports and the dashboard


def test_the_report_and_the_panel_list_a_course_ended_this_year_as_ended(client, staff, home, late):
    recent = RegisteredPlacementFactory(
        family__municipality=home,
        family__name="Familien Bak",
        start_date=timezone.localdate() - 60 * DAY,
    )
    end_placement(recent, timezone.localdate() - DAY, EndReason.OTHER_PLACEMENT)
    url = reverse("supervision_report_late_courses")
    page = client.get(url).content.decode()
    assert "Familien Holm" in page and "Familien Bak" in page
    assert "Afsluttet" in page
    ended = client.get(url, {"status": "ended"}).content.decode()
    assert "Familien Bak" in ended and "Familien Holm" not in ended
    late_only = client.get(url, {"status": "late"}).content.decode()
    assert "Familien Holm" in late_only and "Familien Bak" not in late_only
    panel = CoursesAtRiskPanel(staff).get_context_data()
    assert (panel["count"], panel["ended"]) == (1, 1)
    assert [c.has_ended for c in panel["courses"]] == [False, True]


def test_a_course_ended_in_an_earlier_year_is_no_longer_listed(client, staff, late):
    end_placement(late, late.start_date + 30 * DAY, EndReason.MOVED_HOME)
    assert not StartupCourse.objects.needing_follow_up().exists()


# The admin's confirmation pages


def test_ending_in_the_admin_asks_first_then_ends(client, staff, late):
    url = reverse("supervision_end_placement", args=[late.pk])
    edit = client.get(reverse("placement:edit", args=[late.pk])).content.decode()
    assert url in edit
    assert client.get(url).status_code == 200
    assert Placement.objects.get(pk=late.pk).end_date is None
    today = timezone.localdate()
    response = client.post(url, {"end_date": today.isoformat(), "end_reason": "moved_home"})
    assert response.status_code == 302
    assert Placement.objects.get(pk=late.pk).end_date == today
    assert url not in client.get(reverse("placement:edit", args=[late.pk])).content.decode()


@pytest.mark.parametrize("end_date", ["2019-01-01", "9999-12-31", "1. maj", ""])
def test_a_bad_end_date_is_refused_next_to_the_field_keeping_the_reason(
    client, staff, late, end_date
):
    url = reverse("supervision_end_placement", args=[late.pk])
    response = client.post(url, {"end_date": end_date, "end_reason": "other_placement"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "end_date" in form.errors
    assert form["end_reason"].value() == "other_placement"
    assert Placement.objects.get(pk=late.pk).end_date is None


def test_closing_a_course_in_the_admin_asks_first_then_closes(client, staff, late):
    course = late.startup_course
    url = reverse("supervision_close_course", args=[course.pk])
    assert url in client.get(reverse("startupcourse:edit", args=[course.pk])).content.decode()
    response = client.post(url, {"close_reason": ""})
    assert "close_reason" in response.context["form"].errors
    response = client.post(url, {"close_reason": "Familien flyttede"})
    assert response.status_code == 302
    assert StartupCourse.objects.get(pk=course.pk).close_reason == "Familien flyttede"


def test_another_municipalitys_placement_and_course_cannot_be_ended(client, other):
    sync_role_groups()
    placement = RegisteredPlacementFactory(family__municipality=other)
    client.force_login(SupervisorFactory(municipality=MunicipalityFactory()))
    for name, pk, data in (
        ("supervision_end_placement", placement.pk, {"end_reason": "other"}),
        ("supervision_close_course", placement.startup_course.pk, {"close_reason": "x"}),
    ):
        url = reverse(name, args=[pk])
        assert client.get(url).status_code == 404
        post = {"end_date": timezone.localdate().isoformat(), **data}
        assert client.post(url, post).status_code == 404
    placement.refresh_from_db()
    assert placement.end_date is None
    assert StartupCourse.objects.get(placement=placement).closed_early_on is None
