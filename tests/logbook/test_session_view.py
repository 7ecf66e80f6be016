"""The supervisor's view of one session: shared entries grouped by family, feedback per entry."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import AccessLog
from logbook import availability
from logbook.models import Timing
from tests.factories import FosterFamilyFactory, FosterParentFactory, SupervisorFactory
from tests.logbook.factories import (
    LogbookEntryFactory,
    ObservationExerciseFactory,
    ReflectionExerciseFactory,
)
from tests.supervision.factories import ModuleSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(client, family):
    consultant = SupervisorFactory(municipality=family.municipality)
    client.force_login(consultant)
    return consultant


def add_families(session, exercises, count):
    for _ in range(count):
        family = FosterFamilyFactory(municipality=session.municipality)
        parent = FosterParentFactory(municipality=session.municipality)
        family.parents.add(parent)
        family.save()
        session.families.add(family)
        for exercise in exercises:
            LogbookEntryFactory(family=family, exercise=exercise, author=parent).share()


def test_session_view_groups_shared_entries_by_family(
    client, consultant, module_session, exercise, family, mette
):
    entry = LogbookEntryFactory(family=family, exercise=exercise, author=mette)
    entry.share()
    url = reverse("logbook_session_entries", args=[module_session.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["groups"][0][0] == family
    assert "Det gik godt" in response.content.decode()
    assert AccessLog.objects.count() == 1


def test_session_view_has_fixed_queries_with_30_families(client, consultant, module_session):
    exercises = [
        ReflectionExerciseFactory(module=module_session.module),
        ObservationExerciseFactory(module=module_session.module, timing=Timing.AFTER),
    ]
    url = reverse("logbook_session_entries", args=[module_session.pk])
    add_families(module_session, exercises, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_families(module_session, exercises, 28)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["groups"]) == 31
    assert len(many) == len(few) <= 30
    assert AccessLog.objects.filter(user=consultant).count() == 4 + 4 + 60  # one per entry read


def test_another_municipality_gets_404_for_the_session(client, module_session):
    client.force_login(SupervisorFactory())
    url = reverse("logbook_session_entries", args=[module_session.pk])
    assert client.get(url).status_code == 404


def test_consultant_opens_after_exercises_by_hand(client, consultant, module_session, family):
    after = ObservationExerciseFactory(module=module_session.module, timing=Timing.AFTER)
    assert not availability.is_open_for(family, after, module_session)
    url = reverse("logbook_open_after_exercises", args=[module_session.pk, family.pk])
    assert client.post(url).status_code == 302
    assert availability.is_open_for(family, after, module_session)


def test_cannot_open_exercises_for_a_family_outside_the_session(client, consultant, module_session):
    stranger = FosterFamilyFactory(municipality=module_session.municipality)
    url = reverse("logbook_open_after_exercises", args=[module_session.pk, stranger.pk])
    assert client.post(url).status_code == 404


def test_feedback_from_the_session_view_returns_there(
    client, consultant, module_session, exercise, family, mette
):
    entry = LogbookEntryFactory(family=family, exercise=exercise, author=mette)
    entry.share()
    back = reverse("logbook_session_entries", args=[module_session.pk])
    response = client.post(
        reverse("logbook_feedback", args=[entry.pk]), {"text": "Fint", "next": back}
    )
    assert response.url == f"{back}#entry-{entry.pk}"


def test_session_view_shows_only_the_entries_written_for_that_session(
    client, consultant, module_session, exercise, family, mette
):
    earlier = ModuleSessionFactory(
        municipality=family.municipality,
        module=module_session.module,
        start=module_session.start - datetime.timedelta(days=30),
        families=[family],
    )
    LogbookEntryFactory(
        family=family, exercise=exercise, session=earlier, author=mette, answers={"prompt_0": "Før"}
    ).share()
    LogbookEntryFactory(
        family=family,
        exercise=exercise,
        session=module_session,
        author=mette,
        answers={"prompt_0": "Nu"},
    ).share()
    body = client.get(reverse("logbook_session_entries", args=[module_session.pk])).content
    assert "Nu" in body.decode() and "Før" not in body.decode()
    body = client.get(reverse("logbook_session_entries", args=[earlier.pk])).content.decode()
    assert "Før" in body and ">Nu<" not in body
