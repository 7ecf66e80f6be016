"""The date rules (``supervision.models.dates``) for rows stored before them.

The finish deadline is the law's 12 months and no longer typed. Sessions at times no one
can mean (before 1900 or from 2100) are cancelled and moved to 1 July 2019: year 1 has no
UTC equivalent in Copenhagen, so such a row failed every page that read it (the session
list, the site history, the family's data export on PostgreSQL), and a session ending
centuries later blocked every booking. Cancelled, they block nothing and stay findable.
Courses get their finish deadline 12 months after the placement start and a start
deadline between the two.
"""

import datetime
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

LAW_IN_FORCE = datetime.date(2019, 7, 1)
NO_ONE_MEANS_BEFORE = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
NO_ONE_MEANS_FROM = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def cancel_impossible_sessions(apps, schema_editor):
    Session = apps.get_model("supervision", "Session")
    impossible = Session.objects.filter(
        Q(start__lt=NO_ONE_MEANS_BEFORE)
        | Q(end__lt=NO_ONE_MEANS_BEFORE)
        | Q(start__gte=NO_ONE_MEANS_FROM)
        | Q(end__gte=NO_ONE_MEANS_FROM)
    )
    impossible.filter(cancelled_at__isnull=True).update(cancelled_at=timezone.now())
    moved_to = datetime.datetime.combine(
        LAW_IN_FORCE, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    impossible.update(start=moved_to, end=moved_to + datetime.timedelta(hours=1))


def date_courses_by_the_law(apps, schema_editor):
    StartupCourse = apps.get_model("supervision", "StartupCourse")
    changed = []
    for course in StartupCourse.objects.select_related("placement").iterator(chunk_size=2000):
        begins = course.placement.start_date
        try:
            finish = begins + relativedelta(months=12)
        except (OverflowError, ValueError):
            continue  # a start no one can mean: the placement's form asks for a real one
        start = min(max(course.start_deadline, begins), finish)
        if (course.start_deadline, course.finish_deadline) != (start, finish):
            course.start_deadline, course.finish_deadline = start, finish
            changed.append(course)
    StartupCourse.objects.bulk_update(changed, ["start_deadline", "finish_deadline"], 500)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_protect_families_work"),
    ]

    operations = [
        migrations.AlterField(
            model_name="startupcourse",
            name="finish_deadline",
            field=models.DateField(editable=False, verbose_name="finish deadline"),
        ),
        migrations.AlterField(
            model_name="startupcourse",
            name="start_deadline",
            field=models.DateField(
                help_text=(
                    "From the placement start to the end of the municipality's start window; "
                    "the pre-meeting may agree on an earlier start."
                ),
                verbose_name="start deadline",
            ),
        ),
        migrations.RunPython(cancel_impossible_sessions, migrations.RunPython.noop),
        migrations.RunPython(date_courses_by_the_law, migrations.RunPython.noop),
    ]
