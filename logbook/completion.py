"""When a module counts as completed for a family, parent by parent.

A parent has done a module when they have marked every live lesson in it done and every
required logbook exercise of the module (retired ones aside) has a written entry of
theirs or one the household wrote together (for any session). The module is completed
for the family when every parent has done it, or one of them, as the municipality's
``CoursePolicy.module_completion`` says (every parent by default). The fact is stored as
``supervision.ModuleCompletion`` so that course statuses and reports read it without
recomputing; it is refreshed whenever a parent completes a lesson or saves an entry, and
for the whole municipality when its rule changes.

``family_progress`` reads it for many families and modules in a fixed number of
queries, for *Min side*, the module page and the refresh alike.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from courses.models import LessonPage, LessonProgress, ModulePage
from courses.outline import outline
from supervision.models import (
    CoursePlan,
    CoursePolicy,
    FosterFamily,
    ModuleCompletion,
    ModuleCompletionRule,
)

from .models import Exercise, LogbookEntry


@dataclass
class ParentProgress:
    """One parent's way through one module: what is done and what is missing."""

    parent: object
    lessons: list
    exercises: list
    lessons_done: set = field(default_factory=set)
    exercises_written: set = field(default_factory=set)

    @property
    def missing_lessons(self):
        return [lesson for lesson in self.lessons if lesson.pk not in self.lessons_done]

    @property
    def missing_exercises(self):
        return [e for e in self.exercises if e.pk not in self.exercises_written]

    @property
    def lessons_completed(self):
        return len(self.lessons) - len(self.missing_lessons)

    @property
    def exercises_completed(self):
        return len(self.exercises) - len(self.missing_exercises)

    @property
    def is_done(self):
        return not self.missing_lessons and not self.missing_exercises


@dataclass
class ModuleFamilyProgress:
    """One module for one family: each parent's progress and the rule that completes it."""

    family: FosterFamily
    module: object
    rule: str
    parents: list = field(default_factory=list)

    @property
    def is_completed(self):
        if not self.parents:
            return False
        done = [progress.is_done for progress in self.parents]
        return any(done) if self.rule == ModuleCompletionRule.ANY_PARENT else all(done)


def lessons_by_module(modules):
    """Each module's live lessons in order: from the catalogue's outline (no query), or
    one query per module the outline does not hold (not published)."""
    catalogue = outline()
    lessons = {}
    for module in modules:
        in_outline = catalogue.lessons_of(module)
        lessons[module.pk] = (
            in_outline
            if in_outline is not None
            else list(LessonPage.objects.child_of(module).live().defer("body"))
        )
    return lessons


def family_progress(families, modules):
    """{(family id, module id): ModuleFamilyProgress} for every family and module, in
    four queries whatever their numbers."""
    families, modules = list(families), list(modules)
    if not families or not modules:
        return {}
    family_ids = [family.pk for family in families]
    parents, rules = {}, {}
    # Each parent comes with the completion rule of the family's municipality (none
    # without a course policy: the default), so the rule costs no query of its own.
    links = (
        FosterFamily.parents.through.objects.filter(fosterfamily_id__in=family_ids)
        .select_related("user")
        .annotate(
            rule=Subquery(
                CoursePolicy.objects.filter(
                    municipality=OuterRef("fosterfamily__municipality")
                ).values("module_completion")
            )
        )
        .order_by("user__first_name", "user_id")
    )
    for link in links:
        parents.setdefault(link.fosterfamily_id, []).append(link.user)
        rules[link.fosterfamily_id] = link.rule or ModuleCompletionRule.EVERY_PARENT
    lessons = lessons_by_module(modules)
    lesson_ids = {lesson.pk for items in lessons.values() for lesson in items}
    parent_ids = {user.pk for users in parents.values() for user in users}
    lessons_done = {}
    for user_id, lesson_id in LessonProgress.objects.filter(
        user__in=parent_ids, lesson__in=lesson_ids, completed_at__isnull=False
    ).values_list("user_id", "lesson_id"):
        lessons_done.setdefault(user_id, set()).add(lesson_id)
    exercises = {}
    for exercise in (
        Exercise.objects.non_polymorphic()
        .filter(module__in=[module.pk for module in modules], required=True, retired=False)
        .only("pk", "title", "module_id", "sort_order")
    ):
        exercises.setdefault(exercise.module_id, []).append(exercise)
    written = {}  # (family, parent or None for joint) -> exercise ids
    for family_id, author_id, is_joint, exercise_id in (
        LogbookEntry.objects.filter(
            family__in=family_ids,
            exercise__in=[e.pk for items in exercises.values() for e in items],
        )
        .exclude(answers={})
        .values_list("family_id", "author_id", "is_joint", "exercise_id")
    ):
        written.setdefault((family_id, None if is_joint else author_id), set()).add(exercise_id)
    progress = {}
    for family in families:
        joint = written.get((family.pk, None), set())
        for module in modules:
            progress[(family.pk, module.pk)] = ModuleFamilyProgress(
                family=family,
                module=module,
                rule=rules.get(family.pk, ModuleCompletionRule.EVERY_PARENT),
                parents=[
                    ParentProgress(
                        parent=parent,
                        lessons=lessons[module.pk],
                        exercises=exercises.get(module.pk, []),
                        lessons_done=lessons_done.get(parent.pk, set()),
                        exercises_written=joint | written.get((family.pk, parent.pk), set()),
                    )
                    for parent in parents.get(family.pk, [])
                ],
            )
    return progress


def module_is_completed(family, module):
    return family_progress([family], [module])[(family.pk, module.pk)].is_completed


def store(progress):
    """Write the completions ``progress`` says, removing those it no longer does."""
    for item in progress.values():
        if item.is_completed:
            ModuleCompletion.objects.get_or_create(family=item.family, module=item.module)
        else:
            ModuleCompletion.objects.filter(family=item.family, module=item.module).delete()


def refresh_module_completion(family, module):
    """Store or remove the family's completion of ``module``; returns whether it is done."""
    progress = family_progress([family], [module])
    store(progress)
    return progress[(family.pk, module.pk)].is_completed


def refresh_municipality(municipality):
    """Refresh every family's completions of its planned (and completed) modules: the
    rule of the municipality changed. An erased family keeps its completions (the
    reports count them; its lessons and entries are gone)."""
    families = list(FosterFamily.objects.filter(municipality=municipality, erased_at__isnull=True))
    planned = set(
        CoursePlan.objects.filter(course__placement__family__in=families).values_list(
            "modules", flat=True
        )
    )
    completed = set(
        ModuleCompletion.objects.filter(family__in=families).values_list("module", flat=True)
    )
    modules = ModulePage.objects.filter(pk__in=(planned | completed) - {None})
    store(family_progress(families, modules))


def lesson_progress_saved(sender, instance, **kwargs):
    if instance.completed_at is None:
        return
    module = instance.lesson.get_parent().specific
    for family in FosterFamily.objects.of_parent(instance.user):
        refresh_module_completion(family, module)


def course_policy_changing(sender, instance, **kwargs):
    stored = CoursePolicy.objects.filter(pk=instance.pk).values_list("module_completion", flat=True)
    # No saved policy meant the default rule.
    before = (list(stored) if instance.pk else []) or [ModuleCompletionRule.EVERY_PARENT]
    instance.completion_rule_changed = before != [instance.module_completion]


def course_policy_saved(sender, instance, **kwargs):
    if getattr(instance, "completion_rule_changed", False):
        refresh_municipality(instance.municipality)


def entry_saved(entry):
    if entry is not None and entry.exercise.module_id is not None:
        refresh_module_completion(entry.family, entry.exercise.module)
