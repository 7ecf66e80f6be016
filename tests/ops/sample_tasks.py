"""Tasks for the worker's tests (module level, as tasks must be)."""

import time
from collections import Counter

from django.db import OperationalError
from django_tasks import task

runs = Counter()


@task()
def flaky(key, failures):
    """Fails with a lost database connection ``failures`` times, then succeeds."""
    runs[key] += 1
    if runs[key] <= failures:
        raise OperationalError("terminating connection due to administrator command")
    return "done"


@task()
def faulty():
    raise ValueError("a fault in the task")


@task()
def slow(seconds):
    time.sleep(seconds)
    return "slept"
