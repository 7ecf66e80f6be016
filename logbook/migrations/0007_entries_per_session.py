"""Logbook entries (and hand-openings) belong to a session.

An exercise used to hold one entry per parent (and one joint entry) for ever, so a
recurring exercise could be written only once. Each entry is now bound to the session
it was written for; existing entries are bound here:

* a **before**-exercise's entry to the family's first session on the exercise's topic
  (not cancelled) starting after the entry was created, else the latest one before;
* an **after**-exercise's entry to the latest session on the topic, started before the
  entry was created, at which its writer was recorded present (for a joint entry:
  either parent), else (it was opened by hand) the latest session on the topic started
  before it;
* an entry no session matches keeps an empty session: it stays readable, not editable;
* a hand-opening to the latest session on its topic started before it was opened, else
  the first after; one no session matches opened nothing any more and is removed.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def sessions_by_topic(apps, family_id):
    """The family's sessions (not cancelled) per topic, oldest first."""
    rows = []
    for model, topic_kind, field in (
        ("ModuleSession", "module", "module_id"),
        ("ThemeSupervision", "theme", "theme_id"),
    ):
        sessions = apps.get_model("supervision", model).objects.filter(
            families=family_id, cancelled_at__isnull=True
        )
        rows += [((topic_kind, row[field]), row) for row in sessions.values("pk", "start", field)]
    groups = apps.get_model("supervision", "GroupSupervision").objects.filter(
        cohort__families=family_id, cancelled_at__isnull=True, quarter__isnull=False
    )
    rows += [
        (("theme", row["quarter__theme_id"]), row)
        for row in groups.values("pk", "start", "quarter__theme_id")
    ]
    topics = {}
    for topic, row in sorted(rows, key=lambda item: item[1]["start"]):
        topics.setdefault(topic, []).append(row)
    return topics


def latest_before(sessions, moment):
    started = [s for s in sessions if s["start"] <= moment]
    return started[-1] if started else None


def first_after(sessions, moment):
    return next((s for s in sessions if s["start"] > moment), None)


def session_for_entry(entry, exercise, sessions, present, parents):
    if exercise.timing == "before":
        match = first_after(sessions, entry.created_at) or latest_before(
            sessions, entry.created_at
        )
        return match and match["pk"]
    writers = parents if entry.is_joint else {entry.author_id}
    attended = [s for s in sessions if present.get(s["pk"], set()) & writers]
    match = latest_before(attended, entry.created_at) or latest_before(
        sessions, entry.created_at
    )
    return match and match["pk"]


def bind_to_sessions(apps, schema_editor):
    LogbookEntry = apps.get_model("logbook", "LogbookEntry")
    ExerciseOpening = apps.get_model("logbook", "ExerciseOpening")
    Exercise = apps.get_model("logbook", "Exercise")
    Attendance = apps.get_model("supervision", "Attendance")
    FosterFamily = apps.get_model("supervision", "FosterFamily")
    exercises = Exercise.objects.in_bulk()
    family_ids = set(
        LogbookEntry.objects.filter(session__isnull=True).values_list("family_id", flat=True)
    ) | set(ExerciseOpening.objects.values_list("family_id", flat=True))
    for family_id in sorted(family_ids):
        topics = sessions_by_topic(apps, family_id)
        parents = set(
            FosterFamily.parents.through.objects.filter(fosterfamily_id=family_id).values_list(
                "user_id", flat=True
            )
        )
        present = {}
        for session_id, parent_id in Attendance.objects.filter(
            parent__in=parents, present=True
        ).values_list("session_id", "parent_id"):
            present.setdefault(session_id, set()).add(parent_id)
        for entry in LogbookEntry.objects.filter(family_id=family_id, session__isnull=True):
            exercise = exercises[entry.exercise_id]
            topic = ("module", exercise.module_id) if exercise.module_id else ("theme", exercise.theme_id)
            session_id = session_for_entry(entry, exercise, topics.get(topic, []), present, parents)
            if session_id:
                LogbookEntry.objects.filter(pk=entry.pk).update(session_id=session_id)
        for opening in ExerciseOpening.objects.filter(family_id=family_id, session__isnull=True):
            exercise = exercises[opening.exercise_id]
            topic = ("module", exercise.module_id) if exercise.module_id else ("theme", exercise.theme_id)
            sessions = topics.get(topic, [])
            match = latest_before(sessions, opening.opened_at) or first_after(
                sessions, opening.opened_at
            )
            if match:
                ExerciseOpening.objects.filter(pk=opening.pk).update(session_id=match["pk"])
            else:
                opening.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("logbook", "0006_protect_families_work"),
        ("supervision", "0007_date_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="logbookentry",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="logbook_entries",
                to="supervision.session",
                verbose_name="session",
            ),
        ),
        migrations.AddField(
            model_name="exerciseopening",
            name="session",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="supervision.session",
                verbose_name="session",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="exerciseopening", name="one_opening_per_exercise"
        ),
        migrations.AddConstraint(
            model_name="exerciseopening",
            constraint=models.UniqueConstraint(
                fields=("family", "exercise", "session"), name="one_opening_per_session"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="logbookentry", name="one_own_entry_per_parent_and_exercise"
        ),
        migrations.RemoveConstraint(
            model_name="logbookentry", name="one_joint_entry_per_family_and_exercise"
        ),
        migrations.RunPython(bind_to_sessions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="logbookentry",
            constraint=models.UniqueConstraint(
                condition=Q(is_joint=False),
                fields=("exercise", "session", "family", "author"),
                name="one_own_entry_per_parent_exercise_and_session",
            ),
        ),
        migrations.AddConstraint(
            model_name="logbookentry",
            constraint=models.UniqueConstraint(
                condition=Q(is_joint=True),
                fields=("exercise", "session", "family"),
                name="one_joint_entry_per_family_exercise_and_session",
            ),
        ),
    ]
