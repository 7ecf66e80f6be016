"""Waking idle workers without polling: PostgreSQL's LISTEN/NOTIFY.

Every task queued on the database backend sends ``NOTIFY opstart_tasks`` on the
connection that wrote it; PostgreSQL delivers it when that transaction commits (or at
once outside one), so a worker never wakes for a task it cannot see yet. An idle worker
waits on a connection of its own that LISTENs, and otherwise only wakes when a deferred
task falls due or after ``OPSTART_WORKER["max_idle"]``. SQLite has no such thing: there
the worker sleeps its ``--interval`` between looks.
"""

import contextlib
import logging
import time

from django.db import DatabaseError, connections, router

logger = logging.getLogger("opstart.worker")

CHANNEL = "opstart_tasks"


def _task_database():
    from django_tasks_db.models import DBTaskResult

    return router.db_for_write(DBTaskResult)


def notify():
    """Tell the listening workers that a task is ready (on commit, inside a transaction)."""
    connection = connections[_task_database()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])


def task_enqueued(sender, task_result, **kwargs):
    """``task_enqueued`` receiver: wake the workers for tasks of the database backend."""
    from django_tasks_db.backend import DatabaseBackend

    if issubclass(sender, DatabaseBackend):
        notify()


class Listener:
    """A connection of its own that LISTENs, to sleep until work arrives."""

    def __init__(self):
        self.alias = _task_database()
        self.can_listen = connections[self.alias].vendor == "postgresql"
        self._wrapper = None

    def wait(self, timeout):
        """Block up to ``timeout`` seconds; True when woken by a notification."""
        if not self.can_listen:
            time.sleep(timeout)
            return False
        try:
            if self._wrapper is None:
                self._listen()
            for _notification in self._wrapper.connection.notifies(timeout=timeout, stop_after=1):
                return True
            return False
        except (DatabaseError, OSError, self._psycopg_error()) as error:
            # The database went away: wait as if polling, and listen afresh next time.
            logger.warning("Listening for new tasks failed (%s); polling meanwhile", error)
            self.close()
            time.sleep(min(timeout, 5))
            return False

    def close(self):
        if self._wrapper is not None:
            with contextlib.suppress(DatabaseError):
                self._wrapper.close()
            self._wrapper = None

    def _listen(self):
        wrapper = connections.create_connection(self.alias)  # not the worker's own connection
        wrapper.ensure_connection()
        wrapper.connection.execute(f"LISTEN {CHANNEL}")
        self._wrapper = wrapper

    @staticmethod
    def _psycopg_error():
        import psycopg

        return psycopg.Error
