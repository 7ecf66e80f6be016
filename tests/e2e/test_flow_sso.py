"""Signing in, in a real browser: staff and a parent through a real OpenID provider
started on this machine (tests/oidc); a supervisor's first password login sets up
two-factor; the next one asks for the code."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, screenshot
from tests.e2e.totp import code_for, set_up_totp
from tests.factories import (
    TEST_PASSWORD,
    FosterFamilyFactory,
    FosterParentFactory,
    MunicipalityFactory,
    SupervisorFactory,
)
from tests.oidc.server import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def providers(openid_provider, live_server, home_page):
    openid_provider.allow_site(live_server.url)
    municipality = MunicipalityFactory(name="Kommune A", slug="kommune-a")
    openid_provider.staff_provider(municipality, "Log ind som medarbejder i Kommune A")
    openid_provider.family_provider()
    return municipality


def sign_in_at_provider(page, username):
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_load_state()


def test_staff_sign_in_through_their_municipality(page, live_server, providers):
    SupervisorFactory(email="anna@kommune-a.example.dk", municipality=providers)
    page.goto("/log-ind/")
    check_accessibility(page, "login with providers")
    screenshot(page, "login-providers")
    page.get_by_role("link", name="Log ind som medarbejder i Kommune A").click()
    sign_in_at_provider(page, "anna")
    # No code asked for: the municipality's provider did its own check.
    expect(page).to_have_url(re.compile("/admin/$"))
    expect(page.get_by_text("Kommune A").first).to_be_visible()


def test_a_parent_signs_in_through_the_national_provider(page, live_server, providers):
    parent = FosterParentFactory(email="mette@familie.example.dk", municipality=providers)
    FosterFamilyFactory(municipality=providers, parents=[parent])
    page.goto("/log-ind/")
    page.get_by_role("link", name="Log ind med MitID").click()
    sign_in_at_provider(page, "mette")
    expect(page).to_have_url(re.compile("/min-side/$"))


def test_someone_without_an_account_is_refused_with_a_clear_page(page, live_server, providers):
    page.goto("/log-ind/")
    page.get_by_role("link", name="Log ind med MitID").click()
    sign_in_at_provider(page, "ukendt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du blev ikke logget ind")
    expect(page.locator("#sso-refused")).to_contain_text("Vi kunne ikke finde en konto til dig")
    check_accessibility(page, "sign-in refused")


def test_a_supervisor_sets_up_two_factor_then_types_the_code(page, live_server, home_page):
    supervisor = SupervisorFactory(municipality=MunicipalityFactory(name="Vejle Kommune"))
    page.goto("/admin/")
    page.locator("#id_username").fill(supervisor.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sæt totrinslogin op")
    check_accessibility(page, "two-factor set-up")
    screenshot(page, "two-factor-set-up")
    page.locator("#id_code").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_contain_text("Koden er forkert")
    secret = set_up_totp(page)
    expect(page).to_have_url(re.compile("/admin/$"))

    page.context.clear_cookies()  # another day: the browser was closed
    page.goto("/log-ind/")
    page.locator("#id_username").fill(supervisor.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv din kode")
    check_accessibility(page, "two-factor code")
    page.locator("#id_code").fill(code_for(secret, later=30))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/admin/$"))


def test_a_parent_turns_two_factor_on_and_is_asked_next_time(page, live_server, home_page):
    municipality = MunicipalityFactory(name="Vejle Kommune")
    parent = FosterParentFactory(municipality=municipality)
    FosterFamilyFactory(municipality=municipality, parents=[parent])
    page.goto("/log-ind/")
    page.locator("#id_username").fill(parent.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/min-side/$"))
    page.get_by_role("link", name=re.compile("Totrinslogin")).click()
    check_accessibility(page, "own two-factor page")
    page.get_by_role("link", name="Slå totrinslogin til").click()
    secret = set_up_totp(page)
    expect(page.locator("#two-factor-status")).to_contain_text("slået til")
    check_accessibility(page, "own two-factor page, on")

    page.context.clear_cookies()
    page.goto("/log-ind/")
    page.locator("#id_username").fill(parent.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv din kode")
    page.locator("#id_code").fill(code_for(secret, later=30))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/min-side/$"))
