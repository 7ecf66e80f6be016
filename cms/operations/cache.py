"""A Redis cache the site survives: when Redis is away, every read is a miss.

Everything the platform keeps in the cache is also in the database (sessions are
``cached_db``, the rest is derived), so a miss only costs queries. Without this guard
every request failed while Redis was down, since each one reads the site, the session
and the outline from the cache.

After a failure the cache is left alone for ``RETRY_AFTER`` seconds (no request waits
for a connection timeout meanwhile); one line is logged when it goes away and one when
it comes back. Keys this process failed to delete meanwhile (a forgotten outline, a
logged-out session) are deleted when Redis answers again, so nothing stale survives the
outage in Redis for a process that lived through it. ``available()`` tells ``/healthz``.
"""

import logging
import threading
import time

from redis.exceptions import RedisError

from cms.cache import RedisCache, RedisCacheClient

logger = logging.getLogger("opstart.cache")

RETRY_AFTER = 5.0  # seconds
MAX_PENDING_DELETES = 10_000  # past this many, the whole cache is emptied on recovery


class _Outage:
    """Whether the Redis of one location is away, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False
        self.pending_deletes = set()
        self.pending_clear = False

    def skip(self):
        return self.down and time.monotonic() < self.down_until

    def failed(self, error):
        with self.lock:
            if not self.down:
                logger.error("Cache unreachable (%s): reading from the database meanwhile", error)
            self.down = True
            self.down_until = time.monotonic() + RETRY_AFTER

    def answered(self, client):
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
            keys, self.pending_deletes = self.pending_deletes, set()
            clear, self.pending_clear = self.pending_clear, False
        logger.warning("Cache reachable again")
        try:
            if clear:
                RedisCacheClient.clear(client)
            elif keys:
                RedisCacheClient.delete_many(client, list(keys))
        except RedisError as error:
            self.failed(error)
            self.forget_later(keys, clear)

    def forget_later(self, keys, clear=False):
        with self.lock:
            self.pending_deletes.update(keys)
            if clear or len(self.pending_deletes) > MAX_PENDING_DELETES:
                self.pending_deletes.clear()
                self.pending_clear = True


_outages = {}
_outages_lock = threading.Lock()


def _outage(servers):
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = _outage(servers)

    def _guard(self, operation, fallback, *args, on_failure=None):
        if self._outage.skip():
            if on_failure:
                on_failure()
            return fallback
        try:
            result = operation(self, *args)
        except (RedisError, OSError) as error:
            self._outage.failed(error)
            if on_failure:
                on_failure()
            return fallback
        self._outage.answered(self)
        return result

    def available(self):
        """Whether Redis answers a ping now (for ``/healthz``)."""
        return self._guard(lambda client: bool(client.get_client().ping()), False)

    def get(self, key, default):
        return self._guard(RedisCacheClient.get, default, key, default)

    def get_many(self, keys):
        return self._guard(RedisCacheClient.get_many, {}, keys)

    def has_key(self, key):
        return self._guard(RedisCacheClient.has_key, False, key)

    def add(self, key, value, timeout):
        return self._guard(RedisCacheClient.add, False, key, value, timeout)

    def set(self, key, value, timeout):
        return self._guard(RedisCacheClient.set, None, key, value, timeout)

    def set_many(self, data, timeout):
        return self._guard(RedisCacheClient.set_many, None, data, timeout)

    def touch(self, key, timeout):
        return self._guard(RedisCacheClient.touch, False, key, timeout)

    def incr(self, key, delta):
        result = self._guard(RedisCacheClient.incr, None, key, delta)
        if result is None:
            raise ValueError(f"Key '{key}' not found.")  # what a miss looks like to incr
        return result

    def delete(self, key):
        return self._guard(
            RedisCacheClient.delete,
            False,
            key,
            on_failure=lambda: self._outage.forget_later([key]),
        )

    def delete_many(self, keys):
        keys = list(keys)
        return self._guard(
            RedisCacheClient.delete_many,
            None,
            keys,
            on_failure=lambda: self._outage.forget_later(keys),
        )

    def clear(self):
        return self._guard(
            RedisCacheClient.clear,
            False,
            on_failure=lambda: self._outage.forget_later((), clear=True),
        )


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    def available(self):
        return self._cache.available()
