"""Outgoing e-mail: written in the change's transaction, sent by a task per recipient,
tried again when the mail server is away, never sent to inactive or erased people."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.operations import mail as outbox
from cms.operations.models import OutgoingMail
from cms.operations.tasks import deliver_mail
from cms.portal.privacy import erase_family
from supervision.tasks import send_session_reminder
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.supervision.factories import IndividualSupervisionFactory
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def delivery_tasks():
    return DBTaskResult.objects.filter(task_path=deliver_mail.module_path)


def test_an_email_is_written_to_the_outbox_and_sent_by_a_task_then_only_its_record_kept():
    user = UserFactory(email="mette@example.dk")
    message = EmailMessage("Hej", "Log ind", to=[user.email])
    message.attach("opstart.ics", b"BEGIN:VCALENDAR", "text/calendar")
    message.send()

    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Hej", "Log ind", ["mette@example.dk"])
    assert sent.attachments[0][1] == "BEGIN:VCALENDAR"
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.SENT and row.recipient == user
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert row.content == {}  # the body is in the inbox now, not in our database


def test_each_recipient_gets_a_message_and_a_record_of_their_own():
    send_mail("Hej", "Log ind", None, ["a@example.dk", "b@example.dk"])
    assert sorted(m.to for m in mail.outbox) == [["a@example.dk"], ["b@example.dk"]]
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 2


def test_a_change_rolled_back_sends_nothing(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Hej", "Log ind", None, ["a@example.dk"])
        raise RuntimeError
    assert not OutgoingMail.objects.exists() and not delivery_tasks().exists()


def test_the_mail_is_queued_in_the_writers_transaction(database_tasks):
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    assert mail.outbox == []
    assert delivery_tasks().count() == 1
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["a@example.dk"]]


def test_inactive_users_and_invalid_addresses_never_get_email():
    inactive = UserFactory(is_active=False)
    send_mail("Hej", "Log ind", None, [inactive.email, "erased-7@erased.opstart.invalid"])
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_a_user_deactivated_before_the_mail_went_out_is_not_sent_it(database_tasks):
    user = UserFactory()
    send_mail("Hej", "Log ind", None, [user.email])
    user.is_active = False
    user.save()
    run_queued_tasks()
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.CANCELLED


def test_mail_goes_to_the_users_address_of_the_moment_it_is_sent(database_tasks):
    user = UserFactory(email="old@example.dk")
    send_mail("Hej", "Log ind", None, [user.email])
    user.email = "new@example.dk"
    user.save()
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["new@example.dk"]]


def test_an_erased_parent_first_in_line_does_not_stop_the_others_reminders(smtp_server):
    """Before: the erased parent's .invalid address, refused by the server, failed the
    whole reminder task, and nobody after it got a reminder."""
    erased = FosterParentFactory()
    family = FosterFamilyFactory(municipality=erased.municipality, parents=[erased])
    erase_family(family, by=CoordinatorFactory(municipality=family.municipality))
    other_family = FosterFamilyFactory(municipality=family.municipality)
    supervisor = SupervisorFactory(municipality=family.municipality)
    session = IndividualSupervisionFactory(
        municipality=family.municipality,
        start=timezone.now() + datetime.timedelta(hours=20),
        supervisors=[supervisor],
        families=[family, other_family],
    )
    expected = {supervisor.email, *(parent.email for parent in other_family.parents.all())}

    assert send_session_reminder.call(session.pk, 24 * 3600, 0) == len(expected)
    assert {recipient for recipient, _id, _subject in smtp_server.received} == expected
    assert not OutgoingMail.objects.filter(recipient__in=family.parents.all()).exists()


def test_a_mail_server_away_is_tried_again_later_and_the_mail_sent_once(
    smtp_server, database_tasks
):
    smtp_server.refuse("451 4.3.0 Try again later")
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    run_queued_tasks()

    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    [retry] = delivery_tasks().filter(status="READY")
    assert retry.run_after == row.next_attempt_at  # waits out the back-off

    smtp_server.accept()
    delivery_tasks().update(run_after=timezone.now())
    run_queued_tasks()
    run_queued_tasks()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.SENT, 2)
    assert [(to, message_id) for to, message_id, _s in smtp_server.received] == [
        ("a@example.dk", row.message_id)
    ]


def test_the_waits_grow_until_the_mail_is_listed_as_failed(smtp_server, settings):
    settings.OPSTART_MAIL_RETRY = {**settings.OPSTART_MAIL_RETRY, "attempts": 3}
    smtp_server.refuse("421 4.3.2 Service not available")
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    row = OutgoingMail.objects.get()
    waits = [row.next_attempt_at - row.created_at]
    outbox.deliver(row.pk)
    row.refresh_from_db()
    waits.append(row.next_attempt_at - timezone.now())
    assert waits[1] > waits[0]
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.FAILED, 3)


def test_a_recipient_refused_for_good_fails_at_once_and_can_be_sent_again(smtp_server):
    smtp_server.refuse("550 5.1.1 No such user")
    send_mail("Hej", "Log ind", None, ["gone@example.dk"])
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (OutgoingMail.Status.FAILED, 1)
    assert "550" in row.last_error

    smtp_server.accept()
    assert outbox.send_again(row)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(smtp_server.received) == 1


def test_a_mail_is_sent_once_however_often_its_task_runs(smtp_server, database_tasks):
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    row = OutgoingMail.objects.get()
    assert deliver_mail.call(row.pk) is True
    assert deliver_mail.call(row.pk) is False
    run_queued_tasks()
    assert len(smtp_server.received) == 1


def test_a_worker_dying_between_sending_and_recording_leaves_the_mail_waiting(
    smtp_server, database_tasks, monkeypatch
):
    """The guarantee: at least once to the server, recorded once. The copy sent again
    carries the same Message-ID, by which mail programs recognise a duplicate."""
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    row = OutgoingMail.objects.get()

    def connection_lost(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(OutgoingMail, "save", connection_lost)
        with pytest.raises(DatabaseError):
            outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.PENDING

    assert outbox.deliver(row.pk)
    ids = [message_id for _to, message_id, _subject in smtp_server.received]
    assert ids == [row.message_id, row.message_id]


def test_an_overdue_mail_whose_task_was_lost_is_queued_again_once(database_tasks):
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    assert outbox.requeue_stalled() == 0  # its task is waiting
    delivery_tasks().delete()
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert outbox.requeue_stalled() == 1
    assert outbox.requeue_stalled() == 0
    run_queued_tasks()
    assert len(mail.outbox) == 1


def test_an_unexpected_smtp_error_is_tried_again_with_its_reason_recorded(settings, monkeypatch):
    def broken(self, messages):
        raise smtplib.SMTPNotSupportedError("AUTH not supported")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    send_mail("Hej", "Log ind", None, ["a@example.dk"])
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.PENDING  # an SMTP error: tried again later
    assert "AUTH not supported" in row.last_error
