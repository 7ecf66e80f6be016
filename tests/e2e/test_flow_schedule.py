"""Flow 3, Schedule: a supervisor plans a cohort's year of quarterly group supervision,
the families are invited by e-mail, and a double booking is refused next to the field."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import GroupSupervision
from tests.e2e.admin_helpers import choose, fill_date, save
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import (
    CohortFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.supervision.factories import ThemeFactory

pytestmark = pytest.mark.e2e


def test_schedule_a_cohorts_year_and_refuse_a_double_booking(page, live_server, home_page):
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    supervisor = SupervisorFactory(first_name="Sofie", municipality=municipality)
    parent = FosterParentFactory(municipality=municipality)
    family = FosterFamilyFactory(municipality=municipality, parents=[parent])
    year = timezone.localdate().year + 1
    cohort = CohortFactory(municipality=municipality, name="Hold A", year=year, families=[family])
    themes = [ThemeFactory(name=f"Tema {n}", slug=f"tema-{n}") for n in range(1, 5)]

    log_in(page, live_server, supervisor)
    page.goto("/admin/supervision/plan-year/")
    choose(page, "cohort", cohort.pk)
    for number, theme in enumerate(themes, start=1):
        choose(page, f"theme_{number}", theme.pk)
    choose(page, "weekday", 1)
    page.locator("#id_start_time").fill("17:00")
    page.locator("#id_place").fill("Familieplejen, Vejlevej 1")
    choose(page, "supervisors", supervisor.pk)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/admin/supervision/agenda/$"))
    screenshot(page, "schedule-agenda")

    sessions = list(GroupSupervision.objects.filter(cohort=cohort).order_by("start"))
    assert len(sessions) == 4
    invited = [message for message in mail.outbox if parent.email in message.to]
    assert invited, "the family's parent gets an invitation"
    assert any(a[0].endswith(".ics") for m in invited for a in m.attachments)
    assert "Familien" not in invited[0].body  # no family, child or note in an e-mail

    # A second session at the same time as the first quarter's is refused.
    first = timezone.localtime(sessions[0].start)
    page.goto(reverse("individualsupervision:add"))
    choose(page, "municipality", municipality.pk)
    fill_date(page, "start", first.strftime("%Y-%m-%d %H:%M"))
    fill_date(page, "end", (first.replace(hour=first.hour + 1)).strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_place").fill("Rådhuset")
    choose(page, "supervisors", supervisor.pk)
    save(page)
    error = page.locator("[data-field-wrapper]:has(#id_supervisors), .w-field:has(#id_supervisors)")
    expect(error.first).to_contain_text("Allerede optaget på det tidspunkt")
    screenshot(page, "schedule-double-booking")

    # The month view: the first quarter's meeting in its month's grid, and back a month.
    page.goto(reverse("supervision_agenda_month", args=[first.year, first.month]))
    grid = page.get_by_role("table")
    expect(grid.locator("caption")).to_contain_text(str(first.year))
    expect(grid.get_by_role("columnheader")).to_have_count(7)
    expect(grid.get_by_role("link", name=re.compile("Gruppesupervision"))).to_have_count(1)
    check_accessibility(page, "agenda month view")
    screenshot(page, "schedule-month-view")
    page.get_by_role("link", name="Forrige måned").click()
    expect(
        page.get_by_role("table").get_by_role("link", name=re.compile("Gruppesupervision"))
    ).to_have_count(0)
