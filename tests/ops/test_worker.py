"""The task worker: retries with back-off, abandoned tasks picked up again, waiting
without polling, and a worker killed with kill -9 mid-task on PostgreSQL."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.operations import worker as worker_module
from cms.operations.models import Heartbeat
from cms.operations.wakeup import Listener
from cms.operations.worker import AbandonedTask, HeartbeatThread, reclaim_abandoned
from tests.ops import sample_tasks
from tests.tasks import run_queued_tasks, worker

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=10)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LISTEN/NOTIFY, and a test database other processes can open",
)


@pytest.fixture(autouse=True)
def _database_tasks(database_tasks):
    sample_tasks.runs.clear()


def stored(result):
    return DBTaskResult.objects.get(id=result.id)


def make_due(result):
    DBTaskResult.objects.filter(id=result.id).update(run_after=timezone.now())


def test_a_task_failing_for_a_transient_reason_runs_again_after_a_wait():
    result = sample_tasks.flaky.enqueue("a", failures=1)
    run_queued_tasks()
    first = stored(result)
    assert first.status == TaskResultStatus.READY
    assert first.run_after > timezone.now() + datetime.timedelta(seconds=5)
    assert first.exception_class_path == "django.db.utils.OperationalError"

    make_due(result)
    run_queued_tasks()
    done = stored(result)
    assert (done.status, done.return_value) == (TaskResultStatus.SUCCESSFUL, "done")
    assert len(done.worker_ids) == 2


def test_transient_failures_stop_after_the_attempts(settings):
    settings.OPSTART_TASK_RETRY = {**settings.OPSTART_TASK_RETRY, "attempts": 2}
    result = sample_tasks.flaky.enqueue("b", failures=5)
    run_queued_tasks()
    make_due(result)
    run_queued_tasks()
    assert stored(result).status == TaskResultStatus.FAILED
    assert sample_tasks.runs["b"] == 2


def test_a_fault_in_a_task_fails_it_at_once_with_its_traceback():
    result = sample_tasks.faulty.enqueue()
    run_queued_tasks()
    failed = stored(result)
    assert failed.status == TaskResultStatus.FAILED
    assert "a fault in the task" in failed.traceback


def test_a_result_the_database_could_not_take_is_saved_when_it_answers_again(monkeypatch):
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    save = DBTaskResult.set_successful
    calls = []

    def once_lost(self, value):
        calls.append(value)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return save(self, value)

    monkeypatch.setattr(DBTaskResult, "set_successful", once_lost)
    result = sample_tasks.slow.enqueue(0)
    run_queued_tasks()
    assert stored(result).status == TaskResultStatus.SUCCESSFUL
    assert len(calls) == 2


def claimed_by(result, worker_ids, started):
    row = stored(result)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = worker_ids
    row.started_at = started
    row.save()


def beat(process_id, seen):
    Heartbeat.objects.create(
        process_id=process_id, kind=Heartbeat.Kind.WORKER, host="a", pid=1, seen_at=seen
    )


def test_a_task_of_a_worker_that_stopped_beating_is_picked_up_again():
    result = sample_tasks.slow.enqueue(0)
    claimed_by(result, ["killed"], timezone.now() - LONG_AGO)
    beat("killed", timezone.now() - LONG_AGO)

    assert reclaim_abandoned() == [str(result.id)]
    run_queued_tasks()
    done = stored(result)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids == ["killed", "test-worker"]


def test_a_task_of_a_worker_still_beating_is_left_running():
    result = sample_tasks.slow.enqueue(0)
    claimed_by(result, ["busy"], timezone.now() - LONG_AGO)
    beat("busy", timezone.now())
    assert reclaim_abandoned() == []


def test_a_task_just_claimed_is_left_to_its_worker_until_it_has_had_time_to_beat():
    result = sample_tasks.slow.enqueue(0)
    claimed_by(result, ["starting"], timezone.now())
    assert reclaim_abandoned() == []


def test_a_task_that_keeps_killing_its_worker_fails_after_the_attempts():
    result = sample_tasks.slow.enqueue(0)
    claimed_by(result, ["w1", "w2", "w3", "w4", "w5"], timezone.now() - LONG_AGO)
    reclaim_abandoned()
    failed = stored(result)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path.endswith(AbandonedTask.__name__)


def test_a_worker_beats_while_it_runs_and_says_goodbye_when_it_stops():
    heartbeat = HeartbeatThread("w", Heartbeat.Kind.WORKER)
    heartbeat.beat()
    heartbeat.beat()
    assert Heartbeat.objects.get().process_id == "w"
    heartbeat.stop()
    assert not Heartbeat.objects.exists()


def test_an_idle_worker_sleeps_until_the_next_deferred_task_is_due(monkeypatch):
    idle = worker()
    idle.interval, idle.max_idle = 5, 60
    waits = []
    monkeypatch.setattr(idle.listener, "wait", waits.append)
    sample_tasks.slow.using(run_after=timezone.now() + datetime.timedelta(seconds=30)).enqueue(0)
    idle.wait_for_work()
    if connection.vendor == "postgresql":
        assert 25 < waits[0] <= 30  # a new task would wake it before
    else:
        assert waits == [5]  # SQLite cannot notify: it looks every --interval


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_queued_task_wakes_a_listening_worker_at_once():
    listener = Listener()
    woken = []
    waiting = threading.Thread(target=lambda: woken.append(listener.wait(10)))
    waiting.start()
    time.sleep(0.5)
    started = time.monotonic()
    sample_tasks.slow.enqueue(0)
    waiting.join(10)
    listener.close()
    assert woken == [True]
    assert time.monotonic() - started < 2


def start_worker(database_url):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "DATABASE_URL": database_url,
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_HEARTBEAT_TIMEOUT_SECONDS": "3",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "-v", "0"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
    )


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_has_its_task_finished_by_another():
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    result = sample_tasks.slow.enqueue(3)
    first = start_worker(url)
    try:
        assert wait_for(lambda: stored(result).status == TaskResultStatus.RUNNING, 60)
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        first.kill()
    second = start_worker(url)
    try:
        assert wait_for(lambda: stored(result).status == TaskResultStatus.SUCCESSFUL, 60)
    finally:
        second.terminate()
        second.wait(10)
    assert len(stored(result).worker_ids) == 2
