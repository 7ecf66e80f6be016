"""Flow 1, Author: a trainer writes a theme module with a lesson (text and a knowledge
check) in the Wagtail admin and submits it; a coordinator approves, which publishes."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from courses.models import LessonPage, ModulePage
from tests.e2e.admin_helpers import choose
from tests.e2e.conftest import log_in, screenshot
from tests.factories import CoordinatorFactory, ModuleKindFactory, TrainerFactory

pytestmark = pytest.mark.e2e


def add_page_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["courses", model, parent.pk])


def submit_to_moderation(page):
    page.locator("footer").get_by_role("button", name=re.compile("Flere handlinger|More")).click()
    page.get_by_role("button", name=re.compile("Indsend|Submit")).first.click()


def test_author_a_theme_module_with_a_lesson_and_publish_it(page, live_server, catalogue):
    theme_kind = ModuleKindFactory(name="Temamodul", slug="theme")
    trainer, coordinator = TrainerFactory(), CoordinatorFactory()

    log_in(page, live_server, trainer)
    page.goto(add_page_url("modulepage", catalogue))
    page.locator("#id_title").fill("Tab, sorg og krise")
    page.locator("#id_number").fill("8")
    choose(page, "kind", theme_kind.pk)
    page.locator("#id_summary").fill("Om tab og sorg hos plejebørn.")
    submit_to_moderation(page)
    expect(page.get_by_text(re.compile("indsendt|submitted", re.IGNORECASE)).first).to_be_visible()
    module = ModulePage.objects.get(title="Tab, sorg og krise")

    page.goto(add_page_url("lessonpage", module))
    page.locator("#id_title").fill("Sorg hos børn")
    page.get_by_role("button", name=re.compile("Indsæt en blok|Insert a block")).first.click()
    page.get_by_role("option", name=re.compile("^Tekst|^Text")).first.click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("Børn sørger i spring.")
    page.get_by_role("button", name=re.compile("Indsæt en blok|Insert a block")).last.click()
    page.get_by_role("option", name=re.compile("Videnstjek|Knowledge check")).first.click()
    page.locator("[data-contentpath='options'] [data-streamfield-list-add]").last.click()
    page.locator("[name='body-1-value-question']").fill("Hvordan viser sorg sig hos børn?")
    options = [
        ("Altid som gråd", False, "Sorg kan også vise sig som vrede eller uro."),
        ("På mange måder, også i spring", True, "Ja: børn går ind og ud af sorgen."),
    ]
    for index, (text, correct, explanation) in enumerate(options):
        prefix = f"body-1-value-options-{index}-value"
        page.locator(f"[name='{prefix}-text']").fill(text)
        if correct:
            page.locator(f"[name='{prefix}-correct']").check()
        page.locator(f"[name='{prefix}-explanation']").fill(explanation)
    screenshot(page, "author-lesson-blocks")
    submit_to_moderation(page)
    expect(page.get_by_text(re.compile("indsendt|submitted", re.IGNORECASE)).first).to_be_visible()
    lesson = LessonPage.objects.get(title="Sorg hos børn")
    assert not lesson.live
    draft_body = lesson.get_latest_revision().as_object().body
    assert [block.block_type for block in draft_body] == ["text", "knowledge_check"]

    page.context.clear_cookies()
    log_in(page, live_server, coordinator)
    for draft in (module, lesson):
        page.goto(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
        page.locator("footer").get_by_role(
            "button", name=re.compile("Flere handlinger|More")
        ).click()
        page.get_by_role(
            "button", name=re.compile("^(Godkend og Publicér|Approve and Publish)$")
        ).click()
        expect(page.locator(".messages .success").first).to_be_visible()
        draft.refresh_from_db()
        assert draft.live, f"{draft} was not published by the approval"
    screenshot(page, "author-approved")
