"""Retention: a family's logbook is deleted some months after its start-up course ended.

Each municipality sets the months on its ``CoursePolicy`` (``logbook_retention_months``).
The clock starts when the family's *last* start-up course ended
(``StartupCourse.ended_on``: completed, or its finish deadline passed): a family with a
new placement keeps its logbook while the new course runs, since entries belong to the
family, not to one course. A family without any course has nothing to count from and
keeps its logbook (a coordinator can erase the family instead).

Deleted are the entries and, with them, their feedback. Kept are the statistics:
attendance, module completions, sessions and courses. Running it again deletes nothing
more, so the nightly task may run twice or late without harm.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cms.models import Municipality
from supervision.models import CoursePolicy, StartupCourse, add_months

from .models import Feedback, LogbookEntry


@dataclass
class RetentionReport:
    """What retention deletes (or would delete) in one municipality: counts, no content."""

    municipality: Municipality
    months: int
    families: int = 0
    entries: int = 0
    feedback: int = 0


def end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def expired_families(municipalities, today):
    """Ids of the families whose logbook is past retention, per municipality id."""
    courses = (
        StartupCourse.objects.filter(placement__family__municipality__in=municipalities)
        .with_status(end_of_day(today))
        .with_last_completion()
        .with_policy()
    )
    last_end = {}
    running = set()
    for course in courses:
        family = course.placement.family
        ended = course.ended_on(today)
        if ended is None:
            running.add(family.pk)
        elif family.pk not in last_end or ended > last_end[family.pk][1]:
            last_end[family.pk] = (family, ended)
    expired = defaultdict(set)
    for family_id, (family, ended) in last_end.items():
        policy = CoursePolicy.for_municipality(family.municipality)
        if family_id not in running and add_months(ended, policy.logbook_retention_months) <= today:
            expired[family.municipality_id].add(family_id)
    return expired


def _plan(municipalities, today):
    """The reports of ``municipalities`` (all when None) and the expired families' ids."""
    municipalities = list(
        (municipalities if municipalities is not None else Municipality.objects.all())
        .select_related("course_policy")
        .order_by("name")
    )
    expired = expired_families(municipalities, today)
    family_ids = set().union(*expired.values())
    entries = dict(
        LogbookEntry.objects.filter(family__in=family_ids)
        .order_by()
        .values_list("family__municipality")
        .annotate(count=Count("pk"))
    )
    feedback = dict(
        Feedback.objects.filter(entry__family__in=family_ids)
        .order_by()
        .values_list("entry__family__municipality")
        .annotate(count=Count("pk"))
    )
    reports = [
        RetentionReport(
            municipality=municipality,
            months=CoursePolicy.for_municipality(municipality).logbook_retention_months,
            families=len(expired.get(municipality.pk, ())),
            entries=entries.get(municipality.pk, 0),
            feedback=feedback.get(municipality.pk, 0),
        )
        for municipality in municipalities
    ]
    return reports, family_ids


def retention_reports(municipalities=None, today=None):
    """The dry run: one report per municipality of what retention would delete today."""
    return _plan(municipalities, today or timezone.localdate())[0]


@transaction.atomic
def apply_retention(municipalities=None, today=None):
    """Delete every logbook entry (and its feedback) past retention; returns the reports."""
    reports, family_ids = _plan(municipalities, today or timezone.localdate())
    if family_ids:
        LogbookEntry.objects.filter(family__in=family_ids).delete()
    return reports
