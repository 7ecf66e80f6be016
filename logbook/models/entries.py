"""What families write: logbook entries, private until shared, and staff feedback on them.

Privacy: a parent sees their own entries and their household's joint entries; staff see
only shared entries of their own municipality, and only with the permission to view
entries (trainers never have it).
"""

import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cms.models import TenantQuerySet


class StaleEntry(Exception):
    """Someone else saved the entry since this editor loaded it."""

    def __init__(self, entry):
        super().__init__(f"Entry {entry.pk} is at version {entry.version}")
        self.entry = entry


class LogbookEntryQuerySet(TenantQuerySet):
    municipality_path = "family__municipality"

    def readable_by_parent(self, user):
        """The parent's own entries and their households' joint entries; none for staff,
        even if linked to a family."""
        if not user.is_foster_parent:
            return self.none()
        return self.filter(family__parents=user).filter(Q(author=user) | Q(is_joint=True))

    def shared(self):
        return self.filter(shared_at__isnull=False)

    def visible_to_staff(self, user):
        if not user.has_perm("logbook.view_logbookentry"):
            return self.none()
        return self.for_user(user).shared()

    def feedback_turnaround(self, by_supervisor=False):
        """How fast these shared entries got their first feedback, per month of sharing
        (with the entries still waiting) or per supervisor who answered first.

        Two queries whatever the number of entries: the first feedback of each answered
        entry (no earlier feedback on it exists), and the count still waiting per month.
        Median and average are taken from the first query's rows.
        """
        earlier = Feedback.objects.filter(
            entry=OuterRef("entry"), created_at__lt=OuterRef("created_at")
        )
        first = Feedback.objects.filter(entry__in=self.shared().values("pk")).filter(
            ~Exists(earlier)
        )
        groups = {}
        if by_supervisor:
            rows = first.values_list(
                "author_id",
                "author__first_name",
                "author__last_name",
                "entry__shared_at",
                "created_at",
            ).order_by("author__first_name", "author__last_name", "author_id")
            for author_id, first_name, last_name, shared_at, answered_at in rows:
                label = " ".join(filter(None, [first_name, last_name])) or _("Former staff member")
                groups.setdefault(author_id, Turnaround(label, waiting=None)).add(
                    answered_at - shared_at
                )
            waiting = self.shared().filter(feedback__isnull=True).count()
            return [*groups.values(), Turnaround(_("Not answered yet"), waiting=waiting)]
        rows = (
            first.annotate(month=TruncMonth("entry__shared_at"))
            .values_list("month", "entry__shared_at", "created_at")
            .order_by("month")
        )
        for month, shared_at, answered_at in rows:
            groups.setdefault(month.date(), Turnaround(month.date())).add(answered_at - shared_at)
        waiting = (
            self.shared()
            .filter(feedback__isnull=True)
            .annotate(month=TruncMonth("shared_at"))
            .values_list("month")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for month, count in waiting:
            groups.setdefault(month.date(), Turnaround(month.date())).waiting = count
        return [groups[month] for month in sorted(groups, reverse=True)]


class LogbookEntry(models.Model):
    """One family member's (or the household's joint) answer to one exercise, for one
    session: a recurring exercise (a goal follow-up before each visit) gets one entry per
    session it is written for.

    ``session`` is empty only for entries written before entries were bound to sessions
    that no session of the family could be matched to (migration ``logbook 0007``):
    they stay readable, not editable. Every entry written since has its session.

    ``answers`` hold plain text exactly as typed: "Mor & far" stays "Mor & far". Every
    page, PDF and e-mail escapes it on output (templates auto-escape), so it is never
    run through the HTML cleaner, which would store "Mor &amp; far", drop "<vred>" and
    let a text at the length limit grow past it.
    """

    # What a family wrote goes only by erasure or retention, never along with an exercise
    # (trainers retire those instead) or a family row deleted in the admin.
    exercise = models.ForeignKey(
        "logbook.Exercise",
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    family = models.ForeignKey(
        "supervision.FosterFamily",
        verbose_name=_("foster family"),
        on_delete=models.PROTECT,
        related_name="logbook_entries",
    )
    session = models.ForeignKey(
        "supervision.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logbook_entries",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    is_joint = models.BooleanField(_("written together"), default=False)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)
    shared_at = models.DateTimeField(_("shared with the consultant"), null=True, blank=True)

    objects = LogbookEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "session", "family", "author"],
                condition=Q(is_joint=False),
                name="one_own_entry_per_parent_exercise_and_session",
            ),
            models.UniqueConstraint(
                fields=["exercise", "session", "family"],
                condition=Q(is_joint=True),
                name="one_joint_entry_per_family_exercise_and_session",
            ),
        ]
        indexes = [
            # Staff read only shared entries, a municipality's families at a time: the
            # count waiting for feedback is then read from this index alone.
            models.Index(
                fields=["family", "id"],
                condition=Q(shared_at__isnull=False),
                name="shared_entries_by_family",
            )
        ]

    def __str__(self):
        return f"{self.exercise} ({self.family})"

    def get_absolute_url(self):
        """Where the parent writes (or, without a session, reads) this entry."""
        if self.session_id is None:
            url = reverse("logbook:exercise", args=[self.family_id, self.exercise_id])
            return f"{url}?earlier=1"
        url = reverse("logbook:entry", args=[self.family_id, self.exercise_id, self.session_id])
        return f"{url}?joint=1" if self.is_joint else url

    @property
    def is_shared(self):
        return self.shared_at is not None

    @property
    def is_empty(self):
        return not any(value not in (None, "", []) for value in self.answers.values())

    def summary(self):
        return self.exercise.summarise(self.answers, self.family)

    def save_answers(self, answers, editor, base_version):
        """Store ``answers`` if nobody saved since ``base_version``; same answers are a no-op.

        The conditional UPDATE makes the version check and the write one atomic step, so
        two parents typing in one joint entry can never silently overwrite each other.
        """
        if base_version == self.version and answers == self.answers:
            return self
        now = timezone.now()
        updated = LogbookEntry.objects.filter(pk=self.pk, version=base_version).update(
            answers=answers, version=F("version") + 1, last_edited_by=editor, updated_at=now
        )
        if not updated:
            self.refresh_from_db()
            raise StaleEntry(self)
        # The row matched ``base_version``, so what it holds now is known without a read.
        self.answers, self.version = answers, base_version + 1
        self.last_edited_by, self.updated_at = editor, now
        return self

    def share(self):
        if self.shared_at is None:
            self.shared_at = timezone.now()
            self.save(update_fields=["shared_at"])

    def unshare(self):
        if self.shared_at is not None:
            self.shared_at = None
            self.save(update_fields=["shared_at"])


@dataclass
class Turnaround:
    """One row of the feedback turnaround report: a month of sharing or a supervisor."""

    group: object
    waiting: int = 0

    def __post_init__(self):
        self.days = []

    def add(self, duration):
        self.days.append(duration.total_seconds() / 86400)

    def __str__(self):
        if hasattr(self.group, "year"):
            return date_format(self.group, "YEAR_MONTH_FORMAT")
        return str(self.group)

    @property
    def answered(self):
        return len(self.days)

    @property
    def average_days(self):
        return round(statistics.fmean(self.days), 1) if self.days else None

    @property
    def median_days(self):
        return round(statistics.median(self.days), 1) if self.days else None


class Feedback(models.Model):
    """A supervisor's written feedback on one shared entry (one per supervisor and entry).

    Plain text, stored as typed and escaped wherever it is shown, like the answers.
    """

    entry = models.ForeignKey(
        LogbookEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("feedback"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["entry", "author"], name="one_feedback_per_author")
        ]

    def __str__(self):
        return f"{self.entry}: {self.author}"


class ExerciseOpeningQuerySet(TenantQuerySet):
    municipality_path = "family__municipality"


class ExerciseOpening(models.Model):
    """An after-exercise the consultant opened by hand for one session, e.g. for a
    family whose attendance was not recorded in time."""

    family = models.ForeignKey(
        "supervision.FosterFamily",
        verbose_name=_("foster family"),
        on_delete=models.CASCADE,
        related_name="exercise_openings",
    )
    exercise = models.ForeignKey(
        "logbook.Exercise",
        verbose_name=_("exercise"),
        on_delete=models.CASCADE,
        related_name="openings",
    )
    session = models.ForeignKey(
        "supervision.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    objects = ExerciseOpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("exercise opened by hand")
        verbose_name_plural = _("exercises opened by hand")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "exercise", "session"], name="one_opening_per_session"
            )
        ]

    def __str__(self):
        return f"{self.exercise} ({self.family})"


class ShareDigest(models.Model):
    """A pending digest e-mail to one consultant about entries shared since ``since``.

    One row per consultant at most: the first share queues the digest task, later shares
    before it runs ride along, so a consultant gets one e-mail, not one per share.
    """

    recipient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("shared since"))

    class Meta:
        verbose_name = _("pending share digest")
        verbose_name_plural = _("pending share digests")

    def __str__(self):
        return f"{self.recipient} ({self.since:%Y-%m-%d %H:%M})"
