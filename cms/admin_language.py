"""One language per person, wherever it was chosen.

``User.language`` is set by the site's language switch and read by our notifications;
Wagtail keeps its own ``UserProfile.preferred_language``, set on the admin's account
page and used for the admin and for Wagtail's moderation e-mails. Without a preference
Wagtail writes those e-mails in the *sender's* language, so each is kept equal to the
other whenever one changes.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from wagtail.users.models import UserProfile


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "language" not in update_fields:
        return  # a login (last_login) or another field: nothing to copy
    UserProfile.objects.update_or_create(
        user=instance, defaults={"preferred_language": instance.language}
    )


def profile_saved(sender, instance, **kwargs):
    language = instance.preferred_language
    if language in dict(settings.LANGUAGES):
        # update(), not save(): the user's post_save would copy it straight back.
        get_user_model().objects.filter(pk=instance.user_id).exclude(language=language).update(
            language=language
        )


def connect():
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="cms.language_to_wagtail")
    post_save.connect(profile_saved, sender=UserProfile, dispatch_uid="cms.language_from_wagtail")
