"""Feedback and sharing notify people without carrying any content."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from logbook import services
from logbook.models import ShareDigest
from logbook.tasks import send_share_digest
from tests.factories import CohortFactory, SupervisorFactory
from tests.logbook.factories import LogbookEntryFactory
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def entry(family, exercise, mette):
    entry = LogbookEntryFactory(
        family=family, exercise=exercise, author=mette, answers={"prompt_0": "Emil græd"}
    )
    entry.share()
    return entry


def all_mail_text():
    return " ".join(f"{m.subject} {m.body}" for m in mail.outbox)


def test_feedback_notifies_the_writer_without_content(entry, mette):
    services.give_feedback(entry, SupervisorFactory(), "Meget fin iagttagelse af Emil")
    assert [m.to for m in mail.outbox] == [[mette.email]]
    text = all_mail_text()
    for secret in ("Emil", "iagttagelse", "Familien Hansen", entry.exercise.title):
        assert secret not in text
    assert "/log-ind/" in text


def test_feedback_on_a_joint_entry_notifies_both_parents(entry, mette, lars):
    entry.is_joint = True
    entry.save()
    services.give_feedback(entry, SupervisorFactory(), "Godt")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mette.email, lars.email])


def test_empty_or_unchanged_feedback_notifies_nobody(entry):
    consultant = SupervisorFactory()
    services.give_feedback(entry, consultant, "   ")
    assert mail.outbox == []
    services.give_feedback(entry, consultant, "Godt")
    services.give_feedback(entry, consultant, "Godt")
    assert len(mail.outbox) == 1


def test_feedback_mail_follows_the_recipients_language(entry, mette):
    mette.language = "en"
    mette.save()
    services.give_feedback(entry, SupervisorFactory(), "Godt")
    assert mail.outbox[0].subject == "New feedback in Opstart"


@override_settings(TASKS=DB_TASKS, OPSTART_SHARE_DIGEST_DELAY=datetime.timedelta(0))
def test_many_shares_make_one_digest_sent_exactly_once(
    family, module, exercise, mette, django_capture_on_commit_callbacks
):
    from tests.logbook.factories import ReflectionExerciseFactory

    consultant = SupervisorFactory(municipality=family.municipality)
    cohort = CohortFactory(municipality=family.municipality, families=[family])
    cohort.supervisors.add(consultant)
    cohort.save()
    entries = [
        LogbookEntryFactory(family=family, exercise=ReflectionExerciseFactory(module=module))
        for _ in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for entry in entries:
            services.share_entry(entry)
    assert ShareDigest.objects.count() == 1
    queued = DBTaskResult.objects.filter(task_path=send_share_digest.module_path)
    assert [result.args_kwargs["args"] for result in queued] == [[consultant.pk]]
    # The worker may run a task twice (a restart before it was marked done): one e-mail.
    assert send_share_digest.call(consultant.pk) == 3
    assert send_share_digest.call(consultant.pk) == 0
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[consultant.email]]
    assert "3" in mail.outbox[0].body
    assert "Familien Hansen" not in all_mail_text()
    assert not ShareDigest.objects.exists()


def test_sharing_twice_queues_nothing_more(entry):
    services.share_entry(entry)
    assert not ShareDigest.objects.exists()
