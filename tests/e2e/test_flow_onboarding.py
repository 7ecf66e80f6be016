"""Flow: onboarding. A coordinator invites a supervisor, who chooses a password from the
e-mail's link and logs in, registers a family with two parents; a parent chooses a
password and lands on *Min side*. An expired and a used link are refused clearly."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import Invitation, User
from tests.e2e.admin_helpers import choose
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.e2e.totp import set_up_totp
from tests.factories import CoordinatorFactory, FamilyTypeFactory, MunicipalityFactory

pytestmark = pytest.mark.e2e

SUPERVISOR_PASSWORD = "Konsulent-kode-2027"
PARENT_PASSWORD = "Plejemor-kode-2027"


def link_to(mailoutbox, address):
    """The invitation link of the last e-mail to ``address``, as a path on the test server."""
    message = [m for m in mailoutbox if m.to == [address]][-1]
    link = re.search(r"https?://\S+?(/invitation/\S+/)", message.body).group(1)
    return link


def choose_password(page, live_server, path, password):
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_text("Vælg din adgangskode")
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # Not logged in: the login page, with the success message.
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    expect(page.locator(".alert-success")).to_contain_text("Din adgangskode er gemt")


def test_onboarding_from_coordinator_to_family(page, live_server, mailoutbox):
    vejle = MunicipalityFactory(name="Vejle Kommune", slug="vejle")
    coordinator = CoordinatorFactory(municipality=vejle)
    FamilyTypeFactory()

    # The coordinator invites a supervisor.
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("staff:add"))
    page.locator("#id_first_name").fill("Karen")
    page.locator("#id_last_name").fill("Konsulent")
    page.locator("#id_email").fill("Karen@Vejle.example.dk")
    page.locator("#id_role").select_option("Supervisor")
    page.locator("main footer button[type=submit], main button.action-save").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("staff:index"))))
    expect(page.locator("tr", has_text="karen@vejle.example.dk")).to_contain_text("Afventer")
    screenshot(page, "onboarding-staff-list")
    page.context.clear_cookies()

    # The supervisor chooses a password from the e-mail and logs in through the form.
    choose_password(
        page, live_server, link_to(mailoutbox, "karen@vejle.example.dk"), SUPERVISOR_PASSWORD
    )
    check_accessibility(page, "login after invitation")
    # Staff sign in with the password, then set up two-factor before anything else.
    page.locator("#id_username").fill("karen@vejle.example.dk")
    page.locator("#id_password").fill(SUPERVISOR_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#totp-key")).to_be_visible()
    check_accessibility(page, "two-factor set-up after invitation")
    set_up_totp(page)
    expect(page).to_have_url(re.compile(r"/admin/"))
    assert (
        User.objects.get(email="karen@vejle.example.dk")
        .totpdevice_set.filter(confirmed=True)
        .exists()
    )

    # … and registers a family with two parents.
    page.goto(live_server.url + reverse("fosterfamily:add"))
    page.locator("#id_name").fill("Familien Holm")
    choose(page, "family_type", FamilyTypeFactory().pk)
    page.locator("#id_parents-0-first_name").fill("Lene")
    page.locator("#id_parents-0-last_name").fill("Holm")
    page.locator("#id_parents-0-email").fill("lene@holm.example.dk")
    page.locator("#id_parents-1-first_name").fill("Jens")
    page.locator("#id_parents-1-last_name").fill("Holm")
    page.locator("#id_parents-1-email").fill("jens@holm.example.dk")
    screenshot(page, "onboarding-register-family")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Familien Holm er oprettet")
    page.goto(live_server.url + reverse("foster_parents:index"))
    expect(page.locator("tr", has_text="lene@holm.example.dk")).to_contain_text("Afventer")
    page.context.clear_cookies()

    # A parent chooses a password, logs in and lands on Min side with the family.
    lene_link = link_to(mailoutbox, "lene@holm.example.dk")
    choose_password(page, live_server, lene_link, PARENT_PASSWORD)
    lene = User.objects.get(email="lene@holm.example.dk")
    log_in(page, live_server, lene, password=PARENT_PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(reverse("family-dashboard"))))
    expect(page.locator("main")).to_contain_text("Familien Holm")
    screenshot(page, "onboarding-min-side")
    page.context.clear_cookies()

    # The used link is refused with what to do.
    page.goto(live_server.url + lene_link)
    expect(page.locator("#invitation-refused")).to_contain_text("allerede brugt")
    expect(page.locator("main")).to_contain_text("Log ind")

    # An expired link is refused and says to ask for a new invitation.
    Invitation.objects.filter(user__email="jens@holm.example.dk").update(
        sent_at=timezone.now() - timedelta(days=8)
    )
    page.goto(live_server.url + link_to(mailoutbox, "jens@holm.example.dk"))
    expect(page.locator("#invitation-refused")).to_contain_text("udløbet")
    expect(page.locator("main")).to_contain_text("ny invitation")
    check_accessibility(page, "expired invitation")
