"""Wagtail's log entries of families, placements, courses, cohorts and sessions move to
``cms.TenantLogEntry``: seen only within their municipality, labelled without names."""

from django.db import migrations

from cms.models.logs import move_from_wagtail_log

SESSION_KINDS = [
    "session",
    "premeeting",
    "modulesession",
    "themesupervision",
    "groupsupervision",
    "individualsupervision",
]


def move_log_entries(apps, schema_editor):
    move_from_wagtail_log(
        apps,
        "supervision",
        {
            "fosterfamily": "municipality",
            "placement": "family__municipality",
            "developmentgoal": "family__municipality",
            "startupcourse": "placement__family__municipality",
            "courseplan": "course__placement__family__municipality",
            "coursepolicy": "municipality",
            "cohort": "municipality",
            "quarter": "cohort__municipality",
            "attendance": "session__municipality",
            **dict.fromkeys(SESSION_KINDS, "municipality"),
        },
        by_name={"cohort", *SESSION_KINDS},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_family_erasure_and_logbook_retention"),
        ("cms", "0005_tenant_log_entry"),
    ]

    operations = [
        migrations.RunPython(move_log_entries, migrations.RunPython.noop, elidable=True),
    ]
