"""Outgoing e-mail: written to the database, sent by a task, one recipient at a time.

Django's ``EMAIL_BACKEND`` is ``OutboxBackend``, so every e-mail of the platform (session
invitations and reminders, logbook notices, password resets, Wagtail's moderation
mails) becomes one ``OutgoingMail`` row per recipient, saved in the transaction of the
change that wrote it, with a ``deliver_mail`` task queued in that same transaction. The
task hands the message to the real transport (``OPSTART_EMAIL_DELIVERY_BACKEND``, SMTP
in production).

**The guarantee: at least once to the mail server, recorded exactly once.** ``deliver``
locks the row for the whole SMTP conversation and marks it sent in the same transaction.
A worker killed while sending rolls back and leaves the row waiting, so the reclaimed
task sends it again; the row itself can only ever be marked sent once. The one
duplicate possible is a worker dying in the milliseconds between the server's "250 OK"
and the commit; that copy carries the same Message-ID, by which mail programs recognise
it. Marking first and sending after (at most once) would instead lose that e-mail
without anyone knowing; for an invitation or a reminder a rare duplicate is the lesser
harm.

**Who never gets e-mail**: inactive users (erased families' parents among them) and
``.invalid`` addresses (RFC 6761: never deliverable; erased parents have one). They are
left out when the mail is written, and checked again when it is sent.

**Failures**: the server away, refusing for now (4xx) or a network error is tried again
with growing waits (``OPSTART_MAIL_RETRY``); a recipient refused for good (5xx), or
every attempt used, leaves the row *failed*, listed for operators in the admin (where
it can be sent again) and counted by ``/healthz``.
"""

import base64
import logging
import smtplib
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.utils import exclusive_transaction

from .models import OutgoingMail
from .retries import backoff

logger = logging.getLogger("opstart.mail")

UNDELIVERABLE_DOMAIN = ".invalid"


class OutboxBackend(BaseEmailBackend):
    """Django's e-mail backend for the platform: saves, never sends (see the module)."""

    def send_messages(self, email_messages):
        return len(post(email_messages))


def post(messages):
    """Save one ``OutgoingMail`` per recipient of each of ``messages`` and queue its
    delivery, all in one transaction. Returns the rows written."""
    messages = list(messages)
    addresses = {_bare(address) for message in messages for address in message.recipients()}
    users = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(email__in=addresses - {""})
    }
    written = []
    with transaction.atomic():
        for message in messages:
            for address in dict.fromkeys(_bare(a) for a in message.recipients()):
                user = users.get(address)
                if not reachable(address, user):
                    logger.info("E-mail left out: its recipient is inactive or erased")
                    continue
                written.append(
                    OutgoingMail.objects.create(
                        recipient=user,
                        address="" if user else address,
                        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                        subject=str(message.subject),
                        content=_content(message),
                        message_id=_message_id(),
                    )
                )
        for mail in written:
            _queue(mail)
    return written


def reachable(address, user):
    """Whether ``address`` (of ``user``, if it is one's) may receive e-mail at all."""
    if not address or address.endswith(UNDELIVERABLE_DOMAIN):
        return False
    return user is None or user.is_active


def deliver(mail_id):
    """Send one waiting e-mail (the body of ``deliver_mail``); True when it went out.

    Does nothing for a row already sent, given up, or being sent by another worker
    right now (its lock is skipped, not waited for). Database errors are not caught:
    the transaction rolls back with the row still waiting, and the worker retries.
    """
    connection = get_connection(settings.OPSTART_EMAIL_DELIVERY_BACKEND)
    try:
        with exclusive_transaction():  # on SQLite, a second worker waits, then sees "sent"
            mail = (
                OutgoingMail.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=mail_id, status=OutgoingMail.Status.PENDING)
                .first()
            )
            if mail is None:
                return False
            if not reachable(mail.to.lower(), mail.recipient):
                mail.status = OutgoingMail.Status.CANCELLED
                mail.content = {}
                mail.save(update_fields=["status", "content"])
                return False
            try:
                connection.open()  # opened here, so that sending leaves it open
                connection.send_messages([as_message(mail)])
            except DatabaseError:
                raise
            except Exception as error:  # noqa: BLE001 - every failure of sending is recorded
                _record_failure(mail, error)
                return False
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.attempts += 1
            mail.content = {}  # the message lives in the recipient's inbox, not here
            mail.save(update_fields=["status", "sent_at", "attempts", "content"])
        return True
    finally:
        # Only now, with "sent" committed, say goodbye to the server: the time in which a
        # killed worker leaves a mail sent but not recorded is the commit's, no more.
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the mail is sent; a failed QUIT changes nothing
            logger.info("Closing the connection to the mail server failed", exc_info=True)


def send_again(mail):
    """An operator's retry of a failed e-mail: a fresh round of attempts from now."""
    with transaction.atomic():
        updated = OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.FAILED).update(
            status=OutgoingMail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if updated:
            _queue(OutgoingMail.objects.get(pk=mail.pk))
    return bool(updated)


def requeue_stalled(now=None):
    """Queue again the waiting e-mail whose attempt is well overdue: a task that was
    lost (its worker gave up while the database was away, or its result was pruned).
    Sending twice is impossible: ``deliver`` takes the row's lock and checks it waits."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    task = _deliver_task()
    queued = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs__args", flat=True)
    queued_ids = {args[0] for args in queued if args}
    overdue = now - settings.OPSTART_MAIL_RETRY["stalled_after"]
    stalled = [
        mail_id
        for mail_id in OutgoingMail.objects.due(overdue).values_list("pk", flat=True)
        if mail_id not in queued_ids
    ]
    for mail_id in stalled:
        task.enqueue(mail_id)
    return len(stalled)


def as_message(mail):
    """The ``EmailMessage`` of a row, to its recipient's current address."""
    content = mail.content
    message = EmailMultiAlternatives(
        mail.subject,
        content.get("body", ""),
        mail.from_email,
        [mail.to],
        reply_to=content.get("reply_to") or None,
        headers={**content.get("headers", {}), "Message-ID": mail.message_id},
    )
    message.content_subtype = content.get("subtype", "plain")
    for alternative, mimetype in content.get("alternatives", []):
        message.attach_alternative(alternative, mimetype)
    for attachment in content.get("attachments", []):
        data = attachment.get("text")
        if data is None:
            data = base64.b64decode(attachment["base64"])
        message.attach(attachment["filename"], data, attachment["mimetype"])
    return message


def _record_failure(mail, error):
    retry = settings.OPSTART_MAIL_RETRY
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _refused_for_good(error) or mail.attempts >= retry["attempts"]:
        mail.status = OutgoingMail.Status.FAILED
        logger.error(
            "E-mail %s failed for good after %d attempts: %s",
            mail.pk,
            mail.attempts,
            type(error).__name__,
        )
    else:
        mail.next_attempt_at = timezone.now() + backoff(
            mail.attempts, base=retry["backoff"], cap=retry["max_backoff"]
        )
        logger.warning(
            "E-mail %s not sent (attempt %d, %s); next attempt at %s",
            mail.pk,
            mail.attempts,
            type(error).__name__,
            mail.next_attempt_at.isoformat(),
        )
        _queue(mail)
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def _refused_for_good(error):
    """A 5xx answer about this message or recipient; 4xx, lost connections and the like
    are worth another try, as is a bad login (an operator fixes the settings meanwhile)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return not isinstance(error, OSError)  # SMTPException is an OSError; others are faults


def _queue(mail):
    """Queue the row's delivery for its next attempt (in the caller's transaction)."""
    task = _deliver_task()
    if mail.next_attempt_at > timezone.now():
        if not task.get_backend().supports_defer:
            return  # tests run tasks at once; requeue_stalled or a test sends it later
        task = task.using(run_after=mail.next_attempt_at)
    task.enqueue(mail.pk)


def _deliver_task():
    from .tasks import deliver_mail

    return deliver_mail


def _bare(address):
    return parseaddr(str(address))[1].lower()


def _message_id():
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "opstart.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _content(message):
    return {
        "body": str(message.body),
        "subtype": message.content_subtype,
        "reply_to": list(message.reply_to),
        "headers": {
            name: str(value)
            for name, value in message.extra_headers.items()
            if name.lower() not in {"message-id", "to", "cc", "bcc"}
        },
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def _attachment(attachment):
    if hasattr(attachment, "get_payload"):  # a ready MIME part
        filename, mimetype = attachment.get_filename(), attachment.get_content_type()
        content = attachment.get_payload(decode=True)
    else:
        filename, content, mimetype = attachment
    if isinstance(content, str):
        return {"filename": filename, "mimetype": mimetype, "text": content}
    return {
        "filename": filename,
        "mimetype": mimetype,
        "base64": base64.b64encode(content).decode("ascii"),
    }
