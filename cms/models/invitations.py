"""Invitations: how a new account gets its first password.

An account made by staff has an unusable password and one ``Invitation``: an e-mail
with a one-time link to choose a password. Only a hash of the link's secret is stored;
the link works once (``accepted_at``), until ``OPSTART_INVITATION_VALID_DAYS`` after it
was sent, and sending it again replaces the secret, so the older link stops working.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")


def validity():
    return timedelta(days=settings.OPSTART_INVITATION_VALID_DAYS)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def status_expression(prefix="", now=None):
    """The invitation status as a database expression (None without an invitation), for
    list columns and filters without a query per row; ``prefix`` reaches the invitation
    (``"invitation__"`` from a user)."""
    now = now or timezone.now()
    return models.Case(
        models.When(
            **{f"{prefix}accepted_at__isnull": False}, then=models.Value(InvitationStatus.ACCEPTED)
        ),
        models.When(
            **{f"{prefix}sent_at__lte": now - validity()},
            then=models.Value(InvitationStatus.EXPIRED),
        ),
        models.When(
            **{f"{prefix}sent_at__isnull": False}, then=models.Value(InvitationStatus.PENDING)
        ),
        default=None,
        output_field=models.CharField(),
    )


class Invitation(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(_("Invitation of %(user)s") % {"user": self.user})

    @property
    def expires_at(self):
        return self.sent_at + validity()

    def status(self, now=None):
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if (now or timezone.now()) >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
