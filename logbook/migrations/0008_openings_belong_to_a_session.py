"""Every hand-opening has its session (bound, or removed, by 0007, in its own
transaction: PostgreSQL does not alter a table whose rows that transaction changed)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("logbook", "0007_entries_per_session")]

    operations = [
        migrations.AlterField(
            model_name="exerciseopening",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="supervision.session",
                verbose_name="session",
            ),
        ),
    ]
