"""Course content exists only in Danish: on English pages it is marked lang="da" so that a
screen reader reads it with Danish pronunciation; Danish pages need no marks."""

import pytest

from tests.factories import FosterParentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(make_module):
    module = make_module(title="Mentalisering i hverdagen", lessons=2)
    return module.lessons().first()


def read(client, page, language):
    client.force_login(FosterParentFactory(language=language))
    return client.get(page.url).content.decode()


def test_english_lesson_page_marks_the_danish_course_content(client, lesson):
    body = read(client, lesson, "en")

    assert '<html lang="en"' in body
    assert f'<h1 lang="da">{lesson.title}</h1>' in body
    assert "<p>Tekst 1</p>" in body.split('<div lang="da">', 1)[1]  # the lesson's blocks
    assert 'Next: <span lang="da">Lektion 1.2</span>' in body


def test_english_module_page_marks_the_danish_title_and_lessons(client, lesson):
    body = read(client, lesson.get_parent().specific, "en")

    assert '<h1 lang="da">1. Mentalisering i hverdagen</h1>' in body
    assert f'lang="da">{lesson.title}</a>' in body


def test_danish_pages_carry_no_extra_language_marks(client, lesson):
    body = read(client, lesson, "da")

    assert '<html lang="da"' in body
    assert 'lang="da">' not in body.split("<html", 1)[1].split(">", 1)[1]
