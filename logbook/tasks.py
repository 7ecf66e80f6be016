"""Background work of the logbook, run by the database worker (``manage.py db_worker``)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from cms.models import User

from . import notifications, retention
from .models import LogbookEntry, ShareDigest

RETENTION_HOUR = 3  # the nightly run, local time, when nobody writes


@task()
def send_share_digest(recipient_id):
    """Send one consultant the count of entries shared since their digest was queued.

    The pending row is taken (locked and deleted) before the e-mail goes out, so a task
    that runs twice sends once; a share after this point queues the next digest.
    """
    with transaction.atomic():
        digest = ShareDigest.objects.select_for_update().filter(recipient_id=recipient_id).first()
        if digest is None:
            return 0
        since = digest.since
        digest.delete()
    recipient = User.objects.get(pk=recipient_id)
    count = LogbookEntry.objects.visible_to_staff(recipient).filter(shared_at__gte=since).count()
    if count:
        notifications.shares_digest(recipient, count)
    return count


@task()
def enforce_retention():
    """Delete the logbooks past retention, then queue tomorrow night's run.

    Returns the entries deleted per municipality. Safe to run twice: the second run
    finds nothing expired, and the next run is queued only if none is waiting.
    """
    reports = retention.apply_retention()
    schedule_retention()
    return {report.municipality.slug: report.entries for report in reports}


def next_retention_run(now=None):
    """Tomorrow at ``RETENTION_HOUR`` local time."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(RETENTION_HOUR)))


def retention_waiting():
    """Whether a run of ``enforce_retention`` is already queued (database backend only)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(enforce_retention.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=enforce_retention.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_retention(now=None):
    """Queue the next nightly run unless one is waiting; returns the result or None.

    Called after every ``migrate`` (so each deployment has the chain) and by each run
    (which keeps it going). A backend that cannot defer (tests) queues nothing.
    """
    if not enforce_retention.get_backend().supports_defer or retention_waiting():
        return None
    return enforce_retention.using(run_after=next_retention_run(now)).enqueue()
