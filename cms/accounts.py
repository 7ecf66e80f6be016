"""Accounts made by staff and their invitations: the one way to create, invite, change
the role of, deactivate and reactivate an account, used by the admin screens, the family
services (``supervision.services``), seeding and tests alike.

A new account has an unusable password until its person accepts the invitation e-mail
(written to the outbox in the transaction that made the account) and chooses one.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, InvitationStatus, Role
from .models.invitations import token_hash


@transaction.atomic
def create_account(
    *, email, first_name, last_name, role, municipality=None, language=None, invited_by=None
):
    """Create an account with ``role`` and send its invitation; returns the user.

    Raises ``ValidationError`` keyed by field (``email`` for an address already in use,
    however typed), so a form shows it next to the field.
    """
    User = get_user_model()
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        municipality=municipality,
        language=language or settings.LANGUAGE_CODE,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
    invite(user, invited_by=invited_by)
    return user


def invite(user, invited_by=None):
    """(Re)send ``user`` an invitation: a new secret replaces any older link's, so only the
    newest e-mail works. Returns the link. An account with a password (an accepted
    invitation, or one made before invitations) gets none: its owner uses *Forgot your
    password?*, and a link must never replace a password its owner chose."""
    if user.has_usable_password():
        raise ValidationError(
            _("The account already has a password: its owner can use “Forgot your password?”.")
        )
    if not user.is_active:
        raise ValidationError(_("The account is deactivated; reactivate it first."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation, _created = Invitation.objects.update_or_create(
            user=user,
            defaults={
                "token_hash": token_hash(token),
                "sent_at": timezone.now(),
                "invited_by": invited_by,
            },
        )
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "accept_invitation", args=[token]
        )
        get_connection().send_messages([invitation_message(invitation, link)])
    return link


def invitation_message(invitation, link):
    """The invitation e-mail in the person's language. It names no family or child: only
    the person, the link and how long it works."""
    user = invitation.user
    with translation.override(user.language):
        context = {
            "user": user,
            "link": link,
            "expires_at": timezone.localtime(invitation.expires_at),
            "municipality": user.municipality,
        }
        subject = render_to_string("cms/email/invitation_subject.txt", context).strip()
        body = render_to_string("cms/email/invitation.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def find_invitation(token):
    """The invitation of ``token`` and why it cannot be used (None when it can):
    ``"unknown"`` (a wrong link, or an older one replaced by a newer e-mail),
    ``"accepted"`` (the link was used) or ``"expired"``."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or not invitation.user.is_active:
        return None, "unknown"
    status = invitation.status()
    if status == InvitationStatus.ACCEPTED:
        return invitation, "accepted"
    if status == InvitationStatus.EXPIRED:
        return invitation, "expired"
    return invitation, None


@transaction.atomic
def accept_invitation(invitation, password):
    """Give the invited person ``password`` and use the link up. The row is locked, so two
    posts of one link cannot both set a password."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.status() != InvitationStatus.PENDING:
        raise ValidationError(_("This link can no longer be used."))
    invitation.user.set_password(password)
    invitation.user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.user


@transaction.atomic
def change_role(user, role, *, by):
    """Give ``user`` the staff ``role`` in place of the one ``by`` manages."""
    from .models.users import managed_roles

    roles = managed_roles(by)
    if role not in roles:
        raise ValidationError({"role": _("Choose one of the roles you manage.")})
    if user == by and not user.has_role(role):
        raise ValidationError({"role": _("You cannot change your own role.")})
    user.groups.remove(*Group.objects.filter(name__in=list(roles)))
    user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
    user.__dict__.pop("roles", None)  # the cached role names
    return user


def set_active(user, active, *, by=None):
    """Deactivate (no login, no e-mail; nothing is deleted) or reactivate an account."""
    if user == by and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
