"""Background work of the base app, run by the database worker (``manage.py db_worker``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django_tasks import task


class PasswordResetMail(auth_forms.PasswordResetForm):
    """Django's e-mail with a link to choose a new password, in each recipient's language.

    Django finds the recipients: active accounts with a usable password, so an inactive or
    erased account gets nothing.
    """

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


@task()
def send_password_reset(email):
    """E-mail a link to choose a new password to the account with ``email``, if there is one.

    The request that asked for it only queued this task, whether the address is known or
    not: its answer and its time tell nobody which addresses have an account.
    """
    mail = PasswordResetMail({"email": email})
    if not mail.is_valid():
        return
    site = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    mail.save(domain_override=site.netloc, use_https=site.scheme == "https")
