"""A family downloads its data; a coordinator erases a family (in a real browser)."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from supervision.models import FosterFamily
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
)
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def family(home_page):
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    parent = FosterParentFactory(first_name="Mette", municipality=municipality)
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality, parents=[parent])
    RegisteredPlacementFactory(family=family, child_name="E.", birth_year=2017)
    return family


def test_a_parent_downloads_the_familys_data(page, live_server, family):
    log_in(page, live_server, family.parents.get())
    page.get_by_role("link", name=re.compile("Mine data")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine data")
    check_accessibility(page, "my data")
    screenshot(page, "my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["families"][0]["placements"][0]["child"] == "E."


def test_a_coordinator_erases_a_family_after_typing_its_name(page, live_server, family):
    log_in(page, live_server, CoordinatorFactory(municipality=family.municipality))
    page.goto(f"/admin/fosterfamily/edit/{family.pk}/")
    page.get_by_role("button", name=re.compile("Handlinger|Actions|More", re.I)).first.click()
    page.get_by_role("link", name="Slet personoplysninger").click()
    expect(page.get_by_text("0 logbogsindlæg")).to_be_visible()  # the family wrote none
    expect(page.get_by_text("Barnets navn og fødselsår i 1 anbringelse")).to_be_visible()
    page.get_by_label("Familiens navn").fill("Familien Hansen")
    page.get_by_role("button", name="Slet personoplysningerne").click()
    expect(page.get_by_text("Navnet passer ikke til denne familie")).to_be_visible()
    screenshot(page, "erase-family-error")
    page.get_by_label("Familiens navn").fill("Familien Holm")
    page.get_by_role("button", name="Slet personoplysningerne").click()
    expect(page.get_by_text("Personoplysningerne om Familien Holm er slettet")).to_be_visible()
    assert FosterFamily.objects.get(pk=family.pk).is_erased
