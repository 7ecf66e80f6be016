"""A module is completed when its lessons are done and its required exercises written;
the start-up course's status follows."""

import datetime

import pytest
from django.urls import reverse

from courses.services import complete_lesson
from logbook import availability, services
from logbook.completion import family_progress, refresh_module_completion
from supervision.models import (
    CoursePlan,
    CoursePolicy,
    CourseStatus,
    ModuleCompletion,
    ModuleCompletionRule,
)
from tests.logbook.factories import ObservationExerciseFactory, ReflectionExerciseFactory
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.django_db


def write(family, exercise, parent, text="Skrevet", joint=False):
    return services.save_entry(
        exercise=exercise,
        family=family,
        session=availability.session_to_write(family, exercise),
        writer=parent,
        answers={key: text for key in exercise.answer_fields(family) if key != "goal"},
        base_version=0,
        joint=joint,
    )


def complete_module(parent, module):
    for lesson in module.lessons():
        complete_lesson(parent, lesson)


def completed(family, module):
    return ModuleCompletion.objects.filter(family=family, module=module).exists()


def test_lessons_alone_do_not_complete_a_module_with_required_exercises(
    module, family, mette, exercise
):
    for lesson in module.lessons():
        complete_lesson(mette, lesson)
    assert not completed(family, module)


def test_every_parent_does_the_lessons_and_required_exercises_by_default(
    module, family, mette, lars, exercise
):
    optional = ObservationExerciseFactory(module=module, required=False)
    write(family, exercise, mette)
    complete_module(mette, module)
    assert not completed(family, module)  # Lars has done nothing yet
    complete_module(lars, module)
    assert not completed(family, module)  # his exercise is missing
    write(family, exercise, lars)
    assert completed(family, module)
    assert optional.entries.count() == 0


def test_a_joint_entry_counts_for_both_parents(module, family, mette, lars, exercise):
    write(family, exercise, mette, joint=True)
    complete_module(mette, module)
    complete_module(lars, module)
    assert completed(family, module)


def test_one_parent_completes_the_module_where_the_policy_says_any_parent(
    module, family, mette, lars, exercise
):
    CoursePolicy.objects.create(
        municipality=family.municipality, module_completion=ModuleCompletionRule.ANY_PARENT
    )
    complete_module(mette, module)
    write(family, exercise, lars)
    assert not completed(family, module)  # no one parent has done both
    write(family, exercise, mette)
    assert completed(family, module)


def test_changing_the_rule_refreshes_the_municipalitys_completions(module, family, mette, exercise):
    placement = RegisteredPlacementFactory(family=family, start_date=datetime.date.today())
    CoursePlan.objects.create(course=placement.startup_course).modules.add(module)
    policy = CoursePolicy.objects.create(
        municipality=family.municipality, module_completion=ModuleCompletionRule.ANY_PARENT
    )
    complete_module(mette, module)
    write(family, exercise, mette)
    assert completed(family, module)
    policy.module_completion = ModuleCompletionRule.EVERY_PARENT
    policy.save()
    assert not completed(family, module)


def test_each_parents_progress_names_what_is_missing(module, family, mette, lars, exercise):
    complete_module(mette, module)
    write(family, exercise, lars)
    progress = family_progress([family], [module])[(family.pk, module.pk)]
    by_name = {item.parent.first_name: item for item in progress.parents}
    assert by_name["Mette"].missing_lessons == []
    assert [e.pk for e in by_name["Mette"].missing_exercises] == [exercise.pk]
    assert by_name["Lars"].missing_exercises == []
    assert by_name["Lars"].missing_lessons == list(module.lessons())
    assert not progress.is_completed


def test_a_new_required_exercise_is_counted_on_the_next_refresh(
    module, family, mette, lars, exercise
):
    write(family, exercise, mette, joint=True)
    complete_module(lars, module)
    complete_module(mette, module)
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
    write(family, exercise, mette, joint=True)
    for parent in family.parents.all():
        complete_module(parent, module)
    course = type(course).objects.with_status().get(pk=course.pk)
    assert course.modules_missing == 0
    assert course.status() == CourseStatus.COMPLETED


def test_the_module_page_shows_each_parents_progress_with_links(
    client, module, family, mette, lars, exercise
):
    complete_module(mette, module)
    write(family, exercise, lars)
    client.force_login(mette)
    body = client.get(module.url).content.decode()
    mette_line = body.split("<strong>Mette</strong>")[1].split("</li>")[0]
    lars_line = body.split("<strong>Lars</strong>")[1].split("</li>")[0]
    assert reverse("logbook:exercise", args=[family.pk, exercise.pk]) in mette_line
    assert "1 af 1 krævet øvelse" in lars_line
    assert module.lessons()[0].url in lars_line
    assert "hver af jer" in body  # the default rule, said


def test_the_completion_report_follows_the_municipalitys_rule(
    module, family, mette, lars, exercise
):
    placement = RegisteredPlacementFactory(family=family, start_date=datetime.date.today())
    CoursePlan.objects.create(course=placement.startup_course).modules.add(module)
    complete_module(mette, module)
    write(family, exercise, mette)

    def completed_in_report():
        row = CoursePlan.objects.completion_per_module().get(pk=module.pk)
        return row.planned, row.completed

    assert completed_in_report() == (1, 0)  # Lars has done nothing
    CoursePolicy.objects.create(
        municipality=family.municipality, module_completion=ModuleCompletionRule.ANY_PARENT
    )
    assert completed_in_report() == (1, 1)


def test_an_erased_familys_completions_stay_when_the_rule_changes(module, family):
    from django.utils import timezone

    ModuleCompletion.objects.create(family=family, module=module)
    family.erased_at = timezone.now()
    family.save()
    CoursePolicy.objects.create(
        municipality=family.municipality, module_completion=ModuleCompletionRule.ANY_PARENT
    )
    assert completed(family, module)
