"""The site shell in a real browser: logging in, Min side, language, keyboard use, axe."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import ContentPage, FooterSettings
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import (
    CoordinatorFactory,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
    TrainerFactory,
)
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.e2e

MOBILE = {"width": 375, "height": 740}


@pytest.fixture
def site(home_page):
    """The home page is the default site's root, so Wagtail serves it on any host and port."""
    return home_page


@pytest.fixture
def statement(site):
    """The accessibility statement the footer links to, as the law asks."""
    page = site.add_child(
        instance=ContentPage(
            title="Tilgængelighedserklæring",
            slug="tilgaengelighed",
            body="<p>Opstart følger WCAG 2.1 på niveau AA.</p>",
        )
    )
    footer = FooterSettings.load()
    footer.accessibility_statement = page
    footer.save()
    return page


@pytest.fixture
def family_parent(make_module):
    """A foster parent with a family, a placement and a municipality with an emergency line."""
    make_module(1, title="Den robuste og tryghedsfremmende plejefamilie")
    municipality = MunicipalityFactory(
        name="Vejle Kommune",
        slug="vejle",
        contact_name="Familieplejen Vejle",
        contact_phone="76 81 00 00",
        emergency_phone="70 20 30 40",
    )
    parent = FosterParentFactory(first_name="Mette", municipality=municipality)
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality, parents=[parent])
    family.save()  # parents is a ParentalManyToManyField: kept in memory until saved
    RegisteredPlacementFactory(family=family, child_name="E.", birth_year=2017)
    return parent


def focus_next(page, selector, limit=30):
    """Press Tab until ``selector`` has focus; every stop must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            """() => {
                const el = document.activeElement, style = getComputedStyle(el);
                if (el === document.body) return null;
                return {tag: el.outerHTML.slice(0, 80), outline: style.outlineStyle,
                        width: style.outlineWidth, shadow: style.boxShadow};
            }"""
        )
        if outline is None:  # the focus left the document (browser chrome) or none yet
            continue
        visible = (outline["outline"] != "none" and outline["width"] != "0px") or (
            outline["shadow"] != "none"
        )
        assert visible, f"no visible focus on {outline['tag']}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with {limit} presses of Tab")


def test_login_page_is_accessible(page, site):
    page.goto("/log-ind/")
    expect(page).to_have_title(re.compile("Log ind"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    check_accessibility(page, "login")
    screenshot(page, "login")
    page.set_viewport_size(MOBILE)
    screenshot(page, "login-mobile")


def test_wrong_password_shows_error_and_keeps_email(page, site, live_server):
    parent = FosterParentFactory()
    page.goto("/log-ind/")
    page.get_by_label("E-mailadresse").fill(parent.email)
    page.get_by_label("Adgangskode").fill("not-the-password")
    page.get_by_role("button", name="Log ind", exact=True).click()

    password = page.get_by_label("Adgangskode")
    expect(password).to_have_attribute("aria-describedby", "id_password_error")
    expect(page.locator("#id_password_error")).to_contain_text("forkert")
    expect(password).to_have_accessible_description(re.compile("forkert"))
    expect(page.get_by_label("E-mailadresse")).to_have_value(parent.email)
    expect(password).to_have_value("")
    expect(page).to_have_url(re.compile("/log-ind/$"))
    check_accessibility(page, "login with error")
    screenshot(page, "login-error")


@pytest.mark.parametrize(
    ("factory", "start"),
    [
        (FosterParentFactory, r"/min-side/$"),
        (SupervisorFactory, r"/admin/$"),
        (CoordinatorFactory, r"/admin/$"),
        (TrainerFactory, r"/admin/pages/\d+/$"),
    ],
    ids=["foster-parent", "supervisor", "coordinator", "trainer"],
)
def test_each_role_logs_in_to_its_start_page(page, live_server, catalogue, factory, start):
    log_in(page, live_server, factory())
    expect(page).to_have_url(re.compile(start))


def test_family_dashboard_shows_family_placement_and_emergency_line(
    page, live_server, site, statement, family_parent
):
    log_in(page, live_server, family_parent)
    expect(page).to_have_url(re.compile("/min-side/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette")
    expect(page.get_by_role("heading", name="Familien Holm")).to_be_visible()
    expect(page.get_by_text("E. flyttede ind")).to_be_visible()
    expect(page.get_by_role("link", name="70 20 30 40")).to_have_attribute(
        "href", "tel:70 20 30 40"
    )
    check_accessibility(page, "family dashboard")
    screenshot(page, "family-dashboard")
    page.set_viewport_size(MOBILE)
    check_accessibility(page, "family dashboard, mobile")
    screenshot(page, "family-dashboard-mobile")


def test_language_switch_turns_the_page_english_and_back(page, live_server, site, family_parent):
    log_in(page, live_server, family_parent)
    danish = page.get_by_role("button", name="Dansk")
    expect(danish).to_have_attribute("aria-current", "true")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mette")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(re.compile("/min-side/$"))
    check_accessibility(page, "family dashboard in English")
    screenshot(page, "family-dashboard-en")

    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette")


def test_keyboard_only_log_in_reach_min_side_and_log_out(page, live_server, site, family_parent):
    page.goto("/log-ind/")
    focus_next(page, "#id_username")
    page.keyboard.type(family_parent.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("Test-password-123")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/min-side/$"))

    # The first Tab stop is the skip link, and it moves the focus to the content.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main-content")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("76 81 00 00")  # the first link in <main>
    focus_next(page, "main a[href$='/moduler/']")
    expect(page.locator(":focus")).to_have_text(re.compile("Se alle moduler"))

    page.reload()  # start again from the top to reach the header
    focus_next(page, "button.log-off")
    expect(page.locator(":focus")).to_have_text(re.compile("Log af"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/log-ind/$"))
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()


def test_home_page_and_accessibility_statement_are_accessible(page, site, statement):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opstart")
    check_accessibility(page, "home page")
    screenshot(page, "home")
    page.set_viewport_size(MOBILE)
    screenshot(page, "home-mobile")

    page.get_by_role("contentinfo").get_by_role("link", name="Tilgængelighedserklæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgængelighedserklæring")
    check_accessibility(page, "accessibility statement")
    screenshot(page, "accessibility-statement")


def test_supervisor_start_page_is_accessible(page, live_server, catalogue):
    """Today's sessions, late and at-risk courses and shared entries, as the supervisor
    lands on them, with a late course in the panel."""
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality)
    RegisteredPlacementFactory(family=family, child_name="E.", start_date="2025-01-06")
    log_in(page, live_server, SupervisorFactory(municipality=municipality))
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_text("Familien Holm").first).to_be_visible()
    check_accessibility(page, "supervisor start page")
    screenshot(page, "supervisor-start-page")


# What Wagtail's own Danish catalogue left in English on these screens ("Supervisor" is
# Danish too).
ENGLISH_ON_STAFF_SCREENS = re.compile(
    r"\b(Search all pages|Images|Documents|Snippets|Reports|Dashboard|Awaiting your review"
    r"|Keyboard shortcuts|Coordinator|Foster families|Placements|Usage)\b"
)


@pytest.mark.parametrize(
    ("factory", "role", "menu"),
    [
        (SupervisorFactory, "supervisor", ["Familier", "Kalender", "Møder"]),
        (CoordinatorFactory, "coordinator", ["Familier", "Rapporter", "Indstillinger"]),
    ],
    ids=["supervisor", "coordinator"],
)
def test_staff_main_screens_read_in_danish(page, live_server, catalogue, factory, role, menu):
    """The start page and the family list, as the supervisor and the coordinator see them,
    with Wagtail's menu, search and panels in Danish."""
    municipality = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    family = FosterFamilyFactory(name="Familien Holm", municipality=municipality)
    RegisteredPlacementFactory(family=family, child_name="E.", start_date="2025-01-06")
    log_in(page, live_server, factory(municipality=municipality))

    expect(page).to_have_url(re.compile(r"/admin/$"))
    sidebar = page.locator("[data-wagtail-sidebar], aside").first
    for label in menu:
        expect(sidebar.get_by_text(label, exact=True).first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(ENGLISH_ON_STAFF_SCREENS, use_inner_text=True)
    screenshot(page, f"{role}-start-page-da")

    page.goto(f"{live_server.url}/admin/fosterfamily/")
    expect(page.get_by_text("Familien Holm").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(ENGLISH_ON_STAFF_SCREENS, use_inner_text=True)
    screenshot(page, f"{role}-families-da")
