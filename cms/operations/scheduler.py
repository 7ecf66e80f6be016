"""Periodic jobs: ``OPSTART_SCHEDULE`` in the settings, queued by ``manage.py run_scheduler``.

The scheduler only queues; the workers run the jobs (with their retries). For each job
and each moment its cron expression names (in ``TIME_ZONE``), the scheduler inserts a
``ScheduledRun`` (unique per job and moment) and queues the task in the same
transaction. A second scheduler, left running during a deployment or started on
another host by mistake, loses that insert and queues nothing, so each job runs once
per moment however many schedulers there are. A moment missed while no scheduler ran
is made up once when one starts again (only the latest: a night missed three times
runs once); every job is safe to run late.
"""

import datetime
import logging
import threading
from dataclasses import dataclass
from functools import cached_property

from croniter import croniter
from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger("opstart.scheduler")

LONGEST_SLEEP = 60  # seconds: the schedule is looked at again at least this often


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    cron: str

    @cached_property
    def task(self):
        return import_string(self.task_path)

    def latest_slot(self, now):
        """The last moment at or before ``now`` that the schedule names."""
        local = timezone.localtime(now) + datetime.timedelta(microseconds=1)
        return croniter(self.cron, local).get_prev(datetime.datetime)

    def next_slot(self, now):
        return croniter(self.cron, timezone.localtime(now)).get_next(datetime.datetime)


def jobs():
    return [
        Job(name, entry["task"], entry["cron"]) for name, entry in settings.OPSTART_SCHEDULE.items()
    ]


def run_due(now=None):
    """Queue each job whose latest moment has no run yet; returns the runs queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs():
        slot = job.latest_slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot__gte=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                run.task_result_id = str(job.task.enqueue().id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler took this moment first
        logger.info("Queued %s for %s", job.name, slot.isoformat())
        queued.append(run)
    return queued


def seconds_to_next(now=None):
    now = now or timezone.now()
    soonest = min((job.next_slot(now) for job in jobs()), default=None)
    if soonest is None:
        return LONGEST_SLEEP
    return min(max((soonest - now).total_seconds(), 0.1), LONGEST_SLEEP)


def run_forever(stopped: threading.Event):
    """Queue due jobs until ``stopped`` is set, riding out database outages."""
    while not stopped.is_set():
        close_old_connections()
        try:
            run_due()
            pause = seconds_to_next()
        except DatabaseError as error:
            logger.warning("Scheduler could not reach the database (%s); trying again", error)
            pause = 5
        stopped.wait(pause)
