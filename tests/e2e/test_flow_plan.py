"""Flow 2, Plan: a supervisor registers a placement in the admin, its start-up course
opens with deadlines, and the supervisor records the pre-meeting's course plan; records
a goal of the child's plan and ends another placement; the family sees the quarter's
theme and the plan goal on Min side."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import ChildPlanGoal, CoursePlan, StartupCourse
from tests.e2e.admin_helpers import choose, fill_date, save
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import QuarterFactory, RegisteredPlacementFactory, ThemeFactory

pytestmark = pytest.mark.e2e
DAY = datetime.timedelta(days=1)


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


def test_plan_the_childs_plan_an_ended_placement_and_the_quarter_theme(
    page, live_server, make_module
):
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    supervisor = SupervisorFactory(municipality=municipality)
    parent = FosterParentFactory(municipality=municipality, first_name="Mette")
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality, parents=[parent])
    today = timezone.localdate()
    cohort = CohortFactory(municipality=municipality, year=today.year, families=[family])
    theme = ThemeFactory(name="Mentalisering", description="Nysgerrig på barnets indre.")
    QuarterFactory(cohort=cohort, number=(today.month - 1) // 3 + 1, theme=theme)
    module = make_module(4, title="Mentalisering i hverdagen", theme=theme)
    placement = RegisteredPlacementFactory(
        family=family, child_name="Emil", birth_year=2017, start_date=today - 90 * DAY
    )
    ended = RegisteredPlacementFactory(
        family=family, child_name="Ida", birth_year=2019, start_date=today - 200 * DAY
    )

    log_in(page, live_server, supervisor)
    page.goto(reverse("placement:edit", args=[placement.pk]))
    page.locator("#id_plan_goals-ADD").click()
    page.locator("#id_plan_goals-0-text").fill("Går i skole hver dag")
    save(page)
    expect(page).to_have_url(re.compile(re.escape(reverse("placement:index"))))
    assert ChildPlanGoal.objects.get(placement=placement).text == "Går i skole hver dag"

    page.goto(reverse("placement:edit", args=[ended.pk]))
    page.get_by_role("button", name=re.compile("Handlinger|Actions|Mere|More")).first.click()
    page.get_by_role("link", name="Afslut anbringelse").click()
    fill_date(page, "end_date", (today + 40 * DAY).isoformat())
    page.get_by_label("Barnet er flyttet til en anden anbringelse").check()
    page.get_by_role("button", name="Ja, afslut anbringelsen").click()
    expect(page.locator(".error-message, .w-field__errors").first).to_contain_text("en måned")
    expect(page.get_by_label("Barnet er flyttet til en anden anbringelse")).to_be_checked()
    fill_date(page, "end_date", today.isoformat())
    page.get_by_role("button", name="Ja, afslut anbringelsen").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("placement:edit", args=[ended.pk]))))
    ended.refresh_from_db()
    assert (ended.end_date, ended.end_reason) == (today, "other_placement")
    screenshot(page, "plan-placement-ended")

    page.context.clear_cookies()
    log_in(page, live_server, parent)
    page.goto(reverse("family-dashboard"))
    expect(page.locator("main")).to_contain_text("Mentalisering")
    expect(page.locator("main")).to_contain_text("Nysgerrig på barnets indre.")
    expect(
        page.get_by_role("link", name=re.compile("Mentalisering i hverdagen"))
    ).to_have_attribute("href", re.compile(re.escape(module.url)))
    expect(page.locator("main")).to_contain_text("Går i skole hver dag")
    expect(page.locator("main")).to_contain_text("Opstartsforløbet sluttede")
    check_accessibility(page, "min side with theme and plan goals")
    screenshot(page, "plan-min-side-theme-and-goals")
