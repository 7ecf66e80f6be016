"""The admin changes placements and sessions through ``supervision.services``: moving a
session tells everyone, a family added to a session is invited and one taken out is told,
and a placement's new start date re-dates its course."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.roles import sync_role_groups
from supervision.models import StartupCourse
from supervision.services import change_session
from tests.factories import (
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import (
    IndividualSupervisionFactory,
    RegisteredPlacementFactory,
    plan_goals_formset,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    sync_role_groups()


@pytest.fixture
def home():
    return MunicipalityFactory(name="Vejle Kommune", slug="vejle")


def later(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def family_with_parent(home, email):
    parent = FosterParentFactory(municipality=home, email=email)
    return FosterFamilyFactory(municipality=home, parents=[parent]), parent


@pytest.fixture
def booked(home):
    """A session next month with one supervisor and one family."""
    supervisor = SupervisorFactory(municipality=home, email="konsulent@vejle.example.dk")
    family, parent = family_with_parent(home, "mette@familie.example.dk")
    session = IndividualSupervisionFactory(
        municipality=home, start=later(30), supervisors=[supervisor], families=[family]
    )
    return session, supervisor, family


def edit_post(session, families, **changes):
    local = timezone.localtime
    return {
        "municipality": session.municipality_id,
        "start": local(changes.get("start", session.start)).strftime("%Y-%m-%d %H:%M"),
        "end": local(changes.get("end", session.end)).strftime("%Y-%m-%d %H:%M"),
        "place": changes.get("place", session.place),
        "video_link": "",
        "supervisors": [user.pk for user in session.supervisors.all()],
        "families": [family.pk for family in families],
    }


def subjects_by_recipient(mailoutbox):
    return {message.to[0]: message.subject.split(":")[0] for message in mailoutbox}


def test_a_family_added_to_a_session_in_the_admin_is_invited_and_no_one_else_is_told(
    client, staff, home, booked, mailoutbox, django_capture_on_commit_callbacks
):
    session, _supervisor, family = booked
    added, _parent = family_with_parent(home, "ole@familie.example.dk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("individualsupervision:edit", args=[session.pk]),
            edit_post(session, [family, added]),
        )
    assert response.status_code == 302
    assert subjects_by_recipient(mailoutbox) == {"ole@familie.example.dk": "Invitation"}
    session.refresh_from_db()
    assert session.sequence == 0


def test_a_family_taken_out_of_a_session_is_told_it_is_cancelled_for_them(
    client, staff, home, booked, mailoutbox, django_capture_on_commit_callbacks
):
    session, _supervisor, family = booked
    other, _parent = family_with_parent(home, "ole@familie.example.dk")
    session.families.add(other)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("individualsupervision:edit", args=[session.pk]), edit_post(session, [other])
        )
    assert subjects_by_recipient(mailoutbox) == {"mette@familie.example.dk": "Aflyst"}


def test_moving_a_session_in_the_admin_tells_everyone_with_a_new_calendar_version(
    client, staff, booked, mailoutbox, django_capture_on_commit_callbacks
):
    session, _supervisor, family = booked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("individualsupervision:edit", args=[session.pk]),
            edit_post(session, [family], place="Biblioteket"),
        )
    assert subjects_by_recipient(mailoutbox) == {
        "konsulent@vejle.example.dk": "Ændret",
        "mette@familie.example.dk": "Ændret",
    }
    session.refresh_from_db()
    assert (session.place, session.sequence) == ("Biblioteket", 1)


def test_the_service_alone_counts_a_new_time_as_a_move_and_nothing_else(
    booked, mailoutbox, django_capture_on_commit_callbacks
):
    session, _supervisor, _family = booked
    with django_capture_on_commit_callbacks(execute=True):
        change_session(session)
    assert mailoutbox == []
    session.start, session.end = later(31), later(31, hour=11)
    with django_capture_on_commit_callbacks(execute=True):
        change_session(session)
    assert len(mailoutbox) == 2 and session.sequence == 1


def test_a_new_placement_start_in_the_admin_re_dates_its_course(client, staff, home):
    placement = RegisteredPlacementFactory(
        family__municipality=home, start_date=datetime.date(2027, 1, 15)
    )
    response = client.post(
        reverse("placement:edit", args=[placement.pk]),
        {
            "family": placement.family_id,
            "child_name": placement.child_name,
            "birth_year": placement.birth_year,
            "start_date": "2027-03-31",
            **plan_goals_formset(),
        },
    )
    assert response.status_code == 302
    course = StartupCourse.objects.get(placement=placement)
    assert course.finish_deadline == datetime.date(2028, 3, 31)
    assert course.start_deadline == datetime.date(2027, 9, 30)
