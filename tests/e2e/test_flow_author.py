"""Flow 1, Author: a trainer writes a theme module with a lesson (text, image, video with
captions, knowledge check) and a before- and an after-exercise in the Wagtail admin and
submits them; a national editor approves, which publishes."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from courses.models import LessonPage, ModulePage
from logbook.models import Exercise, ObservationExercise, ReflectionExercise
from tests.e2e.admin_helpers import choose, save
from tests.e2e.conftest import log_in, screenshot
from tests.factories import EditorFactory, ModuleKindFactory, TrainerFactory

pytestmark = pytest.mark.e2e

# The smallest MP4 a content check recognises: an ``ftyp`` box and an empty ``mdat``.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08mdat"
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:04.000\nBørn sørger i spring.\n"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#0059b3").save(buffer, "PNG")
    return buffer.getvalue()


def add_page_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["courses", model, parent.pk])


def submit_to_moderation(page):
    page.locator("footer").get_by_role("button", name=re.compile("Flere handlinger|More")).click()
    page.get_by_role("button", name=re.compile("^(Send til|Submit)")).first.click()


def insert_block(page, name):
    page.get_by_role("button", name=re.compile("Indsæt en blok|Insert a block")).last.click()
    page.get_by_role("option", name=re.compile(name)).first.click()


def upload_in_chooser(page, chooser_button, title, filename, content, mime):
    """Open a Wagtail image or document chooser, upload a new file and choose it."""
    chooser_button.click()
    modal = page.locator(".modal[aria-hidden=false]").last
    modal.get_by_role("tab", name=re.compile("Upload")).click()
    modal.locator("input[type=file]").set_input_files(
        {"name": filename, "mimeType": mime, "buffer": content}
    )
    title_field = modal.locator("input[name$='title']:visible")
    expect(title_field).to_have_value(re.compile(".+"))  # Wagtail fills in the file's name
    title_field.fill(title)
    modal.locator("form:visible button[type=submit], form:visible input[type=submit]").last.click()
    expect(modal).to_be_hidden()


def choose_page(page, field, title):
    """Pick a page in a Wagtail page chooser by searching for its title."""
    page.locator(f"[data-field-input] #id_{field}-chooser, #id_{field}-chooser").first.click()
    modal = page.locator(".modal[aria-hidden=false]").last
    modal.get_by_role("textbox").first.fill(title)
    modal.get_by_role("link", name=title).first.click()
    expect(modal).to_be_hidden()


def add_exercise(page, model, module, timing, title, fields):
    page.goto(reverse(f"{model._meta.model_name}:add"))
    choose_page(page, "module", module.title)
    page.locator(f"input[name='timing'][value='{timing}'], #id_timing").first.evaluate(
        "(el, v) => { if (el.tagName === 'SELECT') el.value = v; else el.checked = true; }",
        timing,
    )
    page.locator("#id_title").fill(title)
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    save(page)
    expect(page.locator(".messages .success").first).to_be_visible()


def test_author_a_theme_module_with_a_lesson_and_publish_it(page, live_server, catalogue):
    theme_kind = ModuleKindFactory(name="Temamodul", slug="theme")
    trainer, editor = TrainerFactory(), EditorFactory()

    log_in(page, live_server, trainer)
    page.goto(add_page_url("modulepage", catalogue))
    page.locator("#id_title").fill("Tab, sorg og krise")
    page.locator("#id_number").fill("8")
    choose(page, "kind", theme_kind.pk)
    page.locator("#id_summary").fill("Om tab og sorg hos plejebørn.")
    submit_to_moderation(page)
    expect(
        page.get_by_text(re.compile("sendt til godkendelse|submitted", re.IGNORECASE)).first
    ).to_be_visible()
    module = ModulePage.objects.get(title="Tab, sorg og krise")
    (submitted,) = [message for message in mail.outbox if editor.email in message.to]
    assert submitted.subject.startswith('Siden "Tab, sorg og krise" er sendt til godkendelse')
    assert submitted.body.startswith(f"Hej {editor.first_name}")
    assert "has been submitted" not in submitted.body

    page.goto(add_page_url("lessonpage", module))
    page.locator("#id_title").fill("Sorg hos børn")
    page.get_by_role("button", name=re.compile("Indsæt en blok|Insert a block")).first.click()
    page.get_by_role("option", name=re.compile("^Tekst|^Text")).first.click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("Børn sørger i spring.")

    insert_block(page, "Videnstjek|Knowledge check")
    # The new block's list is live once its first option is drawn: only then add one.
    page.locator("[name='body-1-value-options-0-value-text']").wait_for()
    add_option = page.locator("[data-contentpath='options'] [data-streamfield-list-add]").last
    add_option.click()
    try:
        page.locator("[name='body-1-value-options-1-value-text']").wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        add_option.click()  # on a loaded machine the click landed while the block settled
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

    insert_block(page, "^Billede|^Image")
    image_block = page.locator("[data-streamfield-child]").last
    upload_in_chooser(
        page, image_block.get_by_role("button", name=re.compile("Vælg et billede|Choose an image")),
        "Barn ved vinduet", "barn.png", png(), "image/png",
    )  # fmt: skip
    page.locator("[name='body-2-value-alt_text']").fill("Et barn kigger ud ad vinduet.")

    insert_block(page, "^Video")
    page.locator("[name='body-3-value-title']").fill("Når et barn sørger")
    video_block = page.locator("[data-streamfield-child]").last
    document_choosers = video_block.get_by_role(
        "button", name=re.compile("Vælg et dokument|Choose a document")
    )
    upload_in_chooser(page, document_choosers.first, "Film om sorg", "sorg.mp4", MP4, "video/mp4")
    upload_in_chooser(
        page, document_choosers.last, "Undertekster", "sorg.vtt", CAPTIONS.encode(), "text/vtt"
    )
    screenshot(page, "author-lesson-blocks")
    submit_to_moderation(page)
    expect(
        page.get_by_text(re.compile("sendt til godkendelse|submitted", re.IGNORECASE)).first
    ).to_be_visible()
    lesson = LessonPage.objects.get(title="Sorg hos børn")
    assert not lesson.live
    draft_body = lesson.get_latest_revision().as_object().body
    assert [block.block_type for block in draft_body] == [
        "text", "knowledge_check", "image", "video",
    ]  # fmt: skip
    video = draft_body[3].value
    assert video["video_file"].title == "Film om sorg"
    assert video["captions"].title == "Undertekster"

    add_exercise(
        page, ReflectionExercise, module, "before", "Før mødet: sorg i vores hverdag",
        {"prompts": "Hvornår har barnet vist sorg?\nHvad gjorde I?"},
    )  # fmt: skip
    add_exercise(
        page, ObservationExercise, module, "after", "Efter mødet: en situation med sorg", {}
    )
    assert {(e.timing, type(e)) for e in Exercise.objects.filter(module=module)} == {
        ("before", ReflectionExercise), ("after", ObservationExercise),
    }  # fmt: skip
    screenshot(page, "author-exercises")

    page.context.clear_cookies()
    log_in(page, live_server, editor)
    for draft in (module, lesson):
        page.goto(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
        page.locator("footer").get_by_role(
            "button", name=re.compile("Flere handlinger|More")
        ).click()
        page.get_by_role(
            "button", name=re.compile("^(Godkend og udgiv|Approve and Publish)$")
        ).click()
        expect(page.locator(".messages .success").first).to_be_visible()
        draft.refresh_from_db()
        assert draft.live, f"{draft} was not published by the approval"
    screenshot(page, "author-approved")
    approved = [message for message in mail.outbox if trainer.email in message.to]
    assert approved and all(" er godkendt" in message.subject for message in approved)
