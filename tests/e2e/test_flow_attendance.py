"""Flow 5 in a real browser, attendance part: the supervisor finds this morning's session
among the past sessions and records one parent present and the other absent; the present
parent opens the after-exercise (a scale whose answers can be seen and clicked), the
absent one cannot open it as their own. A coming session is cancelled only once the
supervisor confirms it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.roles import sync_role_groups
from logbook.models import LogbookEntry, ScaleExercise, Timing
from supervision.models import Attendance, Session
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import FosterFamilyFactory, FosterParentFactory, SupervisorFactory
from tests.supervision.factories import IndividualSupervisionFactory, ModuleSessionFactory

pytestmark = pytest.mark.e2e

TITLE = "Hvordan gik det bagefter?"
# Whether an element can be seen: neither it nor anything around it is transparent.
SEEN = """element => {
  for (let e = element; e; e = e.parentElement) {
    if (getComputedStyle(e).opacity === "0") return false;
  }
  return element.getBoundingClientRect().width > 0;
}"""


@pytest.fixture
def held(make_module):
    sync_role_groups()
    module = make_module(number=4, title="Mentalisering i hverdagen")
    family = FosterFamilyFactory(name="Familien Hansen")
    mette = FosterParentFactory(first_name="Mette", municipality=family.municipality)
    lars = FosterParentFactory(first_name="Lars", municipality=family.municipality)
    family.parents.set([mette, lars])
    family.save()
    consultant = SupervisorFactory(first_name="Karen", municipality=family.municipality)
    start = timezone.now() - datetime.timedelta(hours=3)
    session = ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=start,
        end=start + datetime.timedelta(hours=2),
        families=[family],
        supervisors=[consultant],
    )
    after = ScaleExercise.objects.create(
        module=module,
        title=TITLE,
        timing=Timing.AFTER,
        question="Hvor tryg var Emil efter mødet?",
        minimum=1,
        maximum=5,
        minimum_label="utryg",
        maximum_label="tryg",
    )
    return {
        "family": family,
        "mette": mette,
        "lars": lars,
        "consultant": consultant,
        "session": session,
        "after": after,
    }


def test_attendance_opens_the_after_exercise_for_the_present_parent_only(page, live_server, held):
    mette, lars = held["mette"], held["lars"]
    log_in(page, live_server, held["consultant"])
    page.goto("/admin/supervision/agenda/")
    expect(page.get_by_text("Ingen kommende møder.")).to_be_visible()  # it has left the agenda
    page.get_by_role("link", name="Tidligere møder").click()
    check_accessibility(page, "past sessions")
    page.get_by_role("link", name="Fremmøde").click()
    page.locator(f"#id_parent_{mette.pk}_0").check()  # present
    page.locator(f"#id_parent_{lars.pk}_1").check()  # absent
    check_accessibility(page, "attendance")
    screenshot(page, "attendance")
    page.get_by_role("button", name="Gem fremmøde").click()
    expect(page.get_by_text("Fremmødet er gemt.")).to_be_visible()
    assert dict(Attendance.objects.values_list("parent_id", "present")) == {
        mette.pk: True,
        lars.pk: False,
    }

    own_entry = (
        f"/logbog/familie/{held['family'].pk}/ovelse/{held['after'].pk}/moede/{held['session'].pk}/"
    )
    page.context.clear_cookies()
    log_in(page, live_server, lars)
    response = page.goto(own_entry)
    assert response.status == 403
    expect(page.get_by_text("var med, så I kan skrive sammen")).to_be_visible()
    page.goto("/logbog/")
    expect(page.get_by_text("Du er ikke registreret som til stede")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, mette)
    page.goto("/logbog/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    label = page.locator("label", has_text="4").first
    assert label.evaluate(SEEN), "the answer's label is hidden"
    answer = page.get_by_role("radio", name="4", exact=True)
    answer.check()  # fails if anything else (the hidden list) would take the click
    expect(answer).to_be_checked()
    check_accessibility(page, "scale exercise")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Gemt kl.")
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    assert LogbookEntry.objects.get(author=mette).answers["value"] == "4"


def test_a_session_is_cancelled_only_once_the_supervisor_confirms(page, live_server, held):
    coming = IndividualSupervisionFactory(
        municipality=held["family"].municipality,
        start=timezone.now() + datetime.timedelta(days=3),
        families=[held["family"]],
        supervisors=[held["consultant"]],
    )
    log_in(page, live_server, held["consultant"])
    page.goto("/admin/supervision/agenda/")
    page.get_by_role("link", name="Aflys mødet").click()
    expect(page.get_by_text("De 3 personer i mødet får en aflysning på e-mail.")).to_be_visible()
    check_accessibility(page, "cancel session")
    assert Session.objects.get(pk=coming.pk).cancelled_at is None
    page.get_by_role("button", name="Ja, aflys mødet").click()
    expect(page.get_by_text("Mødet er aflyst")).to_be_visible()
    assert Session.objects.get(pk=coming.pk).cancelled_at is not None
