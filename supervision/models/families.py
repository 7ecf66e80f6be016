"""Who is supported: foster families, their placements and their development goals.

Every row belongs to one municipality; staff reach rows only through ``for_user``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

from cms.admin_forms import TenantAdminForm
from cms.models import TenantQuerySet
from courses.models import FamilyType

from . import dates


class CareForm(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time care (døgnpleje)")
    RESPITE = "respite", _("Respite care (aflastning)")


class FosterFamilyQuerySet(TenantQuerySet):
    def of_parent(self, user):
        """The families ``user`` belongs to as a parent; none for staff, even if linked."""
        if not user.is_foster_parent:
            return self.none()
        return self.filter(parents=user)

    def pickable(self):
        """An erased family is linked to nothing new (its old links stay, for the reports)."""
        return self.filter(erased_at__isnull=True)


class FosterFamily(ClusterableModel):
    """A foster family (plejefamilie): one or two parents with their own logins."""

    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="families",
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("How the family is known, e.g. 'Familien Hansen'.")
    )
    family_type = models.ForeignKey(
        FamilyType, verbose_name=_("family type"), on_delete=models.PROTECT, related_name="+"
    )
    care_form = models.CharField(
        _("care form"), max_length=20, choices=CareForm.choices, default=CareForm.FULL_TIME
    )
    parents = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("foster parents"),
        related_name="foster_families",
        blank=True,
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, editable=False)

    objects = FosterFamilyQuerySet.as_manager()
    base_form_class = TenantAdminForm
    picker_choices = {"parents": "foster_parents"}

    panels = [
        FieldPanel("municipality"),
        FieldPanel("name"),
        FieldPanel("family_type"),
        FieldPanel("care_form"),
        FieldPanel("parents"),
        InlinePanel("development_goals", heading=_("Development plan"), label=_("goal")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("foster family")
        verbose_name_plural = _("foster families")
        permissions = [("erase_fosterfamily", _("Can erase a family's personal data"))]

    def __str__(self):
        if self.is_erased:
            return _("Erased family %(number)s") % {"number": self.pk}
        return self.name

    @property
    def is_erased(self):
        return self.erased_at is not None


class FamilyScopedQuerySet(TenantQuerySet):
    """Rows that belong to a family reach the municipality through it."""

    municipality_path = "family__municipality"


class EndReason(models.TextChoices):
    MOVED_HOME = "moved_home", _("The child moved home")
    OTHER_PLACEMENT = "other_placement", _("The child moved to another placement")
    OTHER = "other", _("Other")


class Placement(ClusterableModel):
    """A child moving into a family. Deliberately minimal: no CPR, no case narrative.

    It ends when the child moves on (``end_date``, ``end_reason``: recorded by
    ``services.end_placement``, never typed in the placement's form); its start-up course
    then ends with it.
    """

    # A family's placements (with their courses) go only by erasure, never along with a
    # family row deleted in the admin.
    family = models.ForeignKey(
        FosterFamily,
        verbose_name=_("foster family"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    child_name = models.CharField(
        _("child's first name or initials"),
        max_length=40,
        help_text=_("Only a first name or initials; never a CPR number."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("child's birth year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        null=True,  # only an erased family's placement has none; the form requires it
    )
    start_date = models.DateField(_("placement start"), default=timezone.localdate)
    end_date = models.DateField(_("placement end"), null=True, blank=True, editable=False)
    end_reason = models.CharField(
        _("reason for the end"),
        max_length=20,
        choices=EndReason.choices,
        blank=True,
        editable=False,
    )

    objects = FamilyScopedQuerySet.as_manager()
    base_form_class = TenantAdminForm

    panels = [
        FieldPanel("family"),
        FieldPanel("child_name"),
        FieldPanel("birth_year"),
        FieldPanel("start_date"),
        InlinePanel("plan_goals", heading=_("The child's plan"), label=_("goal")),
    ]

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        return f"{self.child_name or '–'} ({self.start_date:%d.%m.%Y})"

    def clean(self):
        """A start since the law and at most a year ahead; a child under 18 at the start."""
        errors = {}
        if self.start_date:
            error = dates.range_error(
                self.start_date,
                dates.latest_placement_start(),
                _("A placement can be registered at most a year ahead, until %(date)s."),
            )
            if error:
                errors["start_date"] = error
            elif self.end_date and self.start_date > self.end_date:
                errors["start_date"] = _(
                    "The placement ended on %(date)s; it cannot start after that."
                ) % {"date": date_format(self.end_date)}
            elif self.birth_year and self.birth_year > self.start_date.year:
                errors["birth_year"] = _("The child cannot be born after the placement starts.")
            elif self.birth_year and self.start_date.year - self.birth_year > dates.CHILDHOOD_YEARS:
                errors["birth_year"] = _(
                    "A placed child is under 18: born in %(year)s or later."
                ) % {"year": self.start_date.year - dates.CHILDHOOD_YEARS}
        if errors:
            raise ValidationError(errors)

    @property
    def has_ended(self):
        return self.end_date is not None

    def end_date_error(self, end_date, today=None):
        """Why ``end_date`` cannot end this placement, or None: not before its start, and
        at most a month ahead (a move already agreed), never further."""
        if end_date < self.start_date:
            return _("The placement cannot end before it started, %(date)s.") % {
                "date": date_format(self.start_date)
            }
        latest = (today or timezone.localdate()) + dates.END_AHEAD
        return dates.range_error(
            end_date, latest, _("A placement can be ended at most a month ahead, until %(date)s.")
        )


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ReviewedGoal(models.Model):
    """A goal reviewed at visits: its review date and status."""

    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )

    panels = [FieldPanel("text"), FieldPanel("review_date"), FieldPanel("status")]

    class Meta:
        abstract = True
        ordering = ["review_date", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.review_date:
            error = dates.range_error(
                self.review_date,
                dates.latest_planned_day(),
                _("A review can be planned at most two years ahead, until %(date)s."),
            )
            if error:
                raise ValidationError({"review_date": error})


class DevelopmentGoal(ReviewedGoal):
    """A concrete goal of the family's development plan (udviklingsplan), reviewed at visits."""

    family = ParentalKey(
        FosterFamily,
        verbose_name=_("foster family"),
        on_delete=models.CASCADE,
        related_name="development_goals",
    )
    text = models.CharField(
        _("goal"),
        max_length=300,
        help_text=_("Concrete and observable, e.g. 'read a book with the child every day'."),
    )

    objects = FamilyScopedQuerySet.as_manager()

    class Meta(ReviewedGoal.Meta):
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")


class ChildPlanGoalQuerySet(TenantQuerySet):
    municipality_path = "placement__family__municipality"


class ChildPlanGoal(ReviewedGoal):
    """A goal of the child's plan (barnets plan, formerly handleplan), in a few words.

    The plan itself is the municipality's case document; foster parents must know its
    goals, so supervisors record them here, short, on the placement.
    """

    placement = ParentalKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="plan_goals",
    )
    text = models.CharField(
        _("goal"),
        max_length=200,
        help_text=_(
            "A few words, e.g. 'goes to school every day'. No diagnoses, incidents or other "
            "sensitive details: the case stays in the municipality's case system."
        ),
    )

    objects = ChildPlanGoalQuerySet.as_manager()

    class Meta(ReviewedGoal.Meta):
        verbose_name = _("goal of the child's plan")
        verbose_name_plural = _("goals of the child's plan")
