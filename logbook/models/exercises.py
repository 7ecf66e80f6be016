"""Logbook exercises: what trainers ask families to write before or after a session.

Each kind of exercise describes its own answer fields; an entry stores the answers as a
dict keyed by those fields, so one entry table serves every kind.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

TEXT_ANSWER_MAX_LENGTH = 10_000


class Timing(models.TextChoices):
    BEFORE = "before", _("Before the session")
    AFTER = "after", _("After the session")


def text_answer(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Keep it under %(limit_value)d characters (you wrote %(show_value)d).")
        },
    )


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class Exercise(PolymorphicModel):
    """A logbook exercise tied to a module (or a quarter theme) and timed before or after."""

    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exercises",
    )
    theme = models.ForeignKey(
        "courses.Theme",
        verbose_name=_("theme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exercises",
        help_text=_("For group supervision: the quarter theme the exercise belongs to."),
    )
    timing = models.CharField(_("timing"), max_length=10, choices=Timing.choices)
    title = models.CharField(_("title"), max_length=150)
    instructions = models.TextField(_("instructions"), blank=True)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required exercises must have an entry before the module counts as done."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_(
            "A retired exercise is no longer offered to families and does not count for "
            "completing the module. What families already wrote stays readable."
        ),
    )

    base_panels = [
        MultiFieldPanel(
            [FieldPanel("module"), FieldPanel("theme"), FieldPanel("timing")],
            heading=_("Where and when"),
        ),
        FieldPanel("title"),
        FieldPanel("instructions"),
        FieldPanel("required"),
        FieldPanel("sort_order"),
        FieldPanel("retired"),
    ]
    panels = base_panels

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("logbook exercise")
        verbose_name_plural = _("logbook exercises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(module__isnull=False) | models.Q(theme__isnull=False),
                name="exercise_has_module_or_theme",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.module_id is None and self.theme_id is None:
            raise ValidationError({"module": _("Choose the module or the theme it belongs to.")})

    @property
    def kind_name(self):
        return self._meta.verbose_name

    def family_use(self):
        """How many entries families wrote in it, and in how many municipalities: an
        exercise in use is retired, never deleted (entries protect it)."""
        return self.entries.aggregate(
            entries=Count("pk"), municipalities=Count("family__municipality", distinct=True)
        )

    def answer_fields(self, family=None):
        """The form fields an entry answers, keyed as they are stored."""
        raise NotImplementedError

    def summarise(self, answers, family=None):
        """(label, value) pairs of an entry's answers, for reading it back."""
        fields = self.answer_fields(family)
        return [
            (field.label, self.display_value(key, field, answers.get(key)))
            for key, field in fields.items()
            if answers.get(key) not in (None, "", [])
        ]

    def display_value(self, key, field, value):
        if isinstance(field, forms.MultipleChoiceField):
            choices = dict(field.choices)
            return ", ".join(str(choices.get(v, v)) for v in value)
        if isinstance(field, forms.ChoiceField):
            return dict(flatten_choices(field.choices)).get(value, value)
        return value


class ReflectionExercise(Exercise):
    """Free text, guided by one or more prompts."""

    prompts = models.TextField(
        _("prompts"), help_text=_("One question per line; each gets its own answer field.")
    )

    panels = [*Exercise.base_panels, FieldPanel("prompts")]

    class Meta:
        verbose_name = _("reflection exercise")
        verbose_name_plural = _("reflection exercises")

    def answer_fields(self, family=None):
        return {f"prompt_{i}": text_answer(prompt) for i, prompt in enumerate(lines(self.prompts))}


class ScaleExercise(Exercise):
    """A rating on a scale, e.g. 1–10, with labelled ends and room for a comment."""

    question = models.CharField(_("question"), max_length=300)
    minimum = models.SmallIntegerField(
        _("lowest value"), default=1, validators=[MinValueValidator(0)]
    )
    maximum = models.SmallIntegerField(
        _("highest value"), default=10, validators=[MaxValueValidator(100)]
    )
    minimum_label = models.CharField(_("label of the lowest value"), max_length=60, blank=True)
    maximum_label = models.CharField(_("label of the highest value"), max_length=60, blank=True)

    panels = [
        *Exercise.base_panels,
        FieldPanel("question"),
        FieldPanel("minimum"),
        FieldPanel("maximum"),
        FieldPanel("minimum_label"),
        FieldPanel("maximum_label"),
    ]

    class Meta:
        verbose_name = _("scale exercise")
        verbose_name_plural = _("scale exercises")

    def clean(self):
        super().clean()
        if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
            raise ValidationError({"maximum": _("The highest value must be above the lowest.")})

    def answer_fields(self, family=None):
        choices = [(str(v), str(v)) for v in range(self.minimum, self.maximum + 1)]
        choices[0] = (choices[0][0], f"{choices[0][1]} {self.minimum_label}".strip())
        choices[-1] = (choices[-1][0], f"{choices[-1][1]} {self.maximum_label}".strip())
        return {
            "value": forms.ChoiceField(
                label=self.question, choices=choices, required=False, widget=forms.RadioSelect
            ),
            "comment": text_answer(_("Comment")),
        }


class ObservationExercise(Exercise):
    """A situation observed with the child, in four fixed steps."""

    class Meta:
        verbose_name = _("observation exercise")
        verbose_name_plural = _("observation exercises")

    def answer_fields(self, family=None):
        return {
            "situation": text_answer(_("The situation")),
            "child": text_answer(_("What the child did")),
            "me": text_answer(_("What I did")),
            "learned": text_answer(_("What I learned")),
        }


class GoalFollowUpExercise(Exercise):
    """Following up on one of the family's development goals or a goal of a child's plan."""

    question = models.CharField(
        _("question"), max_length=300, default=_("How has it gone with the goal?")
    )

    panels = [*Exercise.base_panels, FieldPanel("question")]

    class Meta:
        verbose_name = _("goal follow-up exercise")
        verbose_name_plural = _("goal follow-up exercises")

    # A goal of the child's plan is stored as "plan-<id>"; a development goal by its bare
    # id, as every goal was before the child's plan came.
    PLAN_GOAL = "plan-"

    def goal_choices(self, family):
        """The family's development goals and the goals of its children's plans, grouped."""
        if family is None:
            return [("", "—")]
        development = [(str(goal.pk), goal.text) for goal in family.development_goals.all()]
        # Through the placements, so a caller that prefetched them (the export) pays nothing.
        plan = [
            (f"{self.PLAN_GOAL}{goal.pk}", goal.text)
            for placement in family.placements.all()
            for goal in placement.plan_goals.all()
        ]
        groups = [
            (_("Your development goals"), development),
            (_("Goals of the child's plan"), plan),
        ]
        return [("", "—"), *((label, goals) for label, goals in groups if goals)]

    def answer_fields(self, family=None):
        return {
            "goal": forms.ChoiceField(
                label=_("The goal"),
                required=False,
                choices=self.goal_choices(family),
                error_messages={"invalid_choice": _("Choose one of your family's goals.")},
            ),
            "progress": text_answer(self.question),
        }


class ChecklistExercise(Exercise):
    """A list of things to tick off, with room for a comment."""

    items = models.TextField(_("items"), help_text=_("One item per line."))

    panels = [*Exercise.base_panels, FieldPanel("items")]

    class Meta:
        verbose_name = _("checklist exercise")
        verbose_name_plural = _("checklist exercises")

    def answer_fields(self, family=None):
        return {
            "checked": forms.MultipleChoiceField(
                label=_("Tick what you have done"),
                choices=[(str(i), item) for i, item in enumerate(lines(self.items))],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
            "comment": text_answer(_("Comment")),
        }
