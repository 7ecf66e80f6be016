"""The Content-Security-Policy is enforced and the pages pass it: no violation on the key
pages, and what runs on them (knowledge checks, autosave, Draftail) still works.

Every browser test also fails on a violation reported to the console (``page`` fixture);
here each page is checked through the ``securitypolicyviolation`` event as well, and the
header itself is read.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.courses.factories import add_lesson, knowledge_check
from tests.e2e.conftest import log_in
from tests.factories import FosterFamilyFactory, FosterParentFactory, TrainerFactory
from tests.logbook.factories import ReflectionExerciseFactory
from tests.supervision.factories import module_session_next_week

pytestmark = pytest.mark.e2e


def visit(page, path):
    """Open ``path`` and return its Content-Security-Policy header."""
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    return response.headers["content-security-policy"]


def assert_no_violations(page):
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.cspViolations") == [], page.url


def directive(policy, name):
    return next(d for d in policy.split("; ") if d.startswith(f"{name} "))


@pytest.fixture
def family_world(home_page, make_module):
    module = make_module(4, title="Mentalisering i hverdagen", lessons=0)
    lesson = add_lesson(
        module, slug="mentalisering", title="Hvad sker der inde i barnet?",
        body=[("text", "<p>Børn viser følelser på mange måder.</p>"), knowledge_check()],
    )  # fmt: skip
    family = FosterFamilyFactory(name="Familien Holm")
    parent = FosterParentFactory(municipality=family.municipality)
    family.parents.add(parent)
    family.save()
    module_session_next_week(family, module)
    exercise = ReflectionExerciseFactory(module=module, prompts="Hvad skete der?")
    return {"parent": parent, "family": family, "lesson": lesson, "exercise": exercise}


def test_site_pages_pass_the_strict_policy(page, live_server, family_world):
    for path in ["/", "/log-ind/"]:
        policy = visit(page, path)
        assert directive(policy, "script-src") == "script-src 'self'"
        assert directive(policy, "style-src") == "style-src 'self'"
        assert "unsafe" not in policy
        assert_no_violations(page)

    log_in(page, live_server, family_world["parent"])
    visit(page, "/min-side/")
    assert_no_violations(page)

    visit(page, family_world["lesson"].url)
    page.get_by_label("Faste rutiner").check()
    page.get_by_role("button", name="Tjek svar").click()
    expect(page.get_by_text("Forudsigelighed giver ro.")).to_be_visible()
    assert_no_violations(page)

    family, exercise = family_world["family"], family_world["exercise"]
    visit(page, f"/logbog/familie/{family.pk}/ovelse/{exercise.pk}/")
    page.get_by_label("Hvad skete der?").fill("Vi læste en bog sammen.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Gemt kl.")  # script ran
    assert_no_violations(page)

    visit(page, "/kalender/")
    assert_no_violations(page)


def test_admin_dashboard_and_page_editor_pass_the_admin_policy(page, live_server, family_world):
    # Trainers author the national course pages; coordinators only read them.
    log_in(page, live_server, TrainerFactory())
    policy = visit(page, "/admin/")
    assert "'unsafe-eval'" not in policy
    assert directive(policy, "object-src") == "object-src 'none'"
    assert_no_violations(page)

    lesson = family_world["lesson"]
    visit(page, f"/admin/pages/{lesson.pk}/edit/")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Også med leg.")
    expect(editor).to_contain_text("Også med leg.")
    # Draftail writes its content to the form field a moment after typing stops.
    expect(page.locator("[name='body-0-value']")).to_have_value(re.compile("Også med leg."))
    page.get_by_role("button", name=re.compile("Gem udkast|Save draft")).click()
    expect(page.get_by_text(re.compile("er opdateret|has been updated")).first).to_be_visible()
    assert_no_violations(page)
    draft = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object()
    assert "Også med leg." in str(draft.body[0].value)
