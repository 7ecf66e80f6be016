"""Background work of the logbook, run by the database worker (``manage.py db_worker``)."""

from django.db import transaction
from django_tasks import task

from cms.models import User

from . import notifications
from .models import LogbookEntry, ShareDigest


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
