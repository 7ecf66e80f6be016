"""Flow 6, Report: a coordinator opens the late-courses report from the start page, sees
the late family, narrows it to late courses and downloads it as CSV."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import CoordinatorFactory, FosterFamilyFactory, MunicipalityFactory
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.e2e


def placement(municipality, family, days_ago):
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    family = FosterFamilyFactory(name=family, municipality=municipality)
    return RegisteredPlacementFactory(family=family, child_name="E.", start_date=start)


def test_report_a_coordinator_finds_late_courses_and_exports_them(page, live_server):
    vejle = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    odense = MunicipalityFactory(name="Odense Kommune", slug="odense")
    coordinator = CoordinatorFactory(municipality=vejle)
    placement(vejle, "Familien Sen", days_ago=400)
    placement(vejle, "Familien Snart", days_ago=172)
    placement(vejle, "Familien Ny", days_ago=0)
    placement(odense, "Familien Fyn", days_ago=400)
    url = reverse("supervision_report_late_courses")

    log_in(page, live_server, coordinator)
    page.locator(f"main a[href='{url}']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forsinkede")
    late = page.locator("#listing-results tbody tr", has_text="Familien Sen")
    expect(late).to_contain_text("Forsinket")
    expect(page.locator("#listing-results tbody tr", has_text="Familien Snart")).to_contain_text(
        "I risiko"
    )
    expect(page.locator("main")).not_to_contain_text("Familien Ny")
    expect(page.locator("main")).not_to_contain_text("Familien Fyn")
    check_accessibility(page, "late-courses report")
    screenshot(page, "report-late-courses")

    page.goto(f"{url}?status=late")
    expect(page.locator("#listing-results tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Handlinger").click()
    with page.expect_download() as download_info:
        page.locator("a[href*='export=csv']").click()
    download = download_info.value
    assert re.fullmatch(r"late-courses-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "Familien Sen" in text and "Familien Snart" not in text and "Familien Fyn" not in text

    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "report-late-courses-375")
