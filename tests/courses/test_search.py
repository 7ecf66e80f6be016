"""No search input fails: the site search and the admin's page, image and document search."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.search_backend import plain_words
from tests.courses.factories import add_lesson
from tests.factories import FosterParentFactory, UserFactory

pytestmark = pytest.mark.django_db

NASTY_QUERIES = [
    '"',
    '"tryghed',
    "tryghed*",
    "*",
    "-tryghed",
    "tryghed AND",
    "AND",
    "OR",
    "NOT",
    "tryghed NEAR rutiner",
    "NEAR(tryghed rutiner, 2)",
    "tryghed OR",
    "(tryghed",
    "tryghed)",
    "((()",
    "tryghed:rutiner",
    "^tryghed",
    "'; DROP TABLE wagtailcore_page; --",
    "😀 tryghed 🚸",
    "\x00",
    "tryghed\x00rutiner",
    "tryghed " * 2000,
    "x" * 10000,
    "\\",
    "%_",
    "   ",
]


@pytest.fixture
def content(make_module):
    module = make_module(1, title="Tryghed i hverdagen", lessons=0)
    add_lesson(module, title="Faste rutiner giver tryghed", body=[("text", "<p>Rutiner</p>")])
    return module


def test_site_search_finds_modules_and_lessons(client, content):
    client.force_login(FosterParentFactory())
    body = client.get(reverse("courses:search"), {"q": "tryghed"}).content.decode()
    assert "Tryghed i hverdagen" in body
    assert "Faste rutiner giver tryghed" in body


def test_site_search_is_paginated(client, make_module):
    for number in range(1, 13):
        make_module(number, title=f"Tryghed {number}", lessons=0)
    first = client.get(reverse("courses:search"), {"q": "tryghed"})
    assert first.context["results"].paginator.num_pages == 2
    second = client.get(reverse("courses:search"), {"q": "tryghed", "page": "2"})
    assert len(second.context["results"]) == 2
    assert client.get(reverse("courses:search"), {"q": "tryghed", "page": "x"}).status_code == 200


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_site_search_never_fails(client, content, query):
    assert client.get(reverse("courses:search"), {"q": query}).status_code == 200


@pytest.mark.parametrize("query", NASTY_QUERIES)
@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_pages:search", "wagtailimages:index", "wagtaildocs:index"]
)
def test_admin_search_never_fails(client, content, url_name, query):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse(url_name), {"q": query}).status_code == 200


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_backend_search_never_fails(content, query):
    from wagtail.models import Page

    list(Page.objects.search(query))
    list(Page.objects.autocomplete(query))


def test_plain_words_keeps_danish_letters_and_drops_operators():
    assert plain_words('"Børn" AND (sorg*) -tab 😀') == "Børn AND sorg tab"


@pytest.mark.parametrize("usage", ["-1", "-1E+02", "0", "3"])
@pytest.mark.parametrize("url_name", ["wagtailimages:index", "wagtaildocs:index"])
def test_admin_media_search_with_a_usage_count_filter(client, url_name, usage):
    """The usage count is computed (a Coalesce over a subquery), which the search could
    not filter on: any number in the filter while searching answered 500."""
    Image.objects.create(title="Tryghed", file=get_test_image_file())
    Document.objects.create(title="Tryghed", file=ContentFile(b"%PDF-1.4\n", name="t.pdf"))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for bound in ("usage_count_min", "usage_count_max"):
        response = client.get(reverse(url_name), {"q": "tryghed", bound: usage})
        assert response.status_code == 200
    found = client.get(reverse(url_name), {"q": "tryghed", "usage_count_max": "0"})
    assert "Tryghed" in found.content.decode()
