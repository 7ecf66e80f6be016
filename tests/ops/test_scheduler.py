"""The scheduler queues each periodic job once per moment of its schedule, however many
schedulers run; the jobs publish scheduled pages and prune what is past its age."""

import datetime

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.core import checks
from django.db import IntegrityError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from cms.models import ContentPage
from cms.operations import scheduler, tasks
from cms.operations.models import Heartbeat, OutgoingMail, ScheduledRun

pytestmark = pytest.mark.django_db

COPENHAGEN = datetime.timezone(datetime.timedelta(hours=1))  # winter time


def at(hour, minute=0, day=10):
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=COPENHAGEN)


@pytest.fixture
def schedule(settings, database_tasks):
    settings.OPSTART_SCHEDULE = {
        "nightly": {"task": "cms.operations.tasks.prune_sessions", "cron": "0 3 * * *"},
        "often": {"task": "cms.operations.tasks.requeue_stalled_mail", "cron": "*/5 * * * *"},
    }


def runs(job):
    return list(ScheduledRun.objects.filter(job=job).values_list("slot", flat=True))


def test_each_job_is_queued_once_for_each_moment_of_its_schedule(schedule):
    assert {run.job for run in scheduler.run_due(at(3, 2))} == {"nightly", "often"}
    assert scheduler.run_due(at(3, 4)) == []  # same moments: nothing more
    assert [run.job for run in scheduler.run_due(at(3, 5))] == ["often"]
    assert runs("nightly") == [at(3)]
    assert sorted(runs("often")) == [at(3), at(3, 5)]
    paths = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(paths) == sorted(
        [tasks.prune_sessions.module_path] + [tasks.requeue_stalled_mail.module_path] * 2
    )


def test_a_second_scheduler_queues_nothing_for_a_moment_already_taken(schedule, monkeypatch):
    scheduler.run_due(at(3, 2))
    # The other scheduler looked before this one had written its run, and then inserts.
    monkeypatch.setattr(
        "django.db.models.query.QuerySet.exists", lambda queryset: False, raising=True
    )
    assert scheduler.run_due(at(3, 3)) == []
    assert DBTaskResult.objects.count() == 2
    with pytest.raises(IntegrityError):
        ScheduledRun.objects.create(job="nightly", slot=at(3))


def test_a_night_missed_while_no_scheduler_ran_is_made_up_once(schedule):
    scheduler.run_due(at(3, 1, day=7))
    # No scheduler ran from the 7th at 03:01 until the 10th at 09:00.
    made_up = [run for run in scheduler.run_due(at(9, day=10)) if run.job == "nightly"]
    assert [run.slot for run in made_up] == [at(3, day=10)]
    assert runs("nightly") == [at(3, day=10), at(3, day=7)]


def test_the_scheduler_sleeps_until_the_next_moment_but_never_long(schedule):
    assert scheduler.seconds_to_next(at(3, 4) + datetime.timedelta(seconds=59)) == 1
    assert scheduler.seconds_to_next(at(3, 2)) == 60  # three minutes away: looks again sooner


def test_the_schedule_names_tasks_and_times_that_exist(settings):
    assert [m for m in checks.run_checks() if m.id.startswith("operations.")] == []
    nightly = {job.name: job for job in scheduler.jobs()}
    for name in ("enforce-retention", "prune-sessions", "prune-task-results", "prune-login-logs"):
        assert nightly[name].latest_slot(at(12)).date() == at(12).date()
    assert nightly["publish-scheduled-pages"].cron == "* * * * *"

    settings.OPSTART_SCHEDULE = {"broken": {"task": "no.such.task", "cron": "every night"}}
    assert {m.id for m in checks.run_checks()} >= {"operations.E001", "operations.E002"}


def test_scheduled_pages_go_live_through_the_job(home_page):
    page = home_page.add_child(
        instance=ContentPage(
            title="Nyhed", slug="nyhed", body="<p>Nyt</p>", live=False, has_unpublished_changes=True
        )
    )
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    tasks.publish_scheduled_pages.call()
    assert Page.objects.get(pk=page.pk).live


def test_old_sessions_and_task_results_are_pruned_failed_ones_kept_longer():
    DjangoSession.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - datetime.timedelta(days=1)
    )
    tasks.prune_sessions.call()
    assert not DjangoSession.objects.exists()

    def result(status, days_ago):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="x",
            backend_name="default",
            run_after=timezone.now(),
            finished_at=timezone.now() - datetime.timedelta(days=days_ago),
        )

    kept = [result(TaskResultStatus.SUCCESSFUL, 2), result(TaskResultStatus.FAILED, 20)]
    result(TaskResultStatus.SUCCESSFUL, 8)
    result(TaskResultStatus.FAILED, 31)
    assert tasks.prune_task_results.call() == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {r.pk for r in kept}


def test_login_logs_are_pruned_after_thirty_days():
    from axes.models import AccessFailureLog, AccessLog

    old = timezone.now() - datetime.timedelta(days=31)
    AccessLog.objects.create(username="a", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.create(username="b", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(username="b").update(attempt_time=old)
    AccessFailureLog.objects.create(username="c", ip_address="10.0.0.1", user_agent="x")
    AccessFailureLog.objects.update(attempt_time=old)
    assert tasks.prune_login_logs.call() == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["a"]


def test_old_records_of_operations_are_pruned_but_failed_mail_waits_for_an_operator():
    old = timezone.now() - datetime.timedelta(days=40)
    for number, status in enumerate(OutgoingMail.Status.values):
        OutgoingMail.objects.create(
            status=status, address="a@example.dk", subject="Hej", message_id=f"<{number}@x>"
        )
    OutgoingMail.objects.update(created_at=old)
    ScheduledRun.objects.create(job="nightly", slot=old)
    Heartbeat.objects.create(process_id="gone", kind="worker", host="a", pid=1, seen_at=old)
    assert tasks.prune_operations_records.call() == {
        "mail": 2,
        "scheduled_runs": 1,
        "heartbeats": 1,
    }
    assert sorted(OutgoingMail.objects.values_list("status", flat=True)) == ["failed", "pending"]
