"""E-mails about the logbook. Like every notification they carry no content: they say
there is something new and ask the person to log in (DOMAIN.md)."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supervision.calendar import login_url


def _send(user, subject, lead):
    with translation.override(user.language):
        body = "{}\n\n{}\n".format(
            lead(), _("Log in to Opstart to read it: %(url)s") % {"url": login_url()}
        )
        send_mail(subject(), body, None, [user.email])


def feedback_received(entry):
    """Tell the entry's writers (both parents for a joint entry) that feedback arrived."""
    writers = entry.family.parents.all() if entry.is_joint else [entry.author]
    for user in writers:
        if user is not None and user.email:
            _send(
                user,
                lambda: _("New feedback in Opstart"),
                lambda: _("Your consultant has written feedback on one of your logbook entries."),
            )


def shares_digest(user, count):
    _send(
        user,
        lambda: _("Families shared logbook entries with you"),
        lambda: (
            ngettext(
                "%(count)d new logbook entry has been shared with you.",
                "%(count)d new logbook entries have been shared with you.",
                count,
            )
            % {"count": count}
        ),
    )
