"""The personal iCal feed: the user's sessions only, no case data, revocable."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from supervision.models import CalendarPreferences
from tests.factories import FosterFamilyFactory, FosterParentFactory, SupervisorFactory
from tests.supervision.factories import (
    IndividualSupervisionFactory,
    RegisteredPlacementFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent():
    return FosterParentFactory()


@pytest.fixture
def family(parent):
    family = FosterFamilyFactory(
        municipality=parent.municipality, name="Familien Sørensen", parents=[parent]
    )
    RegisteredPlacementFactory(family=family, child_name="Viggo")
    return family


def feed(client, user):
    token = CalendarPreferences.of(user).feed_token
    return client.get(reverse("calendar-feed", args=[token]))


def test_a_parent_sees_the_sessions_of_their_family_and_nothing_else(client, parent, family):
    mine = IndividualSupervisionFactory(
        municipality=family.municipality, start=at(2027, 1, 5), families=[family]
    )
    IndividualSupervisionFactory(municipality=family.municipality, start=at(2027, 1, 6))
    response = feed(client, parent)
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [f"session-{mine.pk}@testserver"]
    body = response.content.decode()
    assert "Viggo" not in body and "Sørensen" not in body and "S\\u00f8rensen" not in body


def test_a_supervisor_sees_the_sessions_they_supervise(client, family):
    supervisor = SupervisorFactory(municipality=family.municipality)
    IndividualSupervisionFactory(
        municipality=family.municipality, start=at(2027, 1, 5), supervisors=[supervisor]
    )
    events = Calendar.from_ical(feed(client, supervisor).content).walk("VEVENT")
    assert len(events) == 1


def test_a_new_address_closes_the_old_one(client, parent):
    preferences = CalendarPreferences.of(parent)
    old = preferences.feed_token
    client.force_login(parent)
    client.post(reverse("calendar-settings"), {"new_feed_address": "1"})
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 404
    preferences.refresh_from_db()
    assert client.get(reverse("calendar-feed", args=[preferences.feed_token])).status_code == 200


def test_a_person_can_turn_reminders_off(client, parent):
    client.force_login(parent)
    assert client.get(reverse("calendar-settings")).status_code == 200
    client.post(reverse("calendar-settings"), {})
    assert CalendarPreferences.of(parent).email_reminders is False


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("calendar-feed", args=["nope"])).status_code == 404


def test_the_feed_is_a_published_calendar_in_local_time_with_its_time_zone(client, parent, family):
    IndividualSupervisionFactory(
        municipality=family.municipality, start=at(2027, 1, 5), families=[family]
    )
    IndividualSupervisionFactory(
        municipality=family.municipality, start=at(2027, 7, 5), families=[family]
    )
    body = feed(client, parent).content
    calendar = Calendar.from_ical(body)
    assert "METHOD" not in calendar
    assert not calendar.get_missing_tzids()
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Copenhagen"]
    assert {sub.name for sub in calendar.timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    for event in calendar.walk("VEVENT"):
        assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
        assert "ORGANIZER" not in event and "ATTENDEE" not in event
    assert b"DTSTART;TZID=Europe/Copenhagen:20270105T100000" in body
    assert b"DTSTART;TZID=Europe/Copenhagen:20270705T100000" in body
