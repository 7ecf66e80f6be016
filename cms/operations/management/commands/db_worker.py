"""``manage.py db_worker``: django-tasks-db's command with the worker of
``cms.operations.worker`` (heartbeats, reclaiming, retries, no polling).

It takes the library's name (``cms.operations`` comes before ``django_tasks_db`` in
``INSTALLED_APPS``), so that no worker without heartbeats can run by mistake: its
running tasks would look abandoned to the others. The autoreloader is off unless asked
for (``--reload``): it checks every file of the project each second, which was most of
an idle worker's CPU in ``make run``.
"""

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from cms.operations.worker import Worker


class Command(db_worker.Command):
    help = "Run a task worker (several may run, on any number of hosts)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
            max_idle=settings.OPSTART_WORKER["max_idle"].total_seconds(),
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
