"""Operators (superusers) find failed e-mail and tasks in the admin and start them
again; nobody else sees these screens, and nobody edits the records."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.operations.models import OutgoingMail
from tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def failed_mail():
    return OutgoingMail.objects.create(
        status=OutgoingMail.Status.FAILED,
        address="gone@example.dk",
        subject="Påmindelse",
        content={"body": "Log ind"},
        message_id="<1@x>",
        attempts=1,
        last_error="SMTPRecipientsRefused: 550 No such user",
    )


@pytest.fixture
def failed_task():
    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="cms.operations.tasks.prune_sessions",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        worker_ids=["w1"],
        traceback="OperationalError: the database went away",
    )


def test_an_operator_finds_a_failed_email_and_sends_it_again(client, operator, failed_mail):
    index = client.get(reverse("outgoing_mail:index"), {"status": "failed"})
    assert index.status_code == 200 and "Påmindelse" in index.content.decode()
    page = client.get(reverse("outgoing_mail:inspect", args=[failed_mail.pk]))
    assert "550 No such user" in page.content.decode()
    again = reverse("outgoing_mail:again", args=[failed_mail.pk])
    assert again in page.content.decode()

    assert client.post(again).status_code == 302
    failed_mail.refresh_from_db()
    assert failed_mail.status == OutgoingMail.Status.SENT  # tests run the task at once


def test_an_operator_runs_a_failed_task_again(client, operator, failed_task):
    page = client.get(reverse("background_tasks:inspect", args=[failed_task.pk]))
    assert "the database went away" in page.content.decode()
    assert client.post(reverse("background_tasks:again", args=[failed_task.pk])).status_code == 302
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.READY and failed_task.worker_ids == []


def test_what_did_not_fail_cannot_be_started_again(client, operator, failed_mail):
    OutgoingMail.objects.filter(pk=failed_mail.pk).update(status=OutgoingMail.Status.SENT)
    assert client.post(reverse("outgoing_mail:again", args=[failed_mail.pk])).status_code == 404


def test_the_records_cannot_be_edited_or_deleted_even_by_an_operator(client, operator, failed_mail):
    assert client.get(reverse("outgoing_mail:edit", args=[failed_mail.pk])).status_code == 302
    assert client.get(reverse("outgoing_mail:delete", args=[failed_mail.pk])).status_code == 302
    failed_mail.refresh_from_db()


def test_staff_of_a_municipality_see_no_operations(client, failed_mail):
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("outgoing_mail:index")).status_code == 302
    client.post(reverse("outgoing_mail:again", args=[failed_mail.pk]))
    failed_mail.refresh_from_db()
    assert failed_mail.status == OutgoingMail.Status.FAILED
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("outgoing_mail:index") not in home


def test_the_email_list_costs_the_same_queries_for_one_row_or_many(
    client, operator, failed_mail, django_assert_max_num_queries
):
    client.get(reverse("outgoing_mail:index"))  # warm the admin's own caches
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("outgoing_mail:index"))
    for number in range(5):
        OutgoingMail.objects.create(
            recipient=UserFactory(), subject="Hej", message_id=f"<more-{number}@x>"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("outgoing_mail:index"))
