"""Django's Redis cache, keeping one client per connection pool; stamps and forgetting.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache operation, and
redis-py builds its table of about 170 response callbacks in each: a page reading the
session, the site, the outline and the national links paid more for that than for
talking to Redis. A client is safe to share between threads; its pool hands out the
connections.
"""

import uuid

from django.core.cache import cache
from django.core.cache.backends import redis
from django.db import transaction


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def stamp(key, timeout=None):
    """The stamp kept under ``key``, made on first use: a reader keys what it keeps by the
    stamp, a writer deletes the stamp to make all of that unreachable at once.

    ``add`` leaves a stamp that another process made meanwhile in place, so every reader
    sees the same one.
    """
    value = cache.get(key)
    if value is None:
        made = uuid.uuid4().hex
        cache.add(key, made, timeout=timeout)
        # Deleted again meanwhile: what is kept under ``made`` is simply never found.
        value = cache.get(key) or made
    return value


def forget(*keys):
    """Delete ``keys`` now, and again once the change under way is committed: a reader that
    filled them in between, from the data before the change, must not be believed."""
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))
