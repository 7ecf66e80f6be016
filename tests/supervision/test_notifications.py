"""Session e-mails: who gets them, in which language, and that they carry no case data."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from supervision.models import CalendarPreferences, ReminderSent
from supervision.services import cancel_session, change_session, schedule_session
from supervision.tasks import send_session_reminder
from tests.factories import FosterFamilyFactory, FosterParentFactory, SupervisorFactory
from tests.supervision.factories import IndividualSupervisionFactory, RegisteredPlacementFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def reminder_tasks():
    """Queued reminders (Wagtail queues tasks of its own on the same backend)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="supervision.tasks.send_session_reminder")


@pytest.fixture
def parent():
    return FosterParentFactory(language="en")


@pytest.fixture
def family(parent):
    family = FosterFamilyFactory(
        municipality=parent.municipality, name="Familien Sørensen", parents=[parent]
    )
    RegisteredPlacementFactory(family=family, child_name="Viggo")
    return family


@pytest.fixture
def supervisor(family):
    return SupervisorFactory(municipality=family.municipality, language="da")


def soon(hours):
    return timezone.now() + datetime.timedelta(hours=hours)


def new_session(family, supervisor, start):
    from supervision.models import IndividualSupervision

    session = IndividualSupervision(
        municipality=family.municipality,
        start=start,
        end=start + datetime.timedelta(hours=1),
        place="Familieplejen, Vejlevej 1",
    )
    return schedule_session(session, [supervisor], [family])


def assert_no_case_data(message):
    ics = message.attachments[0][1]
    texts = [message.subject, message.body, ics if isinstance(ics, str) else ics.decode()]
    for text in texts:
        for secret in ("Viggo", "Sørensen", "S\\u00f8rensen", "Familien"):
            assert secret not in text


def test_scheduling_invites_parents_and_supervisors_in_their_language(
    family, supervisor, parent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_session(family, supervisor, soon(24 * 30))
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {parent.email, supervisor.email}
    assert by_recipient[parent.email].subject.startswith("Invitation")
    assert by_recipient[supervisor.email].subject.startswith("Invitation")
    assert "Log" in by_recipient[parent.email].body
    assert "Log ind" in by_recipient[supervisor.email].body


def move(session, start, end):
    session.start, session.end = start, end
    return change_session(session)


def test_no_notification_carries_the_childs_or_familys_name(
    family, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = new_session(family, supervisor, soon(24 * 30))
    with django_capture_on_commit_callbacks(execute=True):
        move(session, soon(24 * 31), soon(24 * 31 + 1))
    cancel_session(session)
    session.start, session.end, session.cancelled_at = soon(10), soon(11), None
    session.save()
    send_session_reminder.call(session.pk, 24 * 3600, session.sequence)
    kinds = {message.subject.split(":")[0] for message in mailoutbox}
    assert {"Invitation", "Changed", "Cancelled", "Reminder"} <= kinds | {
        "Invitation",
        "Ændret",
        "Aflyst",
        "Påmindelse",
    }
    assert len(mailoutbox) == 8
    for message in mailoutbox:
        assert_no_case_data(message)


def test_the_ics_attachment_holds_the_event_with_an_alarm(
    family, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = new_session(family, supervisor, soon(24 * 30))
    calendar = Calendar.from_ical(mailoutbox[0].attachments[0][1])
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.start.replace(microsecond=0)
    assert event["location"] == "Familieplejen, Vejlevej 1"
    assert calendar.walk("VALARM")


def test_a_reminder_goes_out_exactly_once_even_when_the_task_runs_twice(
    family, supervisor, mailoutbox
):
    session = IndividualSupervisionFactory(
        municipality=family.municipality,
        start=soon(20),
        supervisors=[supervisor],
        families=[family],
    )
    assert send_session_reminder.call(session.pk, 24 * 3600, 0) == 2
    assert send_session_reminder.call(session.pk, 24 * 3600, 0) == 0
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.count() == 2


def test_a_reminder_respects_the_persons_choice(family, supervisor, parent, mailoutbox):
    preferences = CalendarPreferences.of(parent)
    preferences.email_reminders = False
    preferences.save()
    session = IndividualSupervisionFactory(
        municipality=family.municipality,
        start=soon(20),
        supervisors=[supervisor],
        families=[family],
    )
    send_session_reminder.call(session.pk, 24 * 3600, 0)
    assert [message.to for message in mailoutbox] == [[supervisor.email]]


def test_a_reminder_for_a_moved_or_cancelled_session_does_nothing(family, supervisor, mailoutbox):
    session = IndividualSupervisionFactory(
        municipality=family.municipality, start=soon(20), supervisors=[supervisor], sequence=1
    )
    assert send_session_reminder.call(session.pk, 24 * 3600, 0) == 0
    session.cancelled_at = timezone.now()
    session.save()
    assert send_session_reminder.call(session.pk, 24 * 3600, 1) == 0
    assert not mailoutbox


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
@override_settings(TASKS=DB_TASKS)
def test_the_worker_sends_due_reminders_once_across_restarts(family, supervisor, mailoutbox):
    session = new_session(family, supervisor, soon(48))
    # 7 days ahead has passed already; only the one-day reminder is queued, for tomorrow.
    queued = reminder_tasks().get()
    assert queued.run_after == session.start - datetime.timedelta(days=1)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the invitations
    assert len(mailoutbox) == 2
    mailoutbox.clear()

    reminder_tasks().update(run_after=timezone.now() - datetime.timedelta(minutes=1))
    session.start, session.end = soon(20), soon(21)  # the reminder is now due
    type(session).objects.filter(pk=session.pk).update(start=session.start, end=session.end)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(mailoutbox) == 2

    # A worker that died before marking the task done runs it again: nothing more is sent.
    reminder_tasks().update(status="READY", finished_at=None)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(mailoutbox) == 2


@override_settings(TASKS=DB_TASKS)
def test_rescheduling_queues_new_reminders(family, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = new_session(family, supervisor, soon(24 * 30))
    with django_capture_on_commit_callbacks(execute=True):
        move(session, soon(24 * 40), soon(24 * 40 + 1))
    sequences = sorted(result.args_kwargs["args"][2] for result in reminder_tasks())
    assert sequences == [0, 0, 1, 1]


@pytest.mark.parametrize("kind", ["invitation", "cancellation"])
def test_each_ics_is_an_itip_message_from_the_municipality_to_its_recipient(
    family, supervisor, parent, mailoutbox, django_capture_on_commit_callbacks, kind
):
    family.municipality.contact_email = "familiepleje@vejle.example.dk"
    family.municipality.save()
    with django_capture_on_commit_callbacks(execute=True):
        session = new_session(family, supervisor, soon(24 * 30))
    if kind == "cancellation":
        mailoutbox.clear()
        cancel_session(session)
    assert {message.to[0] for message in mailoutbox} == {parent.email, supervisor.email}
    for message in mailoutbox:
        calendar = Calendar.from_ical(message.attachments[0][1])
        assert str(calendar["method"]) == ("CANCEL" if kind == "cancellation" else "REQUEST")
        assert not calendar.get_missing_tzids()
        (event,) = calendar.walk("VEVENT")
        assert str(event["uid"]) == f"session-{session.pk}@testserver"
        assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
        assert str(event["organizer"]) == "mailto:familiepleje@vejle.example.dk"
        assert event["organizer"].params["CN"] == family.municipality.name
        attendees = event["attendee"]
        assert str(attendees) == f"mailto:{message.to[0]}"  # only the person it is sent to
        assert attendees.params["RSVP"] == "FALSE"
        for required in ("DTSTAMP", "DTSTART", "SEQUENCE", "SUMMARY"):
            assert required in event
        if kind == "cancellation":
            assert str(event["status"]) == "CANCELLED"


def test_without_a_municipality_address_the_first_supervisor_organizes(
    family, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    family.municipality.contact_email = ""
    family.municipality.save()
    with django_capture_on_commit_callbacks(execute=True):
        new_session(family, supervisor, soon(24 * 30))
    event = Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["organizer"]) == f"mailto:{supervisor.email}"


def test_a_cancellation_is_a_new_calendar_version(
    family, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = new_session(family, supervisor, soon(24 * 30))
    mailoutbox.clear()
    cancel_session(session)
    session.refresh_from_db()
    assert session.sequence == 1
    (ics,) = [a for a in mailoutbox[0].attachments if a[0].endswith(".ics")]
    event = next(c for c in Calendar.from_ical(ics[1]).walk("VEVENT"))
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")
