"""The catalogue's outline: the catalogue page, its published modules and their lessons.

National content, the same for every user, that every family page reads: the dashboard's
planned modules, a module's or a lesson's progress, where to continue, and the catalogue
that Wagtail routes every module and lesson address through. Each process keeps the
outline it built, stamped with a version kept in the shared cache. Saving (and so
publishing or unpublishing, in bulk too), moving or deleting the catalogue, a module or a
lesson, changing the slug of a page above them, or changing a module kind or a view
restriction, forgets the version, and each process
builds the outline again on its next request; between changes a page pays one cache read
for it instead of several queries.
"""

from asgiref.local import Local
from django.core import signals
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

from cms.cache import forget as forget_keys
from cms.cache import stamp

VERSION_KEY = "opstart:catalogue-outline"


class Outline:
    def __init__(self, catalogue, modules, public_ids, lessons):
        self.catalogue = catalogue  # the published CourseIndexPage, or None
        self.modules = list(modules)  # in catalogue order
        self.public_ids = frozenset(public_ids)  # modules and lessons without view restrictions
        self._by_path = {module.path: module for module in self.modules}
        self._lessons = {module.pk: [] for module in self.modules}
        for lesson in lessons:  # in tree order
            module = self.module_at(lesson.path[: -Page.steplen])
            if module is not None:
                self._lessons[module.pk].append(lesson)

    @classmethod
    def build(cls):
        from courses.models import CourseIndexPage, LessonPage, ModulePage

        modules = ModulePage.objects.live().select_related("kind").order_by("number", "path")
        lessons = LessonPage.objects.live().defer("body").order_by("path")
        return cls(
            CourseIndexPage.objects.live().first(),
            modules,
            [
                *modules.public().values_list("pk", flat=True),
                *lessons.public().values_list("pk", flat=True),
            ],
            lessons,
        )

    def module_at(self, path):
        return self._by_path.get(path)

    def lessons_of(self, module):
        """The module's published lessons in order, or None for a module not published."""
        return self._lessons.get(module.pk)

    def for_learning(self, ids=None):
        """Published modules open to every logged-in user (of ``ids``), in catalogue order."""
        return [
            module
            for module in self.modules
            if module.pk in self.public_ids and (ids is None or module.pk in ids)
        ]


_built = (None, None)  # (version, outline) of this process
_request = Local()  # the version read in the request under way, if any


def version():
    """The version of the outline: it changes whenever the outline is forgotten.

    Read from the cache once per request (routing, progress and view restrictions all
    ask), and on every call outside a request.
    """
    current = getattr(_request, "version", None)
    if current is None:
        current = stamp(VERSION_KEY)
        if getattr(_request, "under_way", False):
            _request.version = current
    return current


def request_started(**kwargs):
    _request.under_way, _request.version = True, None


def request_finished(**kwargs):
    _request.under_way, _request.version = False, None


def outline():
    global _built
    current = version()
    built_version, built = _built
    if built is None or built_version != current:
        built = Outline.build()
        _built = (current, built)
    return built


def forget(**kwargs):
    _request.version = None
    forget_keys(VERSION_KEY)


def connect():
    from courses.models import CourseIndexPage, LessonPage, ModuleKind, ModulePage

    signals.request_started.connect(request_started, dispatch_uid="courses.outline.started")
    signals.request_finished.connect(request_finished, dispatch_uid="courses.outline.finished")
    # A move or a changed slug rewrites the addresses below the page with a bare UPDATE.
    post_page_move.connect(forget, dispatch_uid="courses.forget_outline.move")
    page_slug_changed.connect(forget, dispatch_uid="courses.forget_outline.slug")
    for model in (CourseIndexPage, ModulePage, LessonPage):
        # The explorer's bulk unpublish saves the plain ``Page``; the signal names the type.
        page_unpublished.connect(
            forget, sender=model, dispatch_uid=f"courses.forget_outline.unpublished.{model}"
        )
    for model in (CourseIndexPage, ModulePage, LessonPage, ModuleKind, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(
                forget,
                sender=model,
                dispatch_uid=f"courses.forget_outline.{model.__name__}.{id(signal)}",
            )
