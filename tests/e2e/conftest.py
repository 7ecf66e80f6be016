"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session (starting Chromium is the slow part), a fresh context
per test so cookies never leak between tests. Helpers log in through the real form, run
axe-core on a page and save screenshots to ``test-artifacts/screenshots/``.
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, authenticator, totp_code

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to be
# called from it (as pytest-playwright users know) although nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A loaded CI machine may take a while to save a page with uploads; wait as long as for actions.
expect.set_options(timeout=10_000)

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# Keeps every Content-Security-Policy violation of a page in ``window.cspViolations``.
CSP_LISTENER = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


def pytest_collection_modifyitems(config, items):
    """Locally, no Chromium means skip; in CI (``CI=true``) the tests run and fail instead."""
    if CHROMIUM.exists() or os.environ.get("CI", "").lower() == "true":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _wagtail_root(transactional_db):
    """The live server needs a transactional database, which is emptied after each test;
    put back the tree root and locale that Wagtail's own migrations create."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    if not Page.objects.exists():
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is required for the end-to-end tests: {CHROMIUM} is missing")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    violations = []
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{message.page.url if message.page else ''}: {message.text}")
        ),
    )
    page = context.new_page()
    yield page
    context.close()
    # Every page a test visits, in any tab, runs under the enforced policy without a violation.
    if violations:
        pytest.fail("CSP violations:\n" + "\n".join(violations), pytrace=False)


def log_in(page, live_server, user, password=TEST_PASSWORD):
    """Log ``user`` in through the real login form, as a person would; staff (who must use
    two-factor) get an authenticator app if they have none and type its code."""
    from cms.signin.two_factor import requires_two_factor

    device = authenticator(user) if requires_two_factor(user) else None
    page.goto(f"{live_server.url}/log-ind/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if device is not None:
        page.locator("#id_code").fill(totp_code(device))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()


def check_accessibility(page, name):
    """Run axe-core (WCAG 2.0/2.1 A and AA) and fail on any serious or critical violation."""
    # Evaluated through the DevTools protocol: an injected <script> element would be
    # refused by the page's Content-Security-Policy, as any inline script is.
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious/critical violation(s) on {name}:"]
        for violation in blocking:
            targets = [json.dumps(node["target"]) for node in violation["nodes"]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    {', '.join(targets)}"
            )
        pytest.fail("\n".join(lines), pytrace=False)
    return results


def screenshot(page, name):
    """Save a full-page screenshot to ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
