"""The database holds up: SQLite writers queue instead of failing, and ids of any size are
compared, not crashed on, on SQLite as on PostgreSQL."""

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.urls import reverse
from wagtail.models import Page

from tests.factories import UserFactory

HUGE = 10**25
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """Connections named ``alias``, configured as the site's, to one database file; each
    thread opens its own, as web and worker processes do."""
    aliases = []

    def open_as(alias):
        connections.settings[alias] = {
            **connections["default"].settings_dict,
            "NAME": str(tmp_path / "db.sqlite3"),
        }
        aliases.append(alias)
        return connections[alias]

    with django_db_blocker.unblock():
        yield open_as
    for alias in aliases:
        connections[alias].close()
        del connections.settings[alias]


@sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(file_database):
    with file_database("probe").cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000


@sqlite_only
def test_a_second_sqlite_writer_waits_for_the_first_instead_of_failing(file_database):
    """A supervisor saving while the task worker writes: the classic "database is locked".

    The second transaction reads and then writes; begun as SQLite's default (deferred),
    it cannot take the write lock the first one holds and fails at once, whatever the
    busy timeout. Begun immediate, it waits for the first to commit.
    """
    with file_database("supervisor").cursor() as cursor:
        cursor.execute("CREATE TABLE family (name text)")
    file_database("worker")
    writing = threading.Event()

    def work():
        try:
            with transaction.atomic(using="worker"), connections["worker"].cursor() as cursor:
                cursor.execute("INSERT INTO family VALUES ('worker')")
                writing.set()
                time.sleep(0.5)
        finally:
            connections["worker"].close()

    thread = threading.Thread(target=work)
    thread.start()
    assert writing.wait(5)
    with transaction.atomic(using="supervisor"), connections["supervisor"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM family")
        cursor.execute("INSERT INTO family VALUES ('supervisor')")
    thread.join()
    with connections["supervisor"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM family")
        assert cursor.fetchone()[0] == 2


@pytest.mark.django_db
def test_an_id_beyond_64_bits_matches_nothing():
    assert not Page.objects.filter(pk=HUGE).exists()
    assert not Page.objects.filter(pk__in=[1, HUGE]).exclude(pk=1).exists()
    assert Page.objects.filter(pk__lt=HUGE).count() == Page.objects.count()


@pytest.mark.django_db
def test_a_lesson_url_with_a_huge_id_is_not_found(client):
    client.force_login(UserFactory())
    for name in ("courses:answer-knowledge-check", "courses:complete-lesson"):
        assert client.post(reverse(name, args=[HUGE])).status_code == 404


@pytest.mark.django_db
def test_admin_list_filters_and_choosers_take_huge_ids(client, home_page):
    client.force_login(UserFactory(is_superuser=True))
    for url, params in [
        (reverse("wagtailadmin_explore", args=[home_page.pk]), {"owner": HUGE}),
        (reverse("wagtailadmin_explore", args=[home_page.pk]), {"content_type": HUGE}),
        (reverse("wagtailimages_chooser:chosen_multiple"), {"id": HUGE}),
        (reverse("wagtaildocs_chooser:chosen_multiple"), {"id": HUGE}),
    ]:
        assert client.get(url, params).status_code < 500, url


@pytest.mark.django_db
def test_a_range_beyond_an_integer_column_means_up_to_its_largest_value(client):
    """The admin's usage-count filter sends both bounds as one range: a 26-digit bound
    failed on PostgreSQL, whose parameters take the column's integer type."""
    from wagtail.documents.models import Document

    Document.objects.create(title="Plan", file=ContentFile(b"%PDF-1.4\n", name="plan.pdf"))
    client.force_login(UserFactory(is_superuser=True))
    for url in (reverse("wagtailimages:index"), reverse("wagtaildocs:index")):
        response = client.get(url, {"usage_count_min": "-1", "usage_count_max": str(HUGE)})
        assert response.status_code == 200
    assert Page.objects.filter(depth__range=(-HUGE, HUGE)).count() == Page.objects.count()
