"""Before-exercises open when the session is planned; after-exercises when attended."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logbook import availability
from logbook.models import ExerciseOpening, Timing
from supervision.models import Attendance
from supervision.services import record_attendance
from tests.factories import CohortFactory, FosterFamilyFactory
from tests.logbook.factories import (
    LogbookEntryFactory,
    ObservationExerciseFactory,
    ReflectionExerciseFactory,
    entry_url,
)
from tests.supervision.factories import (
    GroupSupervisionFactory,
    ModuleSessionFactory,
    QuarterFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def state_of(family, exercise, parent=None):
    return next(
        s
        for s in availability.family_exercise_states(family, parent)
        if s.exercise.pk == exercise.pk
    )


def test_before_exercise_is_closed_until_a_session_is_planned(module, family, client, mette):
    exercise = ReflectionExerciseFactory(module=module, timing=Timing.BEFORE)
    assert availability.session_to_write(family, exercise) is None
    client.force_login(mette)
    assert client.get(entry_url(family, exercise)).url == reverse("logbook:index")
    session = ModuleSessionFactory(
        municipality=family.municipality, module=module, families=[family]
    )
    assert availability.is_open_for(family, exercise, session)
    assert client.get(entry_url(family, exercise, session)).status_code == 200


@pytest.fixture
def held_session(module, family):
    """The module's session for the family, held this morning."""
    start = timezone.now() - datetime.timedelta(hours=3)
    return ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=start,
        end=start + datetime.timedelta(hours=2),
        families=[family],
    )


def test_after_exercise_opens_for_attendees_only(module, held_session, family, mette):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    absent_family = FosterFamilyFactory(municipality=family.municipality)
    held_session.families.add(absent_family)
    assert not availability.is_open_for(family, after, held_session, mette)
    record_attendance(held_session, {mette: True})
    assert availability.is_open_for(family, after, held_session, mette)
    assert not availability.is_open_for(absent_family, after, held_session)


def test_absent_parent_does_not_open_the_after_exercise(module, held_session, family, mette):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    record_attendance(held_session, {mette: False})
    assert not availability.is_open_for(family, after, held_session, mette)
    assert not availability.is_open_for(family, after, held_session)


def test_a_parent_recorded_absent_writes_only_in_the_joint_entry(
    client, module, held_session, family, mette, lars
):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    record_attendance(held_session, {mette: True, lars: False})
    assert availability.is_open_for(family, after, held_session, mette)
    assert not availability.is_open_for(family, after, held_session, lars)
    assert availability.is_open_for(family, after, held_session)  # the joint entry
    own = entry_url(family, after, held_session)
    client.force_login(lars)
    closed = client.get(own)
    assert closed.status_code == 403
    assert closed.context["joint_open"]
    assert client.post(own, {"answer_situation": "Jeg var der ikke"}).status_code == 403
    assert client.get(own, {"joint": "1"}).status_code == 200
    state = state_of(family, after, lars)
    assert (state.is_open, state.joint_open, state.is_due) == (False, True, True)


def test_attendance_stored_before_the_session_began_opens_nothing(
    module, module_session, family, mette
):
    """Rows recorded early, before the rule refused them, do not open after-exercises."""
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    Attendance.objects.create(session=module_session, parent=mette, present=True)
    assert not availability.is_open_for(family, after, module_session, mette)
    assert not state_of(family, after, mette).is_open


def test_exercise_states_cost_the_same_queries_for_many_sessions_and_parents(
    django_assert_num_queries, module, family, mette, lars
):
    def held(days_ago):
        start = timezone.now() - datetime.timedelta(days=days_ago)
        session = ModuleSessionFactory(
            municipality=family.municipality, module=module, start=start, families=[family]
        )
        Attendance.objects.create(session=session, parent=mette, present=True)
        Attendance.objects.create(session=session, parent=lars, present=False)
        ObservationExerciseFactory(module=module, timing=Timing.AFTER)

    held(1)
    with CaptureQueriesContext(connection) as few:
        availability.family_exercise_states(family, mette)
    for days_ago in range(2, 7):
        held(days_ago)
    ReflectionExerciseFactory(module=module, timing=Timing.BEFORE)
    with django_assert_num_queries(len(few) + 1):  # one more exercise kind to load
        states = availability.family_exercise_states(family, lars)
    assert [state.is_open for state in states].count(True) == 1  # the before-exercise
    assert all(state.joint_open for state in states)


def test_consultant_opens_an_after_exercise_by_hand_for_one_session(module, family, held_session):
    after = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    other = ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=held_session.start - datetime.timedelta(days=30),
        families=[family],
    )
    ExerciseOpening.objects.create(family=family, exercise=after, session=held_session)
    assert availability.is_open_for(family, after, held_session)
    assert not availability.is_open_for(family, after, other)


def test_group_supervision_theme_opens_theme_exercises(family):
    theme = ThemeFactory(name="Mentalisering", slug="mentalisering")
    exercise = ReflectionExerciseFactory(theme=theme, timing=Timing.BEFORE)
    cohort = CohortFactory(municipality=family.municipality, families=[family])
    session = GroupSupervisionFactory(
        cohort=cohort,
        quarter=QuarterFactory(cohort=cohort, number=4, theme=theme),
        start=timezone.now() + datetime.timedelta(days=3),
    )
    assert availability.is_open_for(family, exercise, session)


def test_to_do_lists_open_exercises_without_an_entry_soonest_first(module, family, mette):
    soon = timezone.now() + datetime.timedelta(days=2)
    later = ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=soon + datetime.timedelta(days=14),
        families=[family],
    )
    session = ModuleSessionFactory(
        municipality=family.municipality, module=module, start=soon, families=[family]
    )
    first = ReflectionExerciseFactory(module=module, title="Før mødet")
    done = ReflectionExerciseFactory(module=module, title="Allerede skrevet")
    LogbookEntryFactory(family=family, exercise=done, session=session, author=mette)
    due = availability.to_do(availability.family_exercise_states(family))
    assert [(slot.exercise, slot.session.pk) for slot in due] == [
        (first, session.pk),
        (first, later.pk),
        (done, later.pk),  # written for the first session, due again before the next
    ]
    assert due[0].session.start == soon


def test_logbook_page_shows_to_do_and_waiting_exercises(client, module, family, mette):
    ReflectionExerciseFactory(module=module, title="Skriv før", timing=Timing.BEFORE)
    ObservationExerciseFactory(module=module, title="Skriv efter", timing=Timing.AFTER)
    ModuleSessionFactory(municipality=family.municipality, module=module, families=[family])
    client.force_login(mette)
    body = client.get(reverse("logbook:index")).content.decode()
    assert "Skriv før" in body
    assert "Skriv efter" in body
    assert entry_url(family, module.exercises.get(title="Skriv før")) in body
    assert "Åbner efter mødet" in body
