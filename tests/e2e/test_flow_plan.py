"""Flow 2, Plan: a supervisor registers a placement in the admin, its start-up course
opens with deadlines, and the supervisor records the pre-meeting's course plan."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supervision.models import CoursePlan, StartupCourse
from tests.e2e.admin_helpers import choose, fill_date, save
from tests.e2e.conftest import log_in, screenshot
from tests.factories import FosterFamilyFactory, MunicipalityFactory, SupervisorFactory

pytestmark = pytest.mark.e2e


def test_plan_register_a_placement_and_choose_modules(page, live_server, make_module):
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    supervisor = SupervisorFactory(municipality=municipality)
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality)
    robust = make_module(1, title="Den robuste plejefamilie")
    make_module(2, title="Dynamik i plejefamilien")
    school = make_module(5, title="Plejebarnets skolegang")

    log_in(page, live_server, supervisor)
    page.goto(reverse("placement:add"))
    choose(page, "family", family.pk)
    page.locator("#id_child_name").fill("E.")
    page.locator("#id_birth_year").fill("2017")
    fill_date(page, "start_date", "2026-03-01")
    save(page)
    expect(page).to_have_url(re.compile(re.escape(reverse("placement:index"))))

    course = StartupCourse.objects.get(placement__family=family)
    page.goto(reverse("startupcourse:index"))
    row = page.locator("tr", has_text="Familien Holm")
    expect(row).to_contain_text("E.")
    expect(row).to_contain_text(re.compile(r"1\. ?(marts|mar)\.? 2027", re.IGNORECASE))
    screenshot(page, "plan-course-list")

    page.goto(reverse("courseplan:add"))
    choose(page, "course", course.pk)
    choose(page, "modules", robust.pk, school.pk)
    page.locator("#id_practical_notes").fill("Møder efter kl. 16")
    save(page)
    expect(page).to_have_url(re.compile(re.escape(reverse("courseplan:index"))))
    plan = CoursePlan.objects.get(course=course)
    assert set(plan.modules.values_list("pk", flat=True)) == {robust.pk, school.pk}
    screenshot(page, "plan-saved")
