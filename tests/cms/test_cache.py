"""The production cache: Django's Redis cache, with one client per connection pool."""

import os

import pytest
import redis

from cms.cache import RedisCache, stamp


@pytest.fixture
def redis_cache():
    cache = RedisCache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), {})
    try:
        cache.get_many(["opstart:test"])
    except redis.ConnectionError:
        pytest.skip("no Redis on this machine (CI starts one)")
    yield cache
    cache.delete_many(["opstart:test", "opstart:test-counter"])


def test_values_go_in_and_come_out(redis_cache):
    redis_cache.set("opstart:test", {"site": 1})
    assert redis_cache.get("opstart:test") == {"site": 1}
    redis_cache.set("opstart:test-counter", 0)
    assert redis_cache.incr("opstart:test-counter") == 1


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("opstart:test", 1)
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: one pool


def test_a_stamp_deleted_while_it_is_made_still_gives_a_stamp(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda key: None)  # as if deleted at once
    first, second = stamp("opstart:test-stamp"), stamp("opstart:test-stamp")
    assert first and second and first != second
