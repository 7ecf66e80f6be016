"""``manage.py run_scheduler``: queue the periodic jobs of ``OPSTART_SCHEDULE``.

Run one per deployment (``make run`` starts one); a second one does no harm, see
``cms.operations.scheduler``.
"""

import signal
import threading
import uuid

from django.core.management.base import BaseCommand

from cms.operations import scheduler
from cms.operations.models import Heartbeat
from cms.operations.worker import HeartbeatThread


class Command(BaseCommand):
    help = "Queue the periodic jobs (OPSTART_SCHEDULE) when they are due"

    def handle(self, **options):
        stopped = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stopped.set())
        heartbeat = HeartbeatThread(f"scheduler-{uuid.uuid4().hex}", Heartbeat.Kind.SCHEDULER)
        heartbeat.start()
        jobs = ", ".join(f"{job.name} ({job.cron})" for job in scheduler.jobs())
        self.stdout.write(f"Scheduler started: {jobs}")
        try:
            scheduler.run_forever(stopped)
        finally:
            heartbeat.stop()
