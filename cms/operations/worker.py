"""The task worker for several hosts: django-tasks-db's ``db_worker``, made to survive.

django-tasks-db claims each task with ``SELECT … FOR UPDATE SKIP LOCKED``, so any
number of workers share one queue; what it lacks, this adds:

- **Heartbeats and reclaiming.** Each worker writes a ``Heartbeat`` every
  ``OPSTART_WORKER["heartbeat"]`` from a thread of its own, and every worker looks for
  tasks still marked running by a worker silent for ``heartbeat_timeout``: one killed
  (``kill -9``, out of memory) or whose host was lost. Such a task is queued again, up
  to ``OPSTART_TASK_RETRY["attempts"]`` runs (a task that kills its worker each time
  then fails instead of taking every worker down in turn).
- **Retries with back-off.** A task failing with a transient error (the database
  connection terminated, Redis or the network away: ``retries.TRANSIENT_ERRORS``) is
  queued again after a growing wait; any other exception fails it at once, since
  running a fault again repeats it. Its outcome is recorded even when the database
  connection it broke on has to be opened anew.
- **No polling.** An idle worker sleeps until a task is queued (``wakeup``: LISTEN/
  NOTIFY on PostgreSQL), a deferred task falls due, or ``max_idle`` passes.
- **A database outage** makes the worker wait and try again instead of exiting.

Tasks must therefore be safe to run twice: each of ours checks what is already done.
"""

import datetime
import logging
import os
import random
import socket
import threading
import time
from traceback import format_exception

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Min
from django.db.utils import OperationalError
from django.utils import timezone
from django_guid import clear_guid, set_guid
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import wakeup
from .models import Heartbeat
from .retries import backoff, is_transient

logger = logging.getLogger("opstart.worker")


class AbandonedTask(Exception):
    """Recorded on a task whose worker stopped answering too many times."""


def reclaim_abandoned(now=None):
    """Queue again the tasks marked running by a worker that no longer beats; returns
    their ids. Any worker may call it: the rows are locked and skipped if taken."""
    now = now or timezone.now()
    timeout = settings.OPSTART_WORKER["heartbeat_timeout"]
    attempts = settings.OPSTART_TASK_RETRY["attempts"]
    alive = set(
        Heartbeat.objects.filter(
            kind=Heartbeat.Kind.WORKER, seen_at__gte=now - timeout
        ).values_list("process_id", flat=True)
    )
    reclaimed = []
    with exclusive_transaction(DBTaskResult.objects.db):
        for result in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            worker = result.worker_ids[-1] if result.worker_ids else None
            if worker in alive or (result.started_at and result.started_at > now - timeout):
                continue
            if len(result.worker_ids) >= attempts:
                result.set_failed(
                    AbandonedTask(f"Its worker stopped answering {len(result.worker_ids)} times.")
                )
                logger.error("Task %s (%s) abandoned for good", result.id, result.task_path)
            else:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.save(update_fields=["status", "run_after"])
                logger.warning(
                    "Task %s (%s) of silent worker %s queued again",
                    result.id,
                    result.task_path,
                    worker,
                )
            reclaimed.append(str(result.id))
        if reclaimed:
            wakeup.notify()
    return reclaimed


class HeartbeatThread(threading.Thread):
    """Beats for a process from a thread of its own, so that a long task does not make
    its worker look dead; a worker's beat also reclaims what silent workers left."""

    def __init__(self, process_id, kind, *, reclaim=False):
        super().__init__(name=f"heartbeat-{process_id}", daemon=True)
        self.process_id = process_id
        self.kind = kind
        self.reclaim = reclaim
        self.stopped = threading.Event()

    def start(self):
        # First beat before the first claim (a task just claimed is never taken for
        # abandoned; while the database is away, the reclaim's grace period covers it).
        try:
            self.beat()
        except DatabaseError:
            logger.warning("First heartbeat of %s failed; beating again soon", self.process_id)
        super().start()

    def run(self):
        interval = settings.OPSTART_WORKER["heartbeat"].total_seconds()
        while not self.stopped.wait(interval):
            try:
                self.beat()
                if self.reclaim:
                    reclaim_abandoned()
            except Exception:  # noqa: BLE001 - the database may be away; beat again later
                logger.warning("Heartbeat of %s failed", self.process_id, exc_info=True)
            finally:
                connection.close_if_unusable_or_obsolete()
        connection.close()

    def beat(self):
        now = timezone.now()
        if not Heartbeat.objects.filter(process_id=self.process_id).update(seen_at=now):
            Heartbeat.objects.create(
                process_id=self.process_id,
                kind=self.kind,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=now,
                seen_at=now,
            )

    def stop(self):
        """Stop beating and say goodbye: a process stopped cleanly has no running task."""
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=5)
        try:
            Heartbeat.objects.filter(process_id=self.process_id).delete()
        except DatabaseError:
            logger.warning("Could not remove the heartbeat of %s", self.process_id)


class Worker(db_worker.Worker):
    def __init__(self, *, max_idle, **kwargs):
        super().__init__(**kwargs)
        self.max_idle = max_idle
        self.listener = wakeup.Listener()
        self.heartbeat = HeartbeatThread(self.worker_id, Heartbeat.Kind.WORKER, reclaim=True)

    def run(self):
        logger.info("Starting worker %s (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - workers started together spread out
        self.heartbeat.start()
        try:
            self._loop()
        finally:
            self.heartbeat.stop()
            self.listener.close()

    def _loop(self):
        while self.running:
            close_old_connections()
            task_result = self._until_database_answers(self.claim_next)
            if task_result is not None:
                self.run_task(task_result)
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
            elif self.batch or not self.running:
                return
            else:
                self.wait_for_work()

    def ready_tasks(self):
        tasks = DBTaskResult.objects.filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim_next(self):
        """Take the next ready task, marked as this worker's; None when there is none."""
        tasks = self.ready_tasks().ready()
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):  # SQLite busy: look again soon
                    return None
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def wait_for_work(self):
        """Sleep until a task is queued, the next deferred one is due, or ``max_idle``."""
        timeout = self.max_idle if self.listener.can_listen else self.interval
        now = timezone.now()
        next_due = (
            self.ready_tasks()
            .filter(status=TaskResultStatus.READY, run_after__gt=now)
            .exclude(run_after=get_date_max())
            .aggregate(next_due=Min("run_after"))["next_due"]
        )
        if next_due is not None:
            timeout = min(timeout, (next_due - now).total_seconds())
        close_old_connections()
        self.listener.wait(max(timeout, 0.05))

    def run_task(self, db_task_result):
        self.running_task = True
        set_guid(str(db_task_result.id))  # log lines of the task carry its id
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                from django_tasks import TaskContext

                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            self._until_database_answers(lambda: db_task_result.set_successful(value))
            task_finished.send(
                sender=type(task.get_backend()), task_result=db_task_result.task_result
            )
        except BaseException as error:  # noqa: BLE001 - the outcome of any task is recorded
            self._failed(db_task_result, error)
        finally:
            clear_guid()
            self.running_task = False
            self._run_tasks += 1

    def _failed(self, db_task_result, error):
        runs = len(db_task_result.worker_ids)
        retry = settings.OPSTART_TASK_RETRY
        if isinstance(error, SystemExit | KeyboardInterrupt):
            # Stopped by force (a second Ctrl+C or SIGTERM): not the task's fault.
            logger.warning("Task %s interrupted; queued again", db_task_result.id)
            self._until_database_answers(
                lambda: _queue_again(db_task_result, error, datetime.timedelta())
            )
            raise error
        if is_transient(error) and runs < retry["attempts"]:
            delay = backoff(runs, base=retry["backoff"], cap=retry["max_backoff"])
            logger.warning(
                "Task %s (%s) failed with %s on run %d; queued again in %.0f s",
                db_task_result.id,
                db_task_result.task_path,
                type(error).__name__,
                runs,
                delay.total_seconds(),
            )
            self._until_database_answers(lambda: _queue_again(db_task_result, error, delay))
            return
        logger.error(
            "Task %s (%s) failed",
            db_task_result.id,
            db_task_result.task_path,
            exc_info=(type(error), error, error.__traceback__),
        )
        self._until_database_answers(lambda: db_task_result.set_failed(error))
        try:
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        except Exception:  # noqa: BLE001 - a task path that no longer imports
            logger.exception("Task %s failed unexpectedly", db_task_result.id)

    def _until_database_answers(self, operation):
        """Run ``operation``, waiting out a database outage (growing pauses) for as long
        as the worker runs; a connection broken by the outage is opened anew."""
        failures = 0
        while True:
            try:
                return operation()
            except DatabaseError as error:
                if not is_transient(error) or not self.running:
                    raise
                failures += 1
                pause = backoff(failures, base=_SECOND, cap=_HALF_MINUTE).total_seconds()
                logger.warning("Database unavailable (%s); trying again in %.1f s", error, pause)
                if not connection.in_atomic_block:  # only a test runs tasks inside one
                    connection.close()  # a terminated connection is opened anew
                time.sleep(pause)


def _queue_again(db_task_result, error, delay):
    db_task_result.status = TaskResultStatus.READY
    db_task_result.run_after = timezone.now() + delay
    db_task_result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    db_task_result.traceback = "".join(format_exception(error))
    db_task_result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])


_SECOND = datetime.timedelta(seconds=1)
_HALF_MINUTE = datetime.timedelta(seconds=30)
