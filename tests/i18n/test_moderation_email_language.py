"""Wagtail's moderation e-mails reach each reviewer in the reviewer's own language, and
the language a person chooses on the site or in the admin is the same one everywhere."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.factories import CoordinatorFactory, EditorFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db


def submit_for_approval(module, trainer):
    module.summary = "Et nyt resumé"
    module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)


def mail_to(user):
    (message,) = [message for message in mail.outbox if user.email in message.to]
    return message


def test_reviewers_get_the_submission_email_in_their_own_language(make_module):
    module = make_module(title="Mentalisering i hverdagen")
    danish = EditorFactory(first_name="Kim", language="da")
    english = UserFactory(role="Editor", municipality=None, first_name="Sam", language="en")
    trainer = TrainerFactory(language="en")
    mail.outbox.clear()

    with translation.override("en"):  # the trainer works in English
        submit_for_approval(module, trainer)

    danish_mail, english_mail = mail_to(danish), mail_to(english)
    assert danish_mail.subject == (
        'Siden "Mentalisering i hverdagen" er sendt til godkendelse i godkendelsestrinnet '
        '"Godkendelse af en redaktør"'
    )
    assert danish_mail.body.startswith("Hej Kim")
    assert "Du kan se et eksempel på siden her:" in danish_mail.body
    assert "has been submitted" not in danish_mail.body
    assert english_mail.subject.startswith(
        'The page "Mentalisering i hverdagen" has been submitted'
    )
    assert english_mail.body.startswith("Hello Sam")


def test_language_chosen_on_the_site_is_the_admins_language(client):
    coordinator = CoordinatorFactory(language="da")
    client.force_login(coordinator)

    client.post(reverse("switch-language"), {"language": "en", "next": "/admin/"})

    assert UserProfile.get_for_user(coordinator).preferred_language == "en"


def test_language_chosen_in_the_admin_is_the_sites_language():
    coordinator = CoordinatorFactory(language="da")
    profile = UserProfile.get_for_user(coordinator)

    profile.preferred_language = "en"
    profile.save()

    coordinator.refresh_from_db()
    assert coordinator.language == "en"
