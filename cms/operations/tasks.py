"""Background tasks of operations: sending e-mail, and the periodic jobs of
``OPSTART_SCHEDULE`` (``cms.operations.scheduler`` queues them, workers run them).

Each job is safe to run twice or late: it deletes what is past its age, or does what is
due, and finds nothing left the second time.
"""

import io

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import mail
from .models import Heartbeat, OutgoingMail, ScheduledRun


@task()
def deliver_mail(mail_id):
    """Send one ``OutgoingMail``; True when it went out now."""
    return mail.deliver(mail_id)


@task()
def requeue_stalled_mail():
    """Queue again waiting e-mail whose task was lost; returns how many."""
    return mail.requeue_stalled()


@task()
def publish_scheduled_pages():
    """Wagtail's scheduled publishing and expiry of pages (its ``publish_scheduled``)."""
    call_command("publish_scheduled", stdout=io.StringIO())


@task()
def prune_sessions():
    """Delete expired sessions from the database (the cache forgets them by itself)."""
    call_command("clearsessions")


@task()
def prune_task_results():
    """Delete finished task results: successful ones sooner, failed ones kept longer
    for operators to look at. Returns how many were deleted."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    keep = settings.OPSTART_KEEP
    deleted, _by_model = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep["task_results"]
        )
        | DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=now - keep["failed_task_results"]
        )
    ).delete()
    return deleted


@task()
def prune_login_logs():
    """Delete django-axes' logs of logins and failed logins past their age (who logged
    in from which address is personal data, kept only as long as security needs)."""
    from axes.handlers.proxy import AxesProxyHandler

    days = settings.OPSTART_KEEP["login_logs"].days
    return AxesProxyHandler.reset_logs(age_days=days) + AxesProxyHandler.reset_failure_logs(
        age_days=days
    )


@task()
def prune_operations_records():
    """Delete sent and abandoned e-mail records, old scheduled runs and the heartbeats of
    processes long gone. Failed e-mail stays until an operator has dealt with it."""
    now = timezone.now()
    keep = settings.OPSTART_KEEP
    mails, _ = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.CANCELLED],
        created_at__lt=now - keep["outgoing_mail"],
    ).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=now - keep["scheduled_runs"]).delete()
    heartbeats, _ = Heartbeat.objects.filter(seen_at__lt=now - keep["heartbeats"]).delete()
    return {"mail": mails, "scheduled_runs": runs, "heartbeats": heartbeats}
