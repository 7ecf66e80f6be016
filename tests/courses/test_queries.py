"""The module and lesson pages cost the same number of queries however big they are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import complete_lesson
from tests.courses.factories import add_lesson, knowledge_check
from tests.factories import FosterParentFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def count_queries(client, url):
    client.get(url)  # warm up per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_module_page_queries_do_not_grow_with_lessons(client, make_module):
    user = FosterParentFactory()
    client.force_login(user)
    small, big = make_module(1, lessons=1), make_module(2, lessons=10)
    for lesson in big.lessons()[:5]:
        complete_lesson(user, lesson)
    assert count_queries(client, small.url) == count_queries(client, big.url) <= MAX_QUERIES


def test_lesson_page_queries_do_not_grow_with_blocks_or_lessons(client, make_module):
    user = FosterParentFactory()
    client.force_login(user)
    small = add_lesson(make_module(1, lessons=0), body=[knowledge_check()])
    big_module = make_module(2, lessons=10)
    big = add_lesson(
        big_module,
        slug="stor",
        body=[("text", f"<p>Afsnit {n}</p>") for n in range(10)]
        + [knowledge_check(question=f"Spørgsmål {n}") for n in range(10)]
        + [("quote", {"quote": "Citat", "attribution": "", "story": ""})] * 3,
    )
    assert count_queries(client, small.url) == count_queries(client, big.url) <= MAX_QUERIES
