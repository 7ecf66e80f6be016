"""What each person wants to hear, and which reminders have gone out."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Session


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarPreferences(models.Model):
    """A person's choice of e-mail reminders and the secret token of their iCal feed.

    The token is the only credential of the feed URL (calendar apps cannot log in), so
    it is long, random and can be replaced at any time, which revokes the old URL.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_preferences",
    )
    email_reminders = models.BooleanField(
        _("e-mail reminders"),
        default=True,
        help_text=_("Send me an e-mail before each of my sessions."),
    )
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token
    )

    class Meta:
        verbose_name = _("calendar preferences")
        verbose_name_plural = _("calendar preferences")

    def __str__(self):
        return str(self.user)

    @classmethod
    def of(cls, user):
        return cls.objects.get_or_create(user=user)[0]

    def regenerate_feed_token(self):
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])


class ReminderSent(models.Model):
    """One reminder e-mail, recorded before it is sent so that it goes out only once.

    The session's start is part of the key: after a reschedule, the reminders for the
    new time are new rows, while those for the old time stay recorded.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    offset = models.DurationField()
    session_start = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "offset", "session_start"], name="unique_reminder"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.session} (-{self.offset})"
