"""``manage.py apply_retention [--dry-run]``: delete (or list) logbooks past retention.

The nightly task ``logbook.tasks.enforce_retention`` does the same; this command is for
operators: ``--dry-run`` prints per municipality how many families, entries and feedback
would go (counts only, never content) and deletes nothing.
"""

from django.core.management.base import BaseCommand

from logbook.retention import apply_retention, retention_reports


class Command(BaseCommand):
    help = "Delete logbook entries past each municipality's retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        reports = retention_reports() if dry_run else apply_retention()
        verb = "would be deleted" if dry_run else "deleted"
        for report in reports:
            self.stdout.write(
                f"{report.municipality} (after {report.months} months): "
                f"{report.families} families, {report.entries} entries, "
                f"{report.feedback} feedback {verb}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
