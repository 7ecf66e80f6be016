"""System checks: a schedule entry that cannot run is an error at start-up, not a job
that silently never happens."""

from croniter import croniter
from django.core import checks
from django_tasks.base import Task

from . import scheduler


@checks.register()
def check_schedule(app_configs, **kwargs):
    errors = []
    for job in scheduler.jobs():
        if not croniter.is_valid(job.cron):
            errors.append(
                checks.Error(
                    f"OPSTART_SCHEDULE[{job.name!r}]: {job.cron!r} is not a cron expression.",
                    id="operations.E001",
                )
            )
        try:
            task = job.task
        except ImportError:
            task = None
        if not isinstance(task, Task):
            errors.append(
                checks.Error(
                    f"OPSTART_SCHEDULE[{job.name!r}]: {job.task_path!r} is not a task.",
                    id="operations.E002",
                )
            )
    return errors
