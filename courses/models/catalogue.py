"""What is taught: the national module catalogue as Wagtail pages.

CourseIndexPage > ModulePage (general or theme) > LessonPage. Course content is shared
by every municipality, so nothing here is tenant-scoped.
"""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.models.pages import SanitisedBodyMixin
from courses.blocks import KnowledgeCheckBlock, LessonStreamBlock


class EditableList(models.Model):
    """A short list that coordinators and editors keep as data, never as code."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class ModuleKind(EditableList):
    """General (generelt modul) or theme (temamodul); data, so it can be renamed or extended."""

    class Meta(EditableList.Meta):
        verbose_name = _("module kind")
        verbose_name_plural = _("module kinds")


@register_snippet
class FamilyType(EditableList):
    """A kind of foster family (almen, forstærket, specialiseret, netværk)."""

    class Meta(EditableList.Meta):
        verbose_name = _("family type")
        verbose_name_plural = _("family types")


@register_snippet
class Theme(EditableList):
    """A theme such as *mentalisering* that a quarter, a module and supervision share."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [*EditableList.panels, FieldPanel("description")]

    class Meta(EditableList.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class CourseIndexPage(SanitisedBodyMixin, Page):
    """The catalogue of modules."""

    body = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = ModulePage.objects.child_of(self).for_learning()
        return context

    def route(self, request, path_components):
        """A module or a lesson in one query; Wagtail walks the tree two queries a level."""
        if len(path_components) in (1, 2):
            model = ModulePage if len(path_components) == 1 else LessonPage
            url_path = self.url_path + "".join(f"{component}/" for component in path_components)
            page = model.objects.live().filter(url_path=url_path).first()
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)


class LearnerOnlyMixin:
    """E-learning is for logged-in people: anonymous visitors are sent to the login page."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class ModulePageQuerySet(PageQuerySet):
    def for_learning(self):
        """Published modules in catalogue order: what a family can take.

        The composition layer narrows this to a family's course plan.
        """
        return self.live().public().select_related("kind").order_by("number")


class ModulePage(LearnerOnlyMixin, SanitisedBodyMixin, Page):
    """One of the general or theme modules, with its lessons as child pages."""

    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    kind = models.ForeignKey(
        ModuleKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="modules"
    )
    summary = models.TextField(_("summary"), max_length=600)
    learning_goals = RichTextField(_("learning goals"), blank=True, features=["ul", "bold"])
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=45, validators=[MaxValueValidator(24 * 60)]
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("quarter theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        help_text=_("The quarterly theme this module belongs to, if any."),
    )
    family_types = ParentalManyToManyField(
        FamilyType,
        verbose_name=_("suits family types"),
        blank=True,
        help_text=_("Leave empty if the module suits every family type."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("kind", widget=forms.RadioSelect),
        FieldPanel("summary"),
        FieldPanel("learning_goals"),
        FieldPanel("estimated_minutes"),
        FieldPanel("theme"),
        FieldPanel("family_types", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_goals"),
        index.FilterField("number"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    objects = PageManager.from_queryset(ModulePageQuerySet)()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from courses.services import CourseProgress

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = CourseProgress.for_user(request.user, [self]).of(self)
        return context


class LessonPage(LearnerOnlyMixin, SanitisedBodyMixin, Page):
    """A piece of e-learning inside a module."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def module(self):
        """The module the lesson is in: from the catalogue's outline once it is published."""
        from courses.outline import outline

        path = self.path[: -self.steplen]
        return outline().module_at(path) or ModulePage.objects.select_related("kind").get(path=path)

    def get_view_restrictions(self):
        """None for a lesson that the outline knows as public (the outline is forgotten when
        a restriction changes): Wagtail asks the database twice on every lesson served."""
        from courses.outline import outline

        if self.pk in outline().public_ids:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def knowledge_check(self, block_id):
        """The knowledge check block with ``block_id`` in this lesson, or None."""
        return next(
            (
                block
                for block in self.body
                if block.id == block_id and isinstance(block.block, KnowledgeCheckBlock)
            ),
            None,
        )

    def serve(self, request, *args, **kwargs):
        from courses.services import visit_lesson

        if request.user.is_authenticated:
            visit_lesson(request.user, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, answer_error=None, **kwargs):
        """The lesson with its module's progress and the user's knowledge-check answers.

        ``answer_error`` (a ``services.KnowledgeCheckError``) re-shows a refused answer
        next to its question, with the options the user chose.
        """
        from courses.services import CourseProgress, knowledge_check_states

        context = super().get_context(request, *args, **kwargs)
        module = self.module()
        progress = CourseProgress.for_user(request.user, [module]).of(module)
        checks = knowledge_check_states(request.user, self, answer_error)
        context.update(
            module=module,
            progress=progress,
            previous_lesson=progress.lesson_before(self),
            next_lesson=progress.lesson_after(self),
            is_done=progress.is_done(self),
            answer_error=answer_error,
            blocks=[(block, checks.get(block.id)) for block in self.body],
        )
        return context
