"""Course content that families have used is never deleted along with their work.

Deleting a module page would take its exercises with it, and so what families wrote in
them, their completions of the module, the module sessions held on it and its place in
their course plans; deleting a theme would take its exercises likewise. Entries,
completions and sessions protect these rows in the database (``on_delete=PROTECT``), so
the delete would fail; these checks refuse it up front in the admin, with the counts and
the way out: unpublish the module, retire the exercise. Counts only, national like the
content: a trainer learns that families use it, never which.

``cms.middleware.ProtectedDeletionMiddleware`` is the safety net for any other delete
the database refuses.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import LessonPage, LessonProgress, ModulePage
from logbook.models import LogbookEntry
from supervision.models import CoursePlan, ModuleCompletion, ModuleSession


@dataclass
class FamilyUse:
    """What families have of some course content, counted across municipalities."""

    entries: int = 0
    sessions: int = 0
    plans: int = 0
    completions: int = 0
    lessons: int = 0  # foster parents' visits of lessons (their progress and answers)

    def __bool__(self):
        return bool(self.entries or self.sessions or self.plans or self.completions or self.lessons)

    def __str__(self):
        parts = []
        if self.entries:
            parts.append(
                ngettext("%(count)s logbook entry", "%(count)s logbook entries", self.entries)
                % {"count": self.entries}
            )
        if self.sessions:
            parts.append(
                ngettext("%(count)s module session", "%(count)s module sessions", self.sessions)
                % {"count": self.sessions}
            )
        if self.plans:
            parts.append(
                ngettext("%(count)s course plan", "%(count)s course plans", self.plans)
                % {"count": self.plans}
            )
        if self.completions:
            parts.append(
                ngettext(
                    "%(count)s completed module", "%(count)s completed modules", self.completions
                )
                % {"count": self.completions}
            )
        if self.lessons:
            parts.append(
                ngettext("%(count)s lesson taken", "%(count)s lessons taken", self.lessons)
                % {"count": self.lessons}
            )
        return ", ".join(parts)


def module_use(modules):
    """Families' use of ``modules`` (a queryset of module pages)."""
    return FamilyUse(
        entries=LogbookEntry.objects.filter(exercise__module__in=modules).count(),
        sessions=ModuleSession.objects.non_polymorphic().filter(module__in=modules).count(),
        plans=CoursePlan.objects.filter(modules__in=modules).distinct().count(),
        completions=ModuleCompletion.objects.filter(module__in=modules).count(),
    )


def page_use(pages):
    """Families' use of the modules and lessons among ``pages`` and below them: deleting a
    lesson would take foster parents' progress and knowledge-check answers with it."""
    below = reduce(or_, (Q(path__startswith=page.path) for page in pages), Q(pk__in=[]))
    use = module_use(ModulePage.objects.filter(below))
    use.lessons = LessonProgress.objects.filter(lesson__in=LessonPage.objects.filter(below)).count()
    return use


def theme_use(themes):
    """Families' entries in the exercises of ``themes`` (quarters and theme supervisions
    already protect a theme, and Wagtail's usage shows them)."""
    return FamilyUse(entries=LogbookEntry.objects.filter(exercise__theme__in=themes).count())


def page_refusal(use):
    return _(
        "This cannot be deleted: families have used it or what is in it (%(use)s). "
        "Unpublish it instead: families then no longer see it, and their work is kept."
    ) % {"use": use}


def theme_refusal(use):
    return _(
        "This cannot be deleted: families have written in its logbook exercises (%(use)s). "
        "Retire the exercises instead, and keep the theme."
    ) % {"use": use}
