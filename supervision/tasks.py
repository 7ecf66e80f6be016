"""Background work: session reminders, run by the task workers (``manage.py db_worker``).

A reminder task may run late, twice (a worker killed mid-run has its task run again),
or after the session moved; it checks all three. Per person, ``ReminderSent`` and the
e-mail (an ``OutgoingMail``, sent by its own task) are written in one transaction, so a
person gets each reminder exactly once however often the task runs.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import ReminderSent, Session
from .notifications import REMINDER, notify


@task()
def send_session_reminder(session_id, offset_seconds, sequence):
    """Remind everyone in the session ``offset_seconds`` before it; returns e-mails written.

    ``sequence`` is the session's sequence when the reminder was queued: if the session
    was rescheduled since, a newer task carries the reminder and this one does nothing.
    """
    session = Session.objects.filter(pk=session_id, cancelled_at__isnull=True).first()
    if session is None or session.sequence != sequence:
        return 0
    offset = datetime.timedelta(seconds=offset_seconds)
    now = timezone.now()
    if now < session.start - offset or now >= session.start:
        return 0
    sent = 0
    recipients = session.recipients().filter(is_active=True)  # never an erased parent
    for user in recipients.exclude(calendar_preferences__email_reminders=False):
        with transaction.atomic():
            _record, created = ReminderSent.objects.get_or_create(
                session=session, user=user, offset=offset, session_start=session.start
            )
            if created:
                sent += notify(REMINDER, session, [user])
    return sent
