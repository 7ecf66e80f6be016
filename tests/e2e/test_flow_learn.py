"""Flow 4, Learn (the course part): a parent sees what to do next, takes a lesson,
answers a knowledge check wrong then right, marks the lesson done and sees progress.

The logbook part of the flow (writing and sharing the before-exercise) extends
``learner`` and this file; the fixture already gives the family a planned module.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import CoursePlan
from tests.courses.factories import add_lesson, knowledge_check
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import FosterFamilyFactory, FosterParentFactory, MunicipalityFactory
from tests.supervision.factories import IndividualSupervisionFactory, RegisteredPlacementFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def learner(make_module):
    """A parent whose family has a placement, a plan with module 1 and a session next week."""
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    parent = FosterParentFactory(first_name="Mette", municipality=municipality)
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality, parents=[parent])
    course = RegisteredPlacementFactory(family=family, child_name="E.").startup_course
    module = make_module(1, title="Den robuste plejefamilie", lessons=0)
    lesson = add_lesson(
        module, slug="tryghed", title="Tryghed i hverdagen",
        body=[("text", "<p>Faste rutiner giver ro.</p>"), knowledge_check()],
    )  # fmt: skip
    CoursePlan.objects.create(course=course).modules.set([module])
    start = timezone.localtime() + datetime.timedelta(days=7)
    IndividualSupervisionFactory(
        municipality=municipality,
        start=start.replace(hour=10, minute=0, second=0, microsecond=0),
        place="Familieplejen, Vejlevej 1",
        families=[family],
    )
    return {"parent": parent, "family": family, "module": module, "lesson": lesson}


def test_learn_take_a_lesson_and_answer_a_knowledge_check(page, live_server, home_page, learner):
    log_in(page, live_server, learner["parent"])
    expect(page).to_have_url(re.compile("/min-side/$"))
    expect(page.get_by_role("heading", name="Næste møde")).to_be_visible()
    expect(page.get_by_text("Familieplejen, Vejlevej 1")).to_be_visible()
    expect(page.get_by_text(re.compile("skal være afsluttet senest"))).to_be_visible()
    expect(page.get_by_role("link", name="1. Den robuste plejefamilie")).to_be_visible()
    check_accessibility(page, "family dashboard with a plan")
    screenshot(page, "learn-dashboard")

    page.get_by_role("link", name="Fortsæt hvor du slap: Tryghed i hverdagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tryghed i hverdagen")
    expect(page.get_by_role("link", name="Moduler", exact=True)).to_have_attribute(
        "aria-current", "page"
    )

    page.get_by_label("Mange nye oplevelser").check()
    page.get_by_role("button", name="Tjek svar").click()
    expect(page.get_by_text("Ikke helt.")).to_be_visible()
    page.get_by_label("Faste rutiner").check()
    page.get_by_role("button", name="Tjek igen").click()
    expect(page.get_by_text("Rigtigt!")).to_be_visible()
    check_accessibility(page, "lesson with an answered knowledge check")
    screenshot(page, "learn-lesson-answered")

    page.get_by_role("button", name="Markér lektionen som gennemført").click()
    page.goto("/min-side/")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_text("1 af 1 lektion gennemført", exact=True)).to_be_visible()
    screenshot(page, "learn-dashboard-progress")
