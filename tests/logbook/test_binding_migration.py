"""Migration logbook 0007 binds the entries written before sessions to a session."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from logbook.models import LogbookEntry, Timing
from supervision.models import Attendance
from tests.logbook.factories import (
    LogbookEntryFactory,
    ObservationExerciseFactory,
    ReflectionExerciseFactory,
)
from tests.supervision.factories import ModuleSessionFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("logbook.migrations.0007_entries_per_session")

NOW = timezone.now()


def days(n):
    return NOW + datetime.timedelta(days=n)


def session_on(module, family, n, **kwargs):
    return ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=days(n),
        families=[family],
        **kwargs,
    )


def old_entry(family, exercise, author, created_days, joint=False):
    entry = LogbookEntryFactory(
        family=family, exercise=exercise, author=author, session=None, is_joint=joint
    )
    LogbookEntry.objects.filter(pk=entry.pk).update(created_at=days(created_days))
    return entry


def bound(entry):
    entry.refresh_from_db()
    return entry.session_id


def test_a_before_entry_goes_to_the_first_session_after_it_was_written(module, family, mette):
    exercise = ReflectionExerciseFactory(module=module, timing=Timing.BEFORE)
    session_on(module, family, -30)
    cancelled = session_on(module, family, 2, cancelled_at=NOW)
    next_one = session_on(module, family, 5)
    session_on(module, family, 40)
    entry = old_entry(family, exercise, mette, 0)
    migration.bind_to_sessions(apps, None)
    assert bound(entry) == next_one.pk != cancelled.pk


def test_a_before_entry_with_no_later_session_goes_to_the_latest_before(module, family, mette):
    exercise = ReflectionExerciseFactory(module=module, timing=Timing.BEFORE)
    session_on(module, family, -30)
    latest = session_on(module, family, -3)
    entry = old_entry(family, exercise, mette, 0)
    migration.bind_to_sessions(apps, None)
    assert bound(entry) == latest.pk


def test_an_after_entry_goes_to_the_latest_session_its_writer_attended(module, family, mette, lars):
    exercise = ObservationExerciseFactory(module=module, timing=Timing.AFTER)
    attended = session_on(module, family, -20)
    missed = session_on(module, family, -10)
    session_on(module, family, 10)
    Attendance.objects.create(session=attended, parent=mette, present=True)
    Attendance.objects.create(session=missed, parent=mette, present=False)
    Attendance.objects.create(session=missed, parent=lars, present=True)
    own = old_entry(family, exercise, mette, -1)
    joint = old_entry(family, exercise, mette, -1, joint=True)
    migration.bind_to_sessions(apps, None)
    assert bound(own) == attended.pk
    assert bound(joint) == missed.pk  # either parent's presence


def test_an_entry_no_session_matches_keeps_no_session(module, family, mette, make_module):
    exercise = ReflectionExerciseFactory(module=module)
    session_on(make_module(number=8), family, 3)  # another topic
    entry = old_entry(family, exercise, mette, 0)
    migration.bind_to_sessions(apps, None)
    assert bound(entry) is None


def test_binding_twice_changes_nothing(module, family, mette):
    exercise = ReflectionExerciseFactory(module=module)
    session = session_on(module, family, 3)
    entry = old_entry(family, exercise, mette, 0)
    migration.bind_to_sessions(apps, None)
    session_on(module, family, 1)
    migration.bind_to_sessions(apps, None)
    assert bound(entry) == session.pk
