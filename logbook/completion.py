"""When a module counts as completed for a family.

A module is completed when every live lesson in it has been marked done by one of the
family's parents *and* every required logbook exercise of the module (retired ones
aside) has a written entry from the family. The fact is stored as
``supervision.ModuleCompletion`` so that course statuses and reports read it without
recomputing; it is refreshed whenever a parent completes a lesson or saves an entry.
"""

from courses.models import LessonPage, LessonProgress
from supervision.models import FosterFamily, ModuleCompletion

from .models import Exercise, LogbookEntry


def module_is_completed(family, module):
    lessons = LessonPage.objects.child_of(module).live().values_list("pk", flat=True)
    done_lessons = LessonProgress.objects.filter(
        user__foster_families=family, lesson__in=lessons, completed_at__isnull=False
    ).values_list("lesson_id", flat=True)
    if set(lessons) - set(done_lessons):
        return False
    required = Exercise.objects.filter(module=module, required=True, retired=False).values_list(
        "pk", flat=True
    )
    written = (
        LogbookEntry.objects.filter(family=family, exercise__in=required)
        .exclude(answers={})
        .values_list("exercise_id", flat=True)
    )
    return not set(required) - set(written)


def refresh_module_completion(family, module):
    """Store or remove the family's completion of ``module``; returns whether it is done."""
    completed = module_is_completed(family, module)
    if completed:
        ModuleCompletion.objects.get_or_create(family=family, module=module)
    else:
        ModuleCompletion.objects.filter(family=family, module=module).delete()
    return completed


def lesson_progress_saved(sender, instance, **kwargs):
    if instance.completed_at is None:
        return
    module = instance.lesson.get_parent().specific
    for family in FosterFamily.objects.of_parent(instance.user):
        refresh_module_completion(family, module)


def entry_saved(entry):
    if entry is not None and entry.exercise.module_id is not None:
        refresh_module_completion(entry.family, entry.exercise.module)
