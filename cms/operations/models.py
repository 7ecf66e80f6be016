"""What the operations of several hosts share through the database: outgoing e-mail,
the heartbeats of running workers and schedulers, and the runs of scheduled jobs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting mail whose next attempt is due."""
        return self.filter(
            status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class OutgoingMail(models.Model):
    """One e-mail to one recipient, kept until a task has handed it to the mail server.

    The request or task that writes an e-mail only saves this row (in its own
    transaction, so a change that is rolled back sends nothing); ``cms.operations.mail``
    sends it, records the attempt and tries again later when the server is away. Once
    sent, the content is dropped: the row stays as the record that it went out.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("not sent")

    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The user it is for; the address is theirs when it is sent."),
    )
    address = models.EmailField(
        _("address"), blank=True, help_text=_("Only for recipients who are not users.")
    )
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    content = models.JSONField(_("content"), default=dict, blank=True)
    message_id = models.CharField(_("message id"), max_length=255, unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_mail_due")]

    def __str__(self):
        return self.subject

    @property
    def to(self):
        """The address it goes to now (a user's current address)."""
        return self.recipient.email if self.recipient_id else self.address


class Heartbeat(models.Model):
    """A running worker or scheduler, as last heard from.

    Workers write theirs every few seconds from a thread of their own; a task still
    marked running by a worker that has fallen silent was abandoned (the process was
    killed or its host lost) and is queued again (``cms.operations.worker``).
    """

    class Kind(models.TextChoices):
        WORKER = "worker", _("task worker")
        SCHEDULER = "scheduler", _("scheduler")

    process_id = models.CharField(_("process"), max_length=64, primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process number"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["kind", "host", "pid"]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.get_kind_display()} {self.host}:{self.pid}"


class ScheduledRun(models.Model):
    """A scheduled job's run for one moment of its schedule, recorded once.

    The unique (job, slot) pair is what makes a job run once however many schedulers
    are running: the one whose insert succeeds queues the task, in the same transaction.
    """

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("scheduled for"))
    enqueued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self):
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
