"""Danish is the default whatever the browser asks for; English is one click away."""

import pytest
from django.urls import reverse

from tests.factories import FosterParentFactory

pytestmark = pytest.mark.django_db


def test_danish_is_the_default_even_for_an_english_browser(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "da"
    assert '<html lang="da">' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_switching_to_english_translates_the_page(client, home_page):
    response = client.post(reverse("switch-language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_switch_remembers_the_choice_on_the_profile(client, home_page):
    parent = FosterParentFactory()
    client.force_login(parent)
    client.post(reverse("switch-language"), {"language": "en", "next": "/"})
    parent.refresh_from_db()
    assert parent.language == "en"


def test_unknown_language_and_foreign_next_are_ignored(client, home_page):
    response = client.post(
        reverse("switch-language"), {"language": "xx", "next": "https://evil.example.com/"}
    )
    assert response.url == "/"
    assert "django_language" not in response.cookies
