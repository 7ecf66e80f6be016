"""Logbooks are deleted the policy's months after the family's last course ended."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.operations import scheduler
from logbook.models import Feedback, LogbookEntry
from logbook.retention import apply_retention, retention_reports
from logbook.tasks import enforce_retention
from supervision.models import Attendance, ModuleCompletion, StartupCourse
from tests.factories import CoordinatorFactory, MunicipalityFactory, SupervisorFactory
from tests.supervision.factories import CoursePolicyFactory, RegisteredPlacementFactory

pytestmark = pytest.mark.django_db

# The fixtures' courses start 1 March 2026; the first year ends 1 March 2027.
FINISH = datetime.date(2027, 3, 1)


def entries_left(family):
    return LogbookEntry.objects.filter(family=family).count()


@pytest.fixture
def policy(vejle):
    return CoursePolicyFactory(municipality=vejle, logbook_retention_months=12)


def test_the_default_retention_is_twelve_months(vejle):
    [report] = retention_reports(today=FINISH)
    assert report.months == 12


def test_nothing_is_deleted_before_the_months_have_passed(family, policy):
    apply_retention(today=datetime.date(2028, 2, 29))
    assert entries_left(family) == 3


def test_an_unfinished_course_counts_from_its_finish_deadline(family, neighbours, policy):
    apply_retention(today=datetime.date(2028, 3, 1))
    assert entries_left(family) == 0 == entries_left(neighbours)
    assert not Feedback.objects.exists()


def test_a_completed_course_counts_from_its_completion(family, neighbours, policy, module):
    # Hansens completed their only planned module in June 2026 and had the training days.
    policy.required_training_days = 1
    policy.save()
    ModuleCompletion.objects.filter(family=family).update(
        completed_at=datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
    )
    ModuleCompletion.objects.filter(family=neighbours).delete()
    apply_retention(today=datetime.date(2027, 6, 15))
    assert entries_left(family) == 0
    assert entries_left(neighbours) == 3  # not completed: its clock starts 1 March 2027


def test_a_new_placement_keeps_the_logbook_while_its_course_runs(family, policy):
    RegisteredPlacementFactory(family=family, start_date=datetime.date(2027, 9, 1))
    apply_retention(today=datetime.date(2028, 3, 1))
    assert entries_left(family) == 3


def test_each_municipality_uses_its_own_months(family, neighbours, vejle):
    CoursePolicyFactory(municipality=vejle, logbook_retention_months=24)
    apply_retention(today=datetime.date(2028, 3, 1))
    assert entries_left(family) == 3
    apply_retention(today=datetime.date(2029, 3, 1))
    assert entries_left(family) == 0


def test_retention_keeps_attendance_and_completions(family, policy):
    attendance = Attendance.objects.count()
    completions = ModuleCompletion.objects.count()
    apply_retention(today=datetime.date(2028, 3, 1))
    assert (Attendance.objects.count(), ModuleCompletion.objects.count()) == (
        attendance,
        completions,
    )


def test_the_dry_run_counts_and_deletes_nothing(family, neighbours, policy):
    [report] = retention_reports(today=datetime.date(2028, 3, 1))
    assert (report.families, report.entries, report.feedback) == (2, 6, 2)
    assert entries_left(family) == 3


def test_a_second_run_deletes_nothing_more(family, policy):
    first = apply_retention(today=datetime.date(2028, 3, 1))
    second = apply_retention(today=datetime.date(2028, 3, 1))
    assert [r.entries for r in first] == [3] and [r.entries for r in second] == [0]


def test_the_command_dry_run_prints_counts_only(family, policy, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Vejle Kommune" in out and "would be deleted" in out and "nothing was deleted" in out
    assert "Hansen" not in out
    assert entries_left(family) == 3


def test_the_task_deletes_and_is_idempotent(family, policy):
    # The task runs today: move the course's first year into the past.
    StartupCourse.objects.filter(placement__family=family).update(
        finish_deadline=datetime.date(2020, 1, 1)
    )
    assert enforce_retention.enqueue().return_value == {"vejle": 3}
    assert enforce_retention.enqueue().return_value == {"vejle": 0}
    assert entries_left(family) == 0


def test_retention_runs_every_night_at_three_from_the_schedule():
    [job] = [job for job in scheduler.jobs() if job.task is enforce_retention]
    now = datetime.datetime(2027, 5, 10, 14, tzinfo=datetime.UTC)
    assert job.next_slot(now).isoformat() == "2027-05-11T03:00:00+02:00"


def test_the_coordinator_sees_the_dry_run_of_the_own_municipality(client, family, policy):
    MunicipalityFactory(name="Odense Kommune", slug="odense")
    client.force_login(CoordinatorFactory(municipality=family.municipality))
    response = client.get(reverse("logbook_retention"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vejle Kommune" in page and "Odense Kommune" not in page
    assert "Hansen" not in page
    assert entries_left(family) == 3


def test_supervisors_do_not_see_the_retention_report(client, family):
    client.force_login(SupervisorFactory(municipality=family.municipality))
    assert client.get(reverse("logbook_retention")).status_code in (302, 403)
