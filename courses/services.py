"""Learning: progress through modules and lessons, and answering knowledge checks.

Functions take a user and the modules in question (a list or queryset), so the
composition layer can pass the modules of a family's course plan; they never query
inside a loop over modules or lessons.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.blocks import KnowledgeCheckBlock
from courses.models import KnowledgeCheckAnswer, LessonProgress
from courses.outline import outline


@dataclass
class ModuleProgress:
    """A module's lessons and which of them the user has finished."""

    module: object
    lessons: list = field(default_factory=list)
    done_ids: frozenset = frozenset()

    @property
    def total(self):
        return len(self.lessons)

    @property
    def done(self):
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_complete(self):
        return self.total > 0 and self.done == self.total

    @property
    def next_lesson(self):
        """The first lesson not yet done, in the module's order."""
        return next((lesson for lesson in self.lessons if lesson.pk not in self.done_ids), None)

    def is_done(self, lesson):
        return lesson.pk in self.done_ids

    def _neighbour(self, lesson, step):
        ids = [each.pk for each in self.lessons]
        if lesson.pk not in ids:
            return None
        position = ids.index(lesson.pk) + step
        return self.lessons[position] if 0 <= position < len(ids) else None

    def lesson_before(self, lesson):
        return self._neighbour(lesson, -1)

    def lesson_after(self, lesson):
        return self._neighbour(lesson, 1)


class CourseProgress:
    """A user's progress through a list of modules, read with one query."""

    def __init__(self, modules, progress_rows):
        """``modules``: each module with its lessons in order."""
        done_ids = frozenset(row.lesson_id for row in progress_rows if row.is_done)
        self.modules = [
            ModuleProgress(module, list(lessons), done_ids) for module, lessons in modules
        ]
        latest = max(progress_rows, key=lambda row: row.last_visited_at, default=None)
        self._latest_lesson_id = latest.lesson_id if latest else None

    @classmethod
    def for_user(cls, user, modules):
        """The lessons from the catalogue's outline; one query, for the user's progress."""
        catalogue = outline()
        modules = [(module, catalogue.lessons_of(module) or []) for module in modules]
        lesson_ids = [lesson.pk for _module, lessons in modules for lesson in lessons]
        rows = []
        if user.is_authenticated and lesson_ids:
            rows = list(LessonProgress.objects.filter(user=user, lesson__in=lesson_ids))
        return cls(modules, rows)

    def of(self, module):
        return next((p for p in self.modules if p.module.pk == module.pk), ModuleProgress(module))

    @property
    def continue_lesson(self):
        """Where the user left off: the first lesson not done in the most recently
        touched module, else the first lesson not done in any module."""
        for module_progress in self.modules:
            touched = any(lesson.pk == self._latest_lesson_id for lesson in module_progress.lessons)
            if touched and module_progress.next_lesson is not None:
                return module_progress.next_lesson
        return next((p.next_lesson for p in self.modules if p.next_lesson is not None), None)


def visit_lesson(user, lesson):
    """Remember that ``user`` was in ``lesson`` just now (for "continue where you left off")."""
    now = timezone.now()
    # One UPDATE on every visit but the first (update_or_create reads and locks first).
    if not LessonProgress.objects.filter(user=user, lesson=lesson).update(last_visited_at=now):
        LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"last_visited_at": now}
        )


def complete_lesson(user, lesson):
    """Mark ``lesson`` done for ``user``; marking it again keeps the first completion time."""
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"last_visited_at": now, "completed_at": now}
    )
    if not created:
        progress.last_visited_at = now
        progress.completed_at = progress.completed_at or now
        progress.save(update_fields=["last_visited_at", "completed_at"])
    return progress


class KnowledgeCheckError(Exception):
    """An answer that cannot be checked; ``message`` tells the learner what to do."""

    def __init__(self, message, block_id="", option_ids=()):
        super().__init__(message)
        self.message = message
        self.block_id = block_id
        self.option_ids = tuple(option_ids)


def answer_knowledge_check(user, lesson, block_id, option_ids):
    """Check and store ``user``'s answer; a retry replaces the earlier answer."""
    option_ids = list(dict.fromkeys(str(option) for option in option_ids))
    check = lesson.knowledge_check(block_id)
    if check is None:
        raise KnowledgeCheckError(
            _("This question is no longer part of the lesson. Reload the page and try again.")
        )
    if not option_ids:
        raise KnowledgeCheckError(_("Choose an answer before you check it."), block_id)
    options = {child.id: child.value for child in check.value["options"].bound_blocks}
    if any(option not in options for option in option_ids):
        raise KnowledgeCheckError(
            _("One of the chosen answers is not an option of this question. Choose again."),
            block_id,
            [option for option in option_ids if option in options],
        )
    if check.value["choice"] == KnowledgeCheckBlock.SINGLE and len(option_ids) > 1:
        raise KnowledgeCheckError(
            _("Choose only one answer to this question."), block_id, option_ids
        )
    correct_ids = {option_id for option_id, value in options.items() if value["correct"]}
    answer, _created = KnowledgeCheckAnswer.objects.update_or_create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        defaults={"selected_options": option_ids, "correct": set(option_ids) == correct_ids},
    )
    visit_lesson(user, lesson)
    return answer


@dataclass(frozen=True)
class KnowledgeCheckState:
    """What a knowledge check shows: the chosen options, the stored answer, an error."""

    selected: frozenset = frozenset()
    answer: KnowledgeCheckAnswer | None = None
    error: str = ""


def knowledge_check_states(user, lesson, answer_error=None):
    """Each knowledge check's state in ``lesson`` for ``user``, keyed by block id."""
    answers = KnowledgeCheckAnswer.objects.filter(user=user, lesson=lesson)
    states = {
        answer.block_id: KnowledgeCheckState(frozenset(answer.selected_options), answer)
        for answer in answers
    }
    if answer_error is not None and answer_error.block_id:
        states[answer_error.block_id] = KnowledgeCheckState(
            frozenset(answer_error.option_ids), None, answer_error.message
        )
    return states
