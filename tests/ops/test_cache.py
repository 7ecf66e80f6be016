"""Redis away takes nothing down: the cache misses, pages come from the database, one
log line says so, and what could not be forgotten meanwhile is forgotten afterwards."""

import logging
import os

import pytest
import redis
from django.core.cache import cache

from cms import cache as cms_cache
from cms.operations import cache as resilient
from tests.ops.servers import free_port

BACKEND = "cms.operations.cache.ResilientRedisCache"


@pytest.fixture(autouse=True)
def _no_outage_remembered(monkeypatch):
    monkeypatch.setattr(resilient, "_outages", {})


@pytest.fixture
def redis_away(settings):
    """The cache is a Redis nobody listens on."""
    settings.CACHES = {
        "default": {"BACKEND": BACKEND, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }


@pytest.fixture
def redis_cache():
    location = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
    live = resilient.ResilientRedisCache(location, {})
    if not live.available():
        pytest.skip("no Redis on this machine (CI starts one)")
    yield live
    live.delete_many(["opstart:test"])


@pytest.mark.django_db
def test_pages_are_served_from_the_database_while_redis_is_away(
    client, home_page, redis_away, caplog
):
    from tests.factories import FosterParentFactory

    with caplog.at_level(logging.ERROR, logger="opstart.cache"):
        assert client.get("/").status_code == 200
        client.force_login(FosterParentFactory())
        assert client.get("/start/").status_code == 302  # a logged-in request: its session
        assert client.get("/").status_code == 200
    assert [record.message.split(" (")[0] for record in caplog.records] == ["Cache unreachable"]
    assert cache.available() is False


def test_every_operation_answers_as_a_miss_while_redis_is_away(redis_away):
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", 1) is False
    cache.set("k", 1)
    cache.set_many({"k": 1})
    cache.delete("k")
    cache.delete_many(["k"])
    assert cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")


def test_keys_forgotten_while_redis_was_away_are_deleted_when_it_answers(redis_cache, monkeypatch):
    stored = redis.Redis.from_url(redis_cache._servers[0])
    key = redis_cache.make_key("opstart:test")
    redis_cache.set("opstart:test", "before the change")
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.0)  # ask Redis again at once

    def away(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(cms_cache.RedisCacheClient, "delete", away)
        redis_cache.delete("opstart:test")  # a change made during the outage
    assert stored.exists(key)  # still there, stale
    redis_cache.get("anything")  # the first answer after the outage
    assert not stored.exists(key)


def test_while_away_redis_is_not_asked_again_for_a_few_seconds(redis_away, monkeypatch):
    asked = []
    real = cms_cache.RedisCacheClient.get

    def counting(self, key, default):
        asked.append(key)
        return real(self, key, default)

    monkeypatch.setattr(cms_cache.RedisCacheClient, "get", counting)
    for _ in range(20):
        cache.get("k")
    assert len(asked) == 1
