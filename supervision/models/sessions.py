"""When families meet: cohorts, their quarters, sessions of every kind and attendance.

A session belongs to one municipality and is either a family session (pre-meeting,
module teaching, theme or individual supervision: families linked directly) or a group
supervision (families linked through the cohort). Booking rules live in
``Session.check_bookings`` so that the admin forms, the scheduling services and the
tests refuse the same conflicts with the same messages.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet
from wagtail.admin.panels import FieldPanel, InlinePanel

from cms.admin_forms import TenantAdminForm
from cms.models import TenantQuerySet
from courses.models import ModulePage, Theme

from ..admin_forms import SessionAdminForm
from . import dates
from .counting import count_of, percent
from .families import FosterFamily


class Cohort(ClusterableModel):
    """A team (hold) of families that meets for group supervision through a year."""

    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2019), MaxValueValidator(2100)]
    )
    families = ParentalManyToManyField(
        FosterFamily, verbose_name=_("families"), related_name="cohorts", blank=True
    )
    supervisors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisors"),
        related_name="supervised_cohorts",
        blank=True,
    )

    objects = TenantQuerySet.as_manager()
    base_form_class = TenantAdminForm
    picker_choices = {"supervisors": "supervisors"}
    log_by_name = True  # a team's name and year, no personal data (cms.models.logs)

    panels = [
        FieldPanel("municipality"),
        FieldPanel("name"),
        FieldPanel("year"),
        FieldPanel("families"),
        FieldPanel("supervisors"),
        InlinePanel("quarters", heading=_("Quarters and themes"), label=_("quarter"), max_num=4),
    ]

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "year"], name="unique_cohort_per_year"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def clean(self):
        """A year since the law and at most two years ahead, not moved under its sessions."""
        if self.year is None:
            return
        last = dates.latest_planned_day().year
        if not dates.LAW_IN_FORCE.year <= self.year <= last:
            raise ValidationError(
                {
                    "year": _("The year must be from %(first)s to %(last)s.")
                    % {"first": dates.LAW_IN_FORCE.year, "last": last}
                }
            )
        if self.pk and self.group_supervisions.exclude(cohort__year=self.year).exists():
            raise ValidationError(
                {
                    "year": _(
                        "The cohort has group supervisions in its year; move or cancel "
                        "them before changing the year."
                    )
                }
            )

    @transaction.atomic
    def save(self, **kwargs):
        self.free_quarter_numbers()
        super().save(**kwargs)

    def free_quarter_numbers(self):
        """Let quarters swap numbers: the cohort saves its quarters one by one, so two
        swapping would meet halfway in the one-number-per-cohort constraint. The stored
        rows of the renumbered quarters step aside first (numbers above 4, within this
        transaction); the form has already refused two quarters with one number."""
        pending = getattr(self, "_cluster_related_objects", {}).get("quarters")
        if self.pk is None or not pending:
            return
        stored = dict(Quarter.objects.filter(cohort=self).values_list("pk", "number"))
        renumbered = [q.pk for q in pending if q.pk in stored and stored[q.pk] != q.number]
        if renumbered:
            Quarter.objects.filter(pk__in=renumbered).update(number=F("number") + 4)


class QuarterQuerySet(TenantQuerySet):
    municipality_path = "cohort__municipality"

    def with_attendance(self, now=None):
        """Annotate each quarter's group supervisions held by ``now`` (not cancelled), the
        parents invited to them (the cohort's parents at each), those present and the rate."""
        now = now or timezone.now()
        held = GroupSupervision.objects.non_polymorphic().filter(
            quarter=OuterRef("pk"), cancelled_at__isnull=True, start__lte=now
        )
        parents = (
            get_user_model()
            .objects.filter(foster_families__cohorts=OuterRef("cohort"))
            .order_by()
            .values("foster_families__cohorts")
            .annotate(count=Count("pk", distinct=True))
            .values("count")
        )
        present = Attendance.objects.filter(
            session__groupsupervision__quarter=OuterRef("pk"),
            session__cancelled_at__isnull=True,
            session__start__lte=now,
            present=True,
        )
        return self.annotate(
            sessions_held=count_of(held, "quarter"),
            invited=F("sessions_held") * Coalesce(Subquery(parents[:1]), 0),
            attended=count_of(present, "session__groupsupervision__quarter"),
            attendance_rate=percent("attended", "invited"),
        )


class Quarter(models.Model):
    """A quarter of a cohort's year and its theme, shared by group and individual supervision."""

    cohort = ParentalKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="quarters"
    )
    number = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="quarters"
    )

    objects = QuarterQuerySet.as_manager()

    panels = [FieldPanel("number"), FieldPanel("theme")]

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_quarter_per_cohort")
        ]

    def __str__(self):
        return _("Q%(number)s %(year)s: %(theme)s") % {
            "number": self.number,
            "year": self.cohort.year,
            "theme": self.theme,
        }

    def clean(self):
        """A quarter's group supervisions lie in it, so it keeps its number while it has any."""
        if (
            self.pk
            and Quarter.objects.filter(pk=self.pk, sessions__isnull=False)
            .exclude(number=self.number)
            .exists()
        ):
            raise ValidationError(
                {
                    "number": _(
                        "This quarter has group supervisions; move or cancel them before "
                        "changing its number."
                    )
                }
            )

    @property
    def first_day(self):
        return datetime.date(self.cohort.year, 3 * self.number - 2, 1)

    @property
    def last_day(self):
        if self.number == 4:
            return datetime.date(self.cohort.year, 12, 31)
        return datetime.date(self.cohort.year, 3 * self.number + 1, 1) - datetime.timedelta(days=1)


class SessionQuerySet(PolymorphicQuerySet, TenantQuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now=None):
        return self.active().filter(end__gte=now or timezone.now())

    def overlapping(self, start, end):
        return self.active().filter(start__lt=end, end__gt=start)

    def alone_with(self, family):
        """Sessions with this family and no other (their place is often the family's home)."""
        with_family = Session.objects.filter(families=family).values("pk")
        return self.filter(
            pk__in=Session.objects.non_polymorphic()
            .filter(pk__in=with_family)
            .annotate(participants=Count("families"))
            .filter(participants=1)
            .values("pk")
        )

    def of_families(self, family_ids):
        """Sessions of the families, directly or through one of their cohorts: one
        semi-join on the union of both links, which PostgreSQL answers from the indexes of
        the two link tables (an OR of the two joins made it scan every session)."""
        direct = Session.families.through.objects.filter(fosterfamily_id__in=family_ids)
        through_cohort = GroupSupervision.objects.non_polymorphic().filter(
            cohort__families__in=family_ids
        )
        concerned = direct.values("session_id").union(
            through_cohort.order_by().values("pk"), all=True
        )
        return self.filter(pk__in=concerned)

    def of_user(self, user):
        """Sessions in a person's calendar: those they supervise or their families attend."""
        families = FosterFamily.objects.of_parent(user)
        return self.filter(
            Q(supervisors=user)
            | Q(families__in=families)
            | Q(groupsupervision__cohort__families__in=families)
        ).distinct()


class Session(PolymorphicModel):
    """A meeting at a time and place (or video link) with one or more supervisors.

    ``sequence`` counts reschedules so that calendar apps replace the old event
    (iCalendar SEQUENCE) and queued reminders can tell that the session has moved.
    """

    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisors"), related_name="supervised_sessions"
    )
    families = models.ManyToManyField(
        FosterFamily,
        verbose_name=_("families"),
        related_name="sessions",
        blank=True,
        help_text=_("The families taking part (group supervision takes the cohort's families)."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    # Attendance opens after-exercises, so it is recorded once the session has begun, and
    # until a month after it (then the list stays as recorded).
    ATTENDANCE_PERIOD = datetime.timedelta(days=30)

    objects = PolymorphicManager.from_queryset(SessionQuerySet)()
    base_form_class = SessionAdminForm
    picker_choices = {"supervisors": "supervisors"}
    log_by_name = True  # its kind and time, no personal data (cms.models.logs)

    panels = [
        FieldPanel("municipality"),
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("place"),
        FieldPanel("video_link"),
        FieldPanel("supervisors"),
        FieldPanel("families"),
    ]

    class Meta:
        ordering = ["start"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        start = date_format(self.local_start, "DATETIME_FORMAT")
        return f"{self._meta.verbose_name.capitalize()} {start}"

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def where(self):
        return self.place or self.video_link

    def clean(self):
        errors = self.time_errors()
        if not self.place and not self.video_link:
            errors["place"] = _("Give a place or a video link.")
        if errors:
            raise ValidationError(errors)

    def time_errors(self):
        """What is wrong with the start and end: a start since the law and at most two
        years ahead, an end after it and at most 12 hours later."""
        if not self.start:
            return {}
        error = dates.range_error(
            self.start,
            dates.latest_planned_day(),
            _("Sessions can be planned at most two years ahead, until %(date)s."),
        )
        if error:
            return {"start": error}
        if self.end and self.end <= self.start:
            return {"end": _("The session must end after it starts.")}
        if self.end and self.end - self.start > dates.LONGEST_SESSION:
            return {"end": _("A session lasts at most 12 hours.")}
        return {}

    def attendance_closed_reason(self, now=None):
        """Why attendance cannot be recorded now, or "" while it can."""
        now = now or timezone.now()
        if self.cancelled_at:
            return _("The session is cancelled.")
        if now < self.start:
            return _("Attendance can be recorded once the session has begun.")
        if now > self.end + self.ATTENDANCE_PERIOD:
            return _("Attendance can be recorded until %(days)s days after the session.") % {
                "days": self.ATTENDANCE_PERIOD.days
            }
        return ""

    def participating_families(self, families=None):
        """The families in the session; ``families`` is the not yet saved choice, if any."""
        if families is not None:
            return list(families)
        if self.pk is None:
            return []
        return list(self.families.all())

    def families_field(self):
        """The form field a family conflict is reported on."""
        return "families"

    def check_bookings(self, supervisors, families=None):
        """Refuse a supervisor or a family booked into another session at the same time.

        ``supervisors`` and ``families`` are the chosen (maybe unsaved) participants: a
        form knows them before the many-to-many rows exist.
        """
        if not self.start or not self.end or self.time_errors():
            return
        others = Session.objects.non_polymorphic().overlapping(self.start, self.end)
        if self.pk:
            others = others.exclude(pk=self.pk)
        errors = {}
        busy = (
            get_user_model()
            .objects.filter(
                supervised_sessions__in=others, pk__in=[user.pk for user in supervisors]
            )
            .distinct()
        )
        if busy:
            errors["supervisors"] = _("Already booked at that time: %(names)s.") % {
                "names": ", ".join(str(user) for user in busy)
            }
        family_ids = [f.pk for f in self.participating_families(families)]
        clashing = FosterFamily.objects.filter(pk__in=family_ids).filter(
            Q(sessions__in=others) | Q(cohorts__group_supervisions__pk__in=others.values("pk"))
        )
        if clashing.exists():
            errors[self.families_field()] = _(
                "A family is already booked at that time: %(names)s."
            ) % {"names": ", ".join(sorted({str(f) for f in clashing}))}
        if errors:
            raise ValidationError(errors)

    def recipients(self):
        """Everyone to tell about the session: its supervisors and the families' parents."""
        family_ids = [f.pk for f in self.participating_families()]
        return (
            get_user_model()
            .objects.filter(Q(supervised_sessions=self) | Q(foster_families__in=family_ids))
            .distinct()
        )


class PreMeeting(Session):
    """The pre-meeting (formøde) where consultant and family plan the course."""

    course = models.ForeignKey(
        "supervision.StartupCourse",
        verbose_name=_("start-up course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pre_meetings",
    )

    panels = [*Session.panels, FieldPanel("course")]

    class Meta:
        verbose_name = _("pre-meeting")
        verbose_name_plural = _("pre-meetings")


class ModuleSession(Session):
    """Teaching of one module; each counts as a training day of the start-up course."""

    module = models.ForeignKey(
        ModulePage, verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [*Session.panels, FieldPanel("module")]

    class Meta:
        verbose_name = _("module session")
        verbose_name_plural = _("module sessions")


class ThemeSupervision(Session):
    """Supervision after a module: the family works on the theme with its own foster child."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [*Session.panels, FieldPanel("theme")]

    class Meta:
        verbose_name = _("theme supervision")
        verbose_name_plural = _("theme supervisions")


class GroupSupervision(Session):
    """The quarterly meeting of a cohort, on the quarter's theme."""

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="group_supervisions",
    )
    quarter = models.ForeignKey(
        Quarter, verbose_name=_("quarter"), on_delete=models.CASCADE, related_name="sessions"
    )
    another_in_quarter = models.BooleanField(
        _("schedule another group supervision in this quarter"),
        default=False,
        help_text=_(
            "A cohort meets once a quarter. Tick this only to add one more meeting on purpose."
        ),
    )

    panels = [
        FieldPanel("municipality"),
        FieldPanel("cohort"),
        FieldPanel("quarter"),
        FieldPanel("another_in_quarter"),
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("place"),
        FieldPanel("video_link"),
        FieldPanel("supervisors"),
    ]

    class Meta:
        verbose_name = _("group supervision")
        verbose_name_plural = _("group supervisions")

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.quarter_id and self.cohort_id and self.quarter.cohort_id != self.cohort_id:
            errors.setdefault("quarter", []).append(_("The quarter belongs to another cohort."))
        elif self.quarter_id and self.start and self.end and not self.time_errors():
            first, last = self.quarter.first_day, self.quarter.last_day
            if not (first <= timezone.localdate(self.start) <= last) or not (
                first <= timezone.localdate(self.end) <= last
            ):
                errors.setdefault("start", []).append(
                    _("A group supervision must lie in its quarter (%(first)s–%(last)s).")
                    % {"first": date_format(first), "last": date_format(last)}
                )
        if "quarter" not in errors and (other := self.other_in_quarter()):
            errors.setdefault("another_in_quarter", []).append(
                _(
                    "The cohort already has a group supervision in this quarter, on %(date)s. "
                    "Tick the box to schedule another one on purpose."
                )
                % {"date": date_format(other.local_start, "DATETIME_FORMAT")}
            )
        if errors:
            raise ValidationError(errors)

    def other_in_quarter(self):
        """The cohort's regular (not cancelled, not another on purpose) group supervision
        of the same quarter, unless this one is meant as another: one per cohort and
        quarter, and any more only on purpose."""
        if self.another_in_quarter or not self.quarter_id or self.cancelled_at:
            return None
        others = GroupSupervision.objects.active().filter(
            quarter_id=self.quarter_id, another_in_quarter=False
        )
        return others.exclude(pk=self.pk).order_by("start").first()

    def participating_families(self, families=None):
        return list(self.cohort.families.all()) if self.cohort_id else []

    def families_field(self):
        return "cohort"


class IndividualSupervision(Session):
    """A visit or conversation with one family, e.g. to review its development goals.

    It carries the quarter of the family's cohort and the theme it works on, which is the
    quarter's theme unless the supervisor chooses another.
    """

    quarter = models.ForeignKey(
        Quarter,
        verbose_name=_("quarter"),
        on_delete=models.SET_NULL,
        related_name="individual_supervisions",
        null=True,
        blank=True,
        help_text=_("The quarter of the family's cohort."),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Left empty, the quarter's theme is taken."),
    )

    panels = [*Session.panels, FieldPanel("quarter"), FieldPanel("theme")]

    class Meta:
        verbose_name = _("individual supervision")
        verbose_name_plural = _("individual supervisions")

    def clean(self):
        if self.quarter_id and not self.theme_id:
            self.theme = self.quarter.theme
        super().clean()

    def check_bookings(self, supervisors, families=None):
        """Besides the bookings, the quarter must be one of a family's cohorts."""
        errors = {}
        try:
            super().check_bookings(supervisors, families)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        family_ids = [family.pk for family in self.participating_families(families)]
        if (
            self.quarter_id
            and family_ids
            and not self.quarter.cohort.families.filter(pk__in=family_ids).exists()
        ):
            errors.setdefault("quarter", []).append(_("Choose a quarter of the family's cohort."))
        if errors:
            raise ValidationError(errors)


class AttendanceQuerySet(TenantQuerySet):
    municipality_path = "session__municipality"


class Attendance(models.Model):
    """Whether one parent was present at one session."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("foster parent"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    present = models.BooleanField(_("present"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "parent"], name="unique_attendance")
        ]

    def __str__(self):
        return f"{self.parent} – {self.session}"
