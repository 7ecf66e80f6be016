"""When to try again, and after how long: shared by the task worker and outgoing e-mail."""

import datetime
import random

from django.db import InterfaceError, OperationalError

# Failures of something outside the task that comes back by itself: a database
# connection terminated or refused, Redis away, a network timeout. A task failing with
# one of these is queued again; any other exception is a fault in the task, and retrying
# would only repeat it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis is a dependency
    pass
else:
    TRANSIENT_ERRORS += (RedisConnectionError, RedisTimeoutError)


def is_transient(error):
    return isinstance(error, TRANSIENT_ERRORS)


def backoff(attempt, *, base, cap):
    """The wait before attempt ``attempt + 1``: doubling from ``base`` up to ``cap``, with
    a fifth of jitter either way so that what failed together does not retry together."""
    seconds = min(cap.total_seconds(), base.total_seconds() * 2 ** max(attempt - 1, 0))
    return datetime.timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311
