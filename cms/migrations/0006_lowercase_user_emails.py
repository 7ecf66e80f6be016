"""Addresses are stored in lower case, as logins look them up (``User.normalize_username``)."""

from django.db import migrations
from django.db.models.functions import Lower


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("cms", "User")
    for user in User.objects.exclude(email=Lower("email")):
        address = user.email.strip().lower()
        # Two accounts that differ only in case stay as they are: the lower-case one logs in.
        if not User.objects.filter(email=address).exists():
            User.objects.filter(pk=user.pk).update(email=address)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_tenant_log_entry")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
