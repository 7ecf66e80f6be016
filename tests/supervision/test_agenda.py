"""The agenda's ways to a session: attendance in its window, past sessions with their
attendance and shared entries, and a cancellation that is confirmed first."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision.models import Attendance, Session
from supervision.services import record_attendance
from tests.factories import (
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import IndividualSupervisionFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def parent(home):
    return FosterParentFactory(municipality=home)


def session_at(home, parent, start, **fields):
    family = FosterFamilyFactory(municipality=home, parents=[parent])
    return IndividualSupervisionFactory(
        municipality=home,
        start=start,
        end=start + HOUR,
        families=[family],
        supervisors=[SupervisorFactory(municipality=home)],
        **fields,
    )


def post_presence(client, session, parent, value="present"):
    return client.post(
        reverse("supervision_attendance", args=[session.pk]), {f"parent_{parent.pk}": value}
    )


# Attendance


def test_attendance_cannot_be_recorded_for_a_session_8_days_ahead(client, staff, home, parent):
    session = session_at(home, parent, timezone.now() + 8 * DAY)
    page = client.get(reverse("supervision_attendance", args=[session.pk]))
    assert "begun" in str(page.context["closed"]) or "begyndt" in str(page.context["closed"])
    assert post_presence(client, session, parent).status_code == 200
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError):
        record_attendance(session, {parent: True})


@pytest.mark.parametrize(
    ("began", "open_"),
    [
        (-DAY, False),
        (HOUR / 2, True),  # begun, not yet ended
        (30 * DAY, True),  # ended 29 days and 23 hours ago
        (30 * DAY + 2 * HOUR, False),  # ended 30 days and an hour ago
    ],
)
def test_attendance_is_recorded_from_the_start_until_30_days_after(
    client, staff, home, parent, began, open_
):
    session = session_at(home, parent, timezone.now() - began)
    response = post_presence(client, session, parent)
    assert Attendance.objects.filter(session=session, present=True).exists() is open_
    assert response.status_code == (302 if open_ else 200)


def test_a_cancelled_session_takes_no_attendance(home, parent):
    session = session_at(home, parent, timezone.now() - HOUR, cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        record_attendance(session, {parent: True})


def test_closed_attendance_shows_what_was_recorded(client, staff, home, parent):
    session = session_at(home, parent, timezone.now() - 60 * DAY)
    Attendance.objects.create(session=session, parent=parent, present=False)
    body = client.get(reverse("supervision_attendance", args=[session.pk])).content.decode()
    assert "Fraværende" in body
    assert 'type="radio"' not in body


# Past sessions


def test_past_sessions_link_to_their_attendance_and_shared_entries(client, staff, home, parent):
    held = session_at(home, parent, timezone.now() - 3 * DAY)
    coming = session_at(home, parent, timezone.now() + 3 * DAY)
    body = client.get(reverse("supervision_past_sessions")).content.decode()
    assert reverse("supervision_attendance", args=[held.pk]) in body
    assert reverse("logbook_session_entries", args=[held.pk]) in body
    assert reverse("supervision_attendance", args=[coming.pk]) not in body
    assert (
        reverse("supervision_past_sessions")
        in client.get(reverse("supervision_agenda")).content.decode()
    )


def test_past_sessions_are_paginated_with_a_fixed_number_of_queries(client, staff, home, parent):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("supervision_past_sessions")).status_code == 200
        return len(queries)

    session_at(home, parent, timezone.now() - DAY)
    count()  # the site and the national links are then in the cache
    few = count()
    for days in range(2, 60):
        session_at(home, FosterParentFactory(municipality=home), timezone.now() - days * DAY)
    assert count() == few
    assert client.get(reverse("supervision_past_sessions"), {"p": "2"}).status_code == 200
    assert client.get(reverse("supervision_past_sessions"), {"p": "x" * 30}).status_code == 200


def test_trainers_and_other_municipalities_see_no_past_sessions(client, home, parent):
    session_at(home, parent, timezone.now() - DAY)
    client.force_login(SupervisorFactory())
    assert client.get(reverse("supervision_past_sessions")).context["sessions"] == []


# Cancelling


def test_cancelling_asks_first_and_a_get_changes_nothing(client, staff, home, parent, mailoutbox):
    session = session_at(home, parent, timezone.now() + 3 * DAY)
    agenda = client.get(reverse("supervision_agenda")).content.decode()
    assert reverse("supervision_cancel", args=[session.pk]) in agenda
    page = client.get(reverse("supervision_cancel", args=[session.pk]))
    assert page.status_code == 200
    assert page.context["told"] == 2  # the parent and the supervisor
    assert Session.objects.get().cancelled_at is None
    assert client.post(reverse("supervision_cancel", args=[session.pk])).status_code == 302
    assert Session.objects.get().cancelled_at is not None
    assert len(mailoutbox) == 2


def test_cancelling_needs_the_forms_csrf_token(staff, home, parent):
    session = session_at(home, parent, timezone.now() + 3 * DAY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(reverse("supervision_cancel", args=[session.pk])).status_code == 403
    assert Session.objects.get().cancelled_at is None


# The month view


def month_url(day):
    return reverse("supervision_agenda_month", args=[day.year, day.month])


def test_the_month_view_shows_the_months_sessions_past_and_coming_in_a_grid(
    client, staff, home, parent
):
    today = timezone.localdate()
    first = today.replace(day=1)
    earlier = session_at(home, parent, at_noon(first))
    later = session_at(home, parent, at_noon(first + 27 * DAY))
    next_month = session_at(home, parent, at_noon(first + 40 * DAY))
    cancelled = session_at(home, parent, at_noon(first + DAY), cancelled_at=timezone.now())
    foreign = session_at(MunicipalityFactory(), parent, at_noon(first + 2 * DAY))
    response = client.get(reverse("supervision_agenda_month"))
    page = response.content.decode()
    for shown in (earlier, later):
        assert reverse("individualsupervision:edit", args=[shown.pk]) in page
    for hidden in (next_month, cancelled, foreign):
        assert reverse("individualsupervision:edit", args=[hidden.pk]) not in page
    assert "<caption>" in page and '<th scope="col">' in page
    assert 'aria-current="date"' in page
    weeks = response.context["weeks"]
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0][0].weekday() == 0  # Monday first


def test_the_month_view_goes_to_the_month_before_and_after(client, staff):
    response = client.get(month_url(datetime.date(2027, 1, 1)))
    assert response.context["previous_url"] == month_url(datetime.date(2026, 12, 1))
    assert response.context["next_url"] == month_url(datetime.date(2027, 2, 1))
    agenda = client.get(reverse("supervision_agenda")).content.decode()
    assert reverse("supervision_agenda_month") in agenda
    assert (
        reverse("supervision_agenda_month")
        in client.get(reverse("supervision_past_sessions")).content.decode()
    )


@pytest.mark.parametrize(("year", "month"), [(2027, 13), (2027, 0), (1, 1), (9999, 1), (2018, 12)])
def test_a_month_out_of_range_is_not_found(client, staff, year, month):
    url = reverse("supervision_agenda_month", args=[2027, 1]).replace("2027/1", f"{year}/{month}")
    assert client.get(url).status_code == 404


def test_the_first_month_since_the_law_has_no_way_further_back(client, staff):
    response = client.get(month_url(datetime.date(2019, 1, 1)))
    assert response.context["previous_url"] is None


def test_the_month_view_costs_the_same_queries_for_one_or_many_sessions(
    client, staff, home, parent, django_assert_max_num_queries
):
    first = timezone.localdate().replace(day=1)
    session_at(home, parent, at_noon(first))
    client.get(reverse("supervision_agenda_month"))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("supervision_agenda_month"))
    for n in range(1, 10):
        session_at(home, parent, at_noon(first + n * DAY))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("supervision_agenda_month"))


def test_a_foster_parent_gets_no_month_view(client, parent):
    client.force_login(parent)
    assert client.get(reverse("supervision_agenda_month")).status_code in (302, 403)


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
