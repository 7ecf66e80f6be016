"""Before-exercises open when the session is planned; after-exercises when attended."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from logbook import availability
from logbook.models import ExerciseOpening, Timing
from supervision.services import record_attendance
from tests.factories import CohortFactory, FosterFamilyFactory
from tests.logbook.factories import (
    LogbookEntryFactory,
    ObservationExerciseFactory,
    ReflectionExerciseFactory,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    ModuleSessionFactory,
    QuarterFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def state_of(family, exercise):
    return next(
        s for s in availability.family_exercise_states(family) if s.exercise.pk == exercise.pk
    )


def test_before_exercise_is_closed_until_a_session_is_planned(module, family, client, mette):
    exercise = ReflectionExerciseFactory(module=module, timing=Timing.BEFORE)
    assert not availability.is_open_for(family, exercise)
    client.force_login(mette)
    url = reverse("logbook:entry", args=[family.pk, exercise.pk])
    assert client.get(url).status_code == 403
    ModuleSessionFactory(municipality=family.municipality, module=module, families=[family])
    assert availability.is_open_for(family, exercise)
    assert client.get(url).status_code == 200


def test_after_exercise_opens_for_attendees_only(module, module_session, family, mette):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    absent_family = FosterFamilyFactory(municipality=family.municipality)
    module_session.families.add(absent_family)
    assert not availability.is_open_for(family, after)
    record_attendance(module_session, {mette: True})
    assert availability.is_open_for(family, after)
    assert not availability.is_open_for(absent_family, after)


def test_absent_parent_does_not_open_the_after_exercise(module, module_session, family, mette):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    record_attendance(module_session, {mette: False})
    assert not availability.is_open_for(family, after)


def test_consultant_can_open_an_after_exercise_by_hand(module, family):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    ExerciseOpening.objects.create(family=family, exercise=after)
    assert availability.is_open_for(family, after)


def test_group_supervision_theme_opens_theme_exercises(family):
    theme = ThemeFactory(name="Mentalisering", slug="mentalisering")
    exercise = ReflectionExerciseFactory(theme=theme, timing=Timing.BEFORE)
    cohort = CohortFactory(municipality=family.municipality, families=[family])
    GroupSupervisionFactory(
        cohort=cohort,
        quarter=QuarterFactory(cohort=cohort, number=4, theme=theme),
        start=timezone.now() + datetime.timedelta(days=3),
    )
    assert availability.is_open_for(family, exercise)


def test_to_do_lists_open_exercises_without_an_entry_soonest_first(module, family, mette):
    soon = timezone.now() + datetime.timedelta(days=2)
    ModuleSessionFactory(
        municipality=family.municipality, module=module, start=soon, families=[family]
    )
    first = ReflectionExerciseFactory(module=module, title="Før mødet")
    done = ReflectionExerciseFactory(module=module, title="Allerede skrevet")
    LogbookEntryFactory(family=family, exercise=done, author=mette)
    due = availability.to_do(availability.family_exercise_states(family))
    assert [state.exercise for state in due] == [first]
    assert due[0].due_session.start == soon


def test_logbook_page_shows_to_do_and_waiting_exercises(client, module, family, mette):
    ReflectionExerciseFactory(module=module, title="Skriv før", timing=Timing.BEFORE)
    ObservationExerciseFactory(module=module, title="Skriv efter", timing=Timing.AFTER)
    ModuleSessionFactory(municipality=family.municipality, module=module, families=[family])
    client.force_login(mette)
    body = client.get(reverse("logbook:index")).content.decode()
    assert "Skriv før" in body
    assert "Skriv efter" in body
    assert (
        reverse("logbook:entry", args=[family.pk, module.exercises.get(title="Skriv før").pk])
        in body
    )
    assert "Åbner efter mødet" in body
