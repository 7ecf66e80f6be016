"""Supervisors read shared entries (access-logged) and give feedback per entry."""

import pytest
from django.urls import reverse

from cms.models import AccessLog
from logbook.models import Feedback
from tests.factories import CoordinatorFactory, SupervisorFactory, TrainerFactory
from tests.logbook.factories import LogbookEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_entry(family, exercise, mette):
    entry = LogbookEntryFactory(family=family, exercise=exercise, author=mette)
    entry.share()
    return entry


@pytest.fixture
def consultant(client, family):
    consultant = SupervisorFactory(municipality=family.municipality)
    client.force_login(consultant)
    return consultant


def test_consultant_reads_shared_entries_and_each_read_is_logged_once(
    client, shared_entry, consultant
):
    body = client.get(reverse("logbook_shared_entries")).content.decode()
    assert "Det gik godt" in body
    log = AccessLog.objects.get()
    assert (log.user, log.subject, log.family_label) == (
        consultant,
        shared_entry,
        "Familien Hansen",
    )


def test_private_entries_are_not_listed(client, family, exercise, mette, consultant):
    LogbookEntryFactory(family=family, exercise=exercise, author=mette, answers={"x": "hemmelig"})
    body = client.get(reverse("logbook_shared_entries")).content.decode()
    assert "hemmelig" not in body
    assert not AccessLog.objects.exists()


def test_another_municipality_sees_nothing_and_cannot_post_feedback(client, shared_entry):
    client.force_login(SupervisorFactory())
    assert "Det gik godt" not in client.get(reverse("logbook_shared_entries")).content.decode()
    response = client.post(reverse("logbook_feedback", args=[shared_entry.pk]), {"text": "Hej"})
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_trainer_cannot_open_shared_entries(client, shared_entry):
    client.force_login(TrainerFactory(municipality=shared_entry.family.municipality))
    assert client.get(reverse("logbook_shared_entries")).status_code in (302, 403)


def test_feedback_is_saved_per_entry_and_updated(client, shared_entry, consultant):
    url = reverse("logbook_feedback", args=[shared_entry.pk])
    client.post(url, {"text": "Flot observeret"})
    client.post(url, {"text": "Flot observeret, prøv igen i morgen"})
    assert Feedback.objects.get().text == "Flot observeret, prøv igen i morgen"


def test_empty_feedback_removes_it(client, shared_entry, consultant):
    url = reverse("logbook_feedback", args=[shared_entry.pk])
    client.post(url, {"text": "Noget"})
    client.post(url, {"text": "   "})
    assert not Feedback.objects.exists()


def test_too_long_feedback_is_refused_with_a_message(client, shared_entry, consultant):
    response = client.post(
        reverse("logbook_feedback", args=[shared_entry.pk]), {"text": "x" * 5001}, follow=True
    )
    assert not Feedback.objects.exists()
    assert "5000" in response.content.decode().replace(".", "")


def test_family_sees_feedback_on_its_entry(client, shared_entry, consultant, mette):
    client.post(reverse("logbook_feedback", args=[shared_entry.pk]), {"text": "Godt gået"})
    client.force_login(mette)
    url = shared_entry.get_absolute_url()
    assert "Godt gået" in client.get(url).content.decode()


def test_coordinator_sees_the_access_log_of_own_municipality(client, shared_entry, consultant):
    client.get(reverse("logbook_shared_entries"))
    client.force_login(CoordinatorFactory(municipality=shared_entry.family.municipality))
    body = client.get(reverse("access_log:index")).content.decode()
    assert "Familien Hansen" in body
    client.force_login(CoordinatorFactory())
    assert "Familien Hansen" not in client.get(reverse("access_log:index")).content.decode()


def test_access_log_cannot_be_changed():
    from cms.models import AccessLog as Log

    log = Log(pk=1)
    with pytest.raises(ValueError):
        log.save()


def shared_entries_for(municipality, exercises, count):
    from tests.factories import FosterFamilyFactory

    for index in range(count):
        family = FosterFamilyFactory(municipality=municipality)
        exercise = exercises[index % len(exercises)]
        LogbookEntryFactory(family=family, exercise=exercise).share()


def test_shared_entries_page_has_a_fixed_number_of_queries(client, module, family, consultant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.logbook.factories import ObservationExerciseFactory, ReflectionExerciseFactory

    exercises = [
        ReflectionExerciseFactory(module=module),
        ObservationExerciseFactory(module=module),
    ]
    shared_entries_for(family.municipality, exercises, 3)
    client.get(reverse("logbook_shared_entries"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("logbook_shared_entries"))
    shared_entries_for(family.municipality, exercises, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("logbook_shared_entries")).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 30
