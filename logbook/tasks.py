"""Background work of the logbook, run by the task workers (``manage.py db_worker``)."""

from django.db import transaction
from django_tasks import task

from cms.models import User

from . import notifications, retention
from .models import LogbookEntry, ShareDigest


@task()
def send_share_digest(recipient_id):
    """Send one consultant the count of entries shared since their digest was queued.

    The pending row is taken (locked and deleted) and the e-mail written to the outbox
    in one transaction: a task that runs twice, or is killed and run again, sends once;
    a share after this point queues the next digest.
    """
    with transaction.atomic():
        digest = ShareDigest.objects.select_for_update().filter(recipient_id=recipient_id).first()
        if digest is None:
            return 0
        recipient = User.objects.get(pk=recipient_id)
        count = (
            LogbookEntry.objects.visible_to_staff(recipient)
            .filter(shared_at__gte=digest.since)
            .count()
        )
        digest.delete()
        if count:
            notifications.shares_digest(recipient, count)
    return count


@task()
def enforce_retention():
    """Delete the logbooks past retention (nightly, from ``OPSTART_SCHEDULE``).

    Returns the entries deleted per municipality. Safe to run twice or late: the second
    run finds nothing expired.
    """
    reports = retention.apply_retention()
    return {report.municipality.slug: report.entries for report in reports}
