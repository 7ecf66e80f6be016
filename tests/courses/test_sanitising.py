"""No <script> or event handler in any rich text ever reaches a rendered lesson."""

import json

import pytest
from django.db import connection

from courses.models import ModulePage
from tests.courses.factories import add_lesson
from tests.factories import FosterParentFactory

pytestmark = pytest.mark.django_db

DIRTY = '<p>Hej<script>alert(1)</script><img src=x onerror="alert(2)"></p>'


def stored_body(lesson):
    """The body column as the database holds it, without StreamField in between."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM courses_lessonpage WHERE page_ptr_id = %s", [lesson.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value)


def assert_clean(html):
    assert "<script" not in html
    assert "onerror" not in html


def test_rich_text_in_every_block_is_cleaned_on_save(make_module):
    module = make_module(lessons=0)
    lesson = add_lesson(
        module,
        body=[
            ("text", DIRTY),
            ("quote", {"quote": "Citat", "attribution": "", "story": DIRTY}),
        ],
    )
    stored = stored_body(lesson)
    assert_clean(stored)
    assert "Hej" in stored


def test_raw_stream_data_is_cleaned_on_save(make_module):
    module = make_module(lessons=0)
    lesson = add_lesson(module)
    lesson.body = json.dumps([{"type": "text", "value": DIRTY, "id": "raw-1"}])
    lesson.save()
    stored = stored_body(lesson)
    assert_clean(stored)


def test_module_learning_goals_are_cleaned_on_save(make_module):
    module = make_module(learning_goals=DIRTY)
    assert_clean(ModulePage.objects.get(pk=module.pk).learning_goals)


def test_content_that_bypassed_save_is_cleaned_when_rendered(client, make_module):
    module = make_module(lessons=0)
    lesson = add_lesson(module)
    raw = [
        {"type": "text", "value": DIRTY, "id": "a"},
        {"type": "quote", "value": {"quote": "q", "story": DIRTY}, "id": "b"},
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_lessonpage SET body = %s WHERE page_ptr_id = %s",
            [json.dumps(raw), lesson.pk],
        )
    client.force_login(FosterParentFactory())
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert_clean(response.content.decode().split('id="main-content"')[1].split("</main>")[0])
    assert "Hej" in response.content.decode()
