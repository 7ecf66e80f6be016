"""The start-up course of a placement: deadlines, the municipality's policy, the plan.

The law asks for intensive support in the first year of a placement, so every course
must finish within 12 months of the placement's start; when it must start, how many
training days the first year carries and how early a course counts as at risk are a
municipality's policy (``CoursePolicy``), with national defaults when none is saved.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from cms.admin_forms import TenantAdminForm
from cms.models import TenantQuerySet
from courses.models import ModulePage, Theme

from .counting import count_of, percent
from .families import Placement
from .sessions import Attendance, ModuleSession, Session

FINISH_MONTHS = 12


def add_months(start, months):
    """The same day ``months`` later, clamped to the month's last day.

    31 August + 6 months is 28 (or 29) February; 29 February 2028 + 12 months is
    28 February 2029. A deadline never spills into the following month.
    """
    return start + relativedelta(months=months)


class ModuleCompletionRule(models.TextChoices):
    """Whose work completes a module for the family."""

    EVERY_PARENT = "every_parent", _("Every parent has done the lessons and exercises")
    ANY_PARENT = "any_parent", _("One parent has done the lessons and exercises")


class CoursePolicy(models.Model):
    """A municipality's rules for start-up courses; missing rows mean the defaults."""

    DEFAULT_START_WINDOW_MONTHS = 6
    DEFAULT_REQUIRED_TRAINING_DAYS = 3
    DEFAULT_AT_RISK_DAYS = 30
    DEFAULT_LOGBOOK_RETENTION_MONTHS = 12

    municipality = models.OneToOneField(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="course_policy",
    )
    start_window_months = models.PositiveSmallIntegerField(
        _("start within (months)"),
        default=DEFAULT_START_WINDOW_MONTHS,
        validators=[MaxValueValidator(FINISH_MONTHS)],
        help_text=_("How many months after the placement's start the course must begin."),
    )
    required_training_days = models.PositiveSmallIntegerField(
        _("required training days in the first year"),
        default=DEFAULT_REQUIRED_TRAINING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    at_risk_days = models.PositiveSmallIntegerField(
        _("at risk margin (days)"),
        default=DEFAULT_AT_RISK_DAYS,
        validators=[MaxValueValidator(180)],
        help_text=_("A course is at risk this many days before a deadline it has not yet met."),
    )
    logbook_retention_months = models.PositiveSmallIntegerField(
        _("keep logbooks for (months)"),
        default=DEFAULT_LOGBOOK_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Logbook entries and their feedback are deleted this many months after the "
            "family's last start-up course ended (completed, or its finish deadline passed)."
        ),
    )

    module_completion = models.CharField(
        _("a module is completed when"),
        max_length=20,
        choices=ModuleCompletionRule.choices,
        default=ModuleCompletionRule.EVERY_PARENT,
        help_text=_(
            "Each parent reads the lessons and writes the required exercises (their own "
            "entry or one written together). Choose whether that takes every parent in "
            "the family or one of them."
        ),
    )

    objects = TenantQuerySet.as_manager()
    base_form_class = TenantAdminForm

    panels = [
        FieldPanel("municipality"),
        FieldPanel("start_window_months"),
        FieldPanel("required_training_days"),
        FieldPanel("at_risk_days"),
        FieldPanel("module_completion"),
        FieldPanel("logbook_retention_months"),
    ]

    class Meta:
        verbose_name = _("course policy")
        verbose_name_plural = _("course policies")

    def __str__(self):
        return str(self.municipality)

    @classmethod
    def for_municipality(cls, municipality):
        """The saved policy, or an unsaved one holding the defaults."""
        try:
            return municipality.course_policy
        except cls.DoesNotExist:
            return cls(municipality=municipality)


class ModuleCompletionQuerySet(TenantQuerySet):
    municipality_path = "family__municipality"


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    LATE = "late", _("Late")
    AT_RISK = "at_risk", _("At risk")
    CLOSED = "closed", _("Closed")
    ENDED = "ended", _("Ended")


class StartupCourseQuerySet(TenantQuerySet):
    municipality_path = "placement__family__municipality"

    def pickable(self):
        return self.filter(placement__family__erased_at__isnull=True)

    def with_progress(self, now=None):
        """Annotate ``started_at`` and ``training_days`` in the same query as the courses.

        Counted are the family's sessions held since the placement started; only module
        sessions (teaching) the family attended (a parent recorded present) count as
        training days. Cancelled sessions count for nothing.
        """
        now = now or timezone.now()
        held = Session.objects.non_polymorphic().filter(
            families=OuterRef("placement__family"),
            start__date__gte=OuterRef("placement__start_date"),
            start__lte=now,
            cancelled_at__isnull=True,
        )
        first_session = held.order_by().values("families").annotate(first=Min("start"))
        # A training day is one the family took part in: a parent recorded present.
        attended = Attendance.objects.filter(
            session=OuterRef("pk"),
            present=True,
            parent__foster_families=OuterRef(OuterRef("placement__family")),
        )
        taught = (
            ModuleSession.objects.non_polymorphic()
            .filter(Exists(attended))
            .filter(
                families=OuterRef("placement__family"),
                start__date__gte=OuterRef("placement__start_date"),
                start__date__lt=OuterRef("finish_deadline"),
                end__lte=now,
                cancelled_at__isnull=True,
            )
            .order_by()
            .values("families")
            .annotate(days=Count("pk"))
        )
        done = ModuleCompletion.objects.filter(
            module=OuterRef("modulepage"), family=OuterRef("courseplan__course__placement__family")
        )
        missing = (
            CoursePlan.modules.through.objects.filter(courseplan__course=OuterRef("pk"))
            .filter(~Exists(done))
            .order_by()
            .values("courseplan")
            .annotate(count=Count("pk"))
        )
        return self.annotate(
            started_at=Subquery(first_session.values("first")[:1]),
            training_days=Coalesce(Subquery(taught.values("days")[:1]), 0),
            modules_missing=Coalesce(Subquery(missing.values("count")[:1]), 0),
        )

    def with_last_completion(self):
        """Annotate ``last_module_completed_at``: when the family completed the last
        module of the course's plan (None without a plan or completions)."""
        done_at = ModuleCompletion.objects.filter(
            module=OuterRef("modulepage"), family=OuterRef("courseplan__course__placement__family")
        ).values("completed_at")[:1]
        last = (
            CoursePlan.modules.through.objects.filter(courseplan__course=OuterRef("pk"))
            .annotate(done_at=Subquery(done_at))
            .order_by()
            .values("courseplan")
            .annotate(last=Max("done_at"))
        )
        return self.annotate(last_module_completed_at=Subquery(last.values("last")[:1]))

    def with_policy(self):
        return self.select_related(
            "placement__family__municipality__course_policy", "placement__family"
        )

    def with_status(self, now=None):
        """``with_progress`` plus ``status_code``: the course status computed by the database.

        The rules are those of ``StartupCourse`` (its docstring), written once in
        ``StatusRules``; the policy comes from a join, with the national defaults where a
        municipality saved none. In SQL a report can filter and count thousands of
        courses without loading them.
        """
        rules = StatusRules(now)
        return (
            self.with_progress(rules.now)
            .annotate(required_days=rules.required_days)
            .alias(alert_horizon=rules.alert_horizon)
            .annotate(
                status_code=Case(
                    When(rules.completed, then=Value(CourseStatus.COMPLETED)),
                    When(rules.closed, then=Value(CourseStatus.CLOSED)),
                    When(rules.ended, then=Value(CourseStatus.ENDED)),
                    When(rules.late, then=Value(CourseStatus.LATE)),
                    When(rules.needs_attention, then=Value(CourseStatus.AT_RISK)),
                    When(rules.not_started, then=Value(CourseStatus.PLANNED)),
                    default=Value(CourseStatus.STARTED),
                    output_field=models.CharField(),
                )
            )
        )

    def late_or_at_risk(self, now=None, status=None):
        """Courses needing attention (only the late or only the at-risk ones if ``status``
        says so), nearest finish deadline first.

        Filtered with the rules' conditions rather than ``status_code``, so the database
        evaluates each progress subquery once per course, and the status itself only for
        the rows shown.
        """
        rules = StatusRules(now)
        courses = (
            self.with_status(rules.now)
            .filter(rules.attention_possible & ~rules.closed & ~rules.ended)
            .filter(rules.needs_attention & ~rules.completed)
        )
        if status == CourseStatus.LATE:
            courses = courses.filter(rules.late)
        elif status == CourseStatus.AT_RISK:
            courses = courses.exclude(rules.late)
        return courses.order_by("finish_deadline", "pk")

    def needing_follow_up(self, now=None, status=None):
        """What the coordinator follows: courses late or at risk, and those that ended
        early (the placement ended, or the course was closed) within the year they would
        have run, listed as ended so that a course that stops counting does not simply
        vanish. ``status`` narrows it to the late, the at-risk or the ended ones."""
        rules = StatusRules(now)
        if status in (CourseStatus.LATE, CourseStatus.AT_RISK):
            return self.late_or_at_risk(rules.now, status)
        shown = Q(finish_deadline__gte=rules.today) & rules.ended & ~rules.closed & ~rules.completed
        if status != CourseStatus.ENDED:
            shown |= (
                rules.attention_possible
                & ~rules.closed
                & ~rules.ended
                & rules.needs_attention
                & ~rules.completed
            )
        return self.with_status(rules.now).filter(shown).order_by("finish_deadline", "pk")


class StatusRules:
    """The status rules as database conditions on ``with_status``'s annotations."""

    POLICY = "placement__family__municipality__course_policy__"

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.today = today = timezone.localdate(self.now)
        self.required_days = Coalesce(
            F(f"{self.POLICY}required_training_days"),
            Value(CoursePolicy.DEFAULT_REQUIRED_TRAINING_DAYS),
        )
        margin = ExpressionWrapper(
            Coalesce(
                F(f"{self.POLICY}at_risk_days"),
                Value(CoursePolicy.DEFAULT_AT_RISK_DAYS),
                output_field=models.IntegerField(),
            )
            * Value(datetime.timedelta(days=1)),
            output_field=DurationField(),
        )
        # A deadline within the margin from today needs attention. Computed from today, not
        # from the deadline, so no stored deadline can carry the arithmetic out of range.
        self.alert_horizon = ExpressionWrapper(Value(today) + margin, output_field=DateField())
        self.not_started = Q(started_at__isnull=True)
        self.closed = Q(placement__family__erased_at__isnull=False)
        # A placement ended on an agreed day ahead still runs (and counts) until that day.
        self.ended = Q(placement__end_date__lte=today) | Q(closed_early_on__isnull=False)
        self.completed = Q(training_days__gte=F("required_days"), modules_missing=0)
        # Cheap date tests come first: the database then skips the progress subqueries
        # for most courses (it keeps the written order inside a condition).
        self.late = Q(finish_deadline__lt=today) | (Q(start_deadline__lt=today) & self.not_started)
        # Late or at risk, once not completed: a deadline not met is near or past. The
        # start alert always comes first, so a course before it needs no attention.
        self.attention_possible = Q(start_deadline__lte=F("alert_horizon"))
        self.needs_attention = Q(finish_deadline__lte=F("alert_horizon")) | (
            Q(start_deadline__lte=F("alert_horizon")) & self.not_started
        )


class StartupCourse(models.Model):
    """The closely supported start-up course of one placement (not of the family).

    It is opened by ``open_for`` when the placement is registered. Its deadlines are
    fixed at opening from the municipality's policy, so a later change of policy does
    not move the deadlines of courses already running.

    The status is computed, never stored, from the deadlines, the sessions held and the
    policy (in SQL, by ``StartupCourse.objects.with_status()``), in this order of
    precedence:

    * **completed**: the training days delivered reach the required number and every
      module of the plan is completed by the family (``ModuleCompletion``: its lessons
      done and its required logbook exercises written);
    * **closed**: the family's personal data was erased, so nobody follows the course
      any more: it is never late or at risk (on the start page, in the report or for
      retention), and it ended the day of the erasure (or at its finish deadline, if
      that came first);
    * **ended**: the placement ended (the child moved on; an end agreed ahead counts
      from its day) or the course was closed early: it stops counting as late or at
      risk, and it ended that day;
    * **late**: not started after the start deadline, or not completed after the
      finish deadline;
    * **at risk**: within the policy's margin (``at_risk_days``) of a deadline it has
      not met yet: not started near the start deadline, or too few training days near
      the finish deadline;
    * **started**: the family has had a session since the placement began;
    * **planned**: nothing held yet, and no deadline near.
    """

    placement = models.OneToOneField(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="startup_course",
    )
    start_deadline = models.DateField(
        _("start deadline"),
        help_text=_(
            "From the placement start to the end of the municipality's start window; the "
            "pre-meeting may agree on an earlier start."
        ),
    )
    # The law's first year: always 12 months after the placement start, never typed.
    finish_deadline = models.DateField(_("finish deadline"), editable=False)
    # Recorded by ``services.close_course``, never typed in the course's form.
    closed_early_on = models.DateField(_("closed early on"), null=True, editable=False)
    close_reason = models.CharField(
        _("reason for closing early"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("A few words, e.g. 'the family stopped fostering'; nothing about the child."),
    )

    objects = StartupCourseQuerySet.as_manager()
    base_form_class = TenantAdminForm

    panels = [FieldPanel("start_deadline"), FieldPanel("finish_deadline", read_only=True)]

    class Meta:
        ordering = ["finish_deadline"]
        verbose_name = _("start-up course")
        verbose_name_plural = _("start-up courses")

    def __str__(self):
        return str(self.placement)

    def clean(self):
        """The start deadline lies in the start window: from the placement start to the
        window the municipality's policy sets (at most the 12 months of the law)."""
        if self.start_deadline is None or self.placement_id is None:
            return
        first = self.placement.start_date
        last = add_months(first, self.policy.start_window_months)
        if not first <= self.start_deadline <= last:
            raise ValidationError(
                {
                    "start_deadline": _(
                        "The start deadline must lie from the placement start, %(first)s, "
                        "to the end of the start window, %(last)s."
                    )
                    % {"first": date_format(first), "last": date_format(last)}
                }
            )

    @classmethod
    def open_for(cls, placement):
        """Open (or, after the start date changed, re-date) the placement's course."""
        policy = CoursePolicy.for_municipality(placement.family.municipality)
        course, _created = cls.objects.update_or_create(
            placement=placement,
            defaults={
                "start_deadline": add_months(placement.start_date, policy.start_window_months),
                "finish_deadline": add_months(placement.start_date, FINISH_MONTHS),
            },
        )
        return course

    @property
    def policy(self):
        return CoursePolicy.for_municipality(self.placement.family.municipality)

    @property
    def end_date(self):
        """The day the course ended early (the placement's end or the early close), or None."""
        days = [day for day in (self.placement.end_date, self.closed_early_on) if day]
        return min(days) if days else None

    @property
    def required_training_days(self):
        return self.policy.required_training_days

    def status(self):
        """The status from ``with_status`` (or, for a lone course, one query for it)."""
        if not hasattr(self, "status_code"):
            self.status_code = (
                type(self)
                .objects.with_status()
                .values_list("status_code", flat=True)
                .get(pk=self.pk)
            )
        return CourseStatus(self.status_code)

    def ended_on(self, today=None):
        """The day the course ended, or None while it still runs.

        Needs ``with_status`` and ``with_last_completion``. A completed course ended when
        the family completed the last module of its plan (at the finish deadline if it
        planned none); a closed one when the family was erased; any other course ends at
        its finish deadline, when the placement's first year is over.
        Logbook retention counts from this day.
        """
        today = today or timezone.localdate()
        if self.status() == CourseStatus.COMPLETED:
            completed_at = self.last_module_completed_at
            return timezone.localdate(completed_at) if completed_at else self.finish_deadline
        if self.status() == CourseStatus.CLOSED:
            erased_on = timezone.localdate(self.placement.family.erased_at)
            return min(erased_on, self.finish_deadline)
        if self.status() == CourseStatus.ENDED:
            return min(self.end_date, self.finish_deadline)
        return self.finish_deadline if today > self.finish_deadline else None


class CoursePlanQuerySet(TenantQuerySet):
    municipality_path = "course__placement__family__municipality"

    def completion_per_module(self):
        """Every module with how many of these plans chose it and how many of those the
        family has completed (``planned``, ``completed``, ``percent_completed``)."""
        chosen = CoursePlan.modules.through.objects.filter(
            courseplan__in=self.values("pk"), modulepage=OuterRef("pk")
        )
        done = ModuleCompletion.objects.filter(
            family=OuterRef("courseplan__course__placement__family"), module=OuterRef("modulepage")
        )
        return ModulePage.objects.annotate(
            planned=count_of(chosen, "modulepage"),
            completed=count_of(chosen.filter(Exists(done)), "modulepage"),
            percent_completed=percent("completed", "planned"),
        ).order_by("number", "pk")


class CoursePlan(models.Model):
    """What the pre-meeting (formøde) agreed: modules, theme supervisions, practicalities."""

    course = models.OneToOneField(
        StartupCourse,
        verbose_name=_("start-up course"),
        on_delete=models.CASCADE,
        related_name="plan",
    )
    modules = models.ManyToManyField(
        ModulePage, verbose_name=_("modules"), related_name="+", blank=True
    )
    supervision_themes = models.ManyToManyField(
        Theme, verbose_name=_("theme supervisions"), related_name="+", blank=True
    )
    practical_notes = models.TextField(
        _("practical notes"),
        blank=True,
        help_text=_("Constraints such as work hours or small children; nothing about the child."),
    )

    objects = CoursePlanQuerySet.as_manager()
    base_form_class = TenantAdminForm

    panels = [
        FieldPanel("course"),
        FieldPanel("modules", widget=forms.CheckboxSelectMultiple),
        FieldPanel("supervision_themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("practical_notes"),
    ]

    class Meta:
        verbose_name = _("course plan")
        verbose_name_plural = _("course plans")

    def __str__(self):
        return str(self.course)


class ModuleCompletion(models.Model):
    """A module the family has completed: lessons done and required exercises written.

    Written by the logbook (which knows both lessons and entries) whenever either
    changes; the course status reads it, so the status reflects the logbook too.
    """

    # The record of a family's work: deleting the family row or the module page must not
    # take it along silently (a module in use is unpublished instead).
    family = models.ForeignKey(
        "supervision.FosterFamily",
        verbose_name=_("foster family"),
        on_delete=models.PROTECT,
        related_name="module_completions",
    )
    module = models.ForeignKey(
        ModulePage, verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    objects = ModuleCompletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("completed module")
        verbose_name_plural = _("completed modules")
        constraints = [
            models.UniqueConstraint(fields=["family", "module"], name="one_completion_per_module")
        ]

    def __str__(self):
        return f"{self.family}: {self.module}"
