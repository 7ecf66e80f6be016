"""A module is completed when its lessons are done and its required exercises written;
the start-up course's status follows."""

import datetime

import pytest

from courses.services import complete_lesson
from logbook import services
from logbook.completion import refresh_module_completion
from supervision.models import CoursePlan, CourseStatus, ModuleCompletion
from tests.logbook.factories import ObservationExerciseFactory, ReflectionExerciseFactory
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.django_db


def write(family, exercise, parent, text="Skrevet"):
    return services.save_entry(
        exercise=exercise,
        family=family,
        writer=parent,
        answers={key: text for key in exercise.answer_fields(family) if key != "goal"},
        base_version=0,
    )


def completed(family, module):
    return ModuleCompletion.objects.filter(family=family, module=module).exists()


def test_lessons_alone_do_not_complete_a_module_with_required_exercises(
    module, family, mette, exercise
):
    for lesson in module.lessons():
        complete_lesson(mette, lesson)
    assert not completed(family, module)


def test_lessons_and_required_exercises_complete_the_module(module, family, mette, lars, exercise):
    optional = ObservationExerciseFactory(module=module, required=False)
    write(family, exercise, lars)
    assert not completed(family, module)
    for lesson in module.lessons():
        complete_lesson(mette, lesson)
    assert completed(family, module)
    assert optional.entries.count() == 0


def test_a_new_required_exercise_is_counted_on_the_next_refresh(module, family, mette, exercise):
    write(family, exercise, mette)
    for lesson in module.lessons():
        complete_lesson(mette, lesson)
    assert completed(family, module)
    ReflectionExerciseFactory(module=module)
    assert not refresh_module_completion(family, module)
    assert not completed(family, module)


def test_course_status_needs_the_planned_modules_completed(module, family, mette, exercise):
    placement = RegisteredPlacementFactory(family=family, start_date=datetime.date.today())
    course = placement.startup_course
    policy = course.policy
    policy.required_training_days = 0
    policy.save()
    CoursePlan.objects.create(course=course).modules.add(module)
    course = type(course).objects.with_status().get(pk=course.pk)
    assert course.status() != CourseStatus.COMPLETED
    write(family, exercise, mette)
    for lesson in module.lessons():
        complete_lesson(mette, lesson)
    course = type(course).objects.with_status().get(pk=course.pk)
    assert course.modules_missing == 0
    assert course.status() == CourseStatus.COMPLETED
