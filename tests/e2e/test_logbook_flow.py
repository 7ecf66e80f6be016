"""Flows 4 and 5 in a real browser, logbook part: a parent writes a before-exercise that
is saved as they type and survives a closed tab, shares it; the supervisor gives feedback
and records attendance, and the after-exercise opens for the family."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from logbook.models import Feedback, LogbookEntry, Timing
from tests.e2e.conftest import check_accessibility, log_in, screenshot
from tests.factories import FosterFamilyFactory, FosterParentFactory, SupervisorFactory
from tests.logbook.factories import ObservationExerciseFactory, ReflectionExerciseFactory
from tests.supervision.factories import ModuleSessionFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def course(make_module):
    module = make_module(number=4, title="Mentalisering i hverdagen")
    family = FosterFamilyFactory(name="Familien Hansen")
    parent = FosterParentFactory(first_name="Mette", municipality=family.municipality)
    family.parents.add(parent)
    family.save()
    consultant = SupervisorFactory(first_name="Karen", municipality=family.municipality)
    session = ModuleSessionFactory(
        municipality=family.municipality,
        module=module,
        start=timezone.now() - datetime.timedelta(hours=3),
        families=[family],
        supervisors=[consultant],
    )
    before = ReflectionExerciseFactory(
        module=module, title="Hvad sker der inde i barnet?", prompts="Hvad skete der?"
    )
    after = ObservationExerciseFactory(
        module=module, title="Sådan gik det bagefter", timing=Timing.AFTER
    )
    return {
        "family": family,
        "parent": parent,
        "consultant": consultant,
        "session": session,
        "before": before,
        "after": after,
    }


def test_parent_writes_a_draft_that_survives_a_closed_tab_and_shares_it(page, live_server, course):
    log_in(page, live_server, course["parent"])
    page.goto("/logbog/")
    check_accessibility(page, "logbook")
    expect(page.get_by_text("Sådan gik det bagefter", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sådan gik det bagefter")).to_have_count(0)  # not open yet
    page.get_by_role("link", name="Hvad sker der inde i barnet?").first.click()
    page.get_by_label("Hvad skete der?").fill("Emil blev vred, da vi slukkede fjernsynet.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Gemt kl.")
    check_accessibility(page, "logbook entry")
    screenshot(page, "logbook-entry")
    url = page.url
    page.close()  # the tab is closed mid-draft, without pressing Save

    tab = page.context.new_page()
    tab.goto(url)
    expect(tab.get_by_label("Hvad skete der?")).to_have_value(
        "Emil blev vred, da vi slukkede fjernsynet."
    )
    tab.get_by_role("button", name="Del med min konsulent").click()
    expect(tab.get_by_text("Delt med din konsulent.", exact=True)).to_be_visible()
    assert LogbookEntry.objects.get().is_shared


def test_text_typed_offline_is_kept_on_the_device_and_saved_later(page, live_server, course):
    log_in(page, live_server, course["parent"])
    family, before = course["family"], course["before"]
    url = f"/logbog/familie/{family.pk}/ovelse/{before.pk}/moede/{course['session'].pk}/"
    page.goto(url)
    page.context.set_offline(True)
    page.get_by_label("Hvad skete der?").fill("Skrevet i toget uden net")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Kunne ikke gemme")
    page.close()

    page.context.set_offline(False)
    tab = page.context.new_page()
    tab.goto(url)
    expect(tab.get_by_label("Hvad skete der?")).to_have_value("Skrevet i toget uden net")
    expect(tab.locator("[data-autosave-status]")).to_contain_text("Gemt kl.")
    assert LogbookEntry.objects.get().answers["prompt_0"] == "Skrevet i toget uden net"


def test_supervisor_gives_feedback_records_attendance_and_the_after_exercise_opens(
    page, live_server, course
):
    from logbook import services

    family, parent = course["family"], course["parent"]
    entry = services.save_entry(
        exercise=course["before"],
        family=family,
        session=course["session"],
        writer=parent,
        answers={"prompt_0": "Emil blev vred"},
        base_version=0,
    )
    entry.share()

    log_in(page, live_server, course["consultant"])
    page.goto(f"/admin/logbog/moede/{course['session'].pk}/")
    expect(page.get_by_text("Emil blev vred")).to_be_visible()
    page.get_by_label("Din feedback").fill("Godt set. Prøv at sætte ord på hans skuffelse.")
    page.get_by_role("button", name="Gem feedback").click()
    expect(page.get_by_text("Feedback gemt")).to_be_visible()
    screenshot(page, "supervisor-session-entries")
    assert Feedback.objects.get().entry == entry

    page.goto(f"/admin/supervision/sessions/{course['session'].pk}/attendance/")
    page.get_by_label("Til stede").first.check()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Fremmødet er gemt.")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, parent)
    page.goto("/logbog/")
    page.get_by_role("link", name="Sådan gik det bagefter").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sådan gik det bagefter")
    page.goto(f"/logbog/familie/{family.pk}/ovelse/{course['before'].pk}/")
    expect(page.get_by_text("Prøv at sætte ord på hans skuffelse.")).to_be_visible()


def test_a_recurring_exercise_is_written_before_two_sessions_and_both_entries_stay(
    page, live_server, course
):
    family, before, module = course["family"], course["before"], course["before"].module
    coming = [
        ModuleSessionFactory(
            municipality=family.municipality,
            module=module,
            start=timezone.now() + datetime.timedelta(days=days),
            families=[family],
        )
        for days in (7, 21)
    ]
    texts = ["Før første gang: Emil sov dårligt.", "Før anden gang: nu sover han igennem."]
    log_in(page, live_server, course["parent"])
    page.goto("/logbog/")
    to_do = page.get_by_role("link", name="Hvad sker der inde i barnet?")
    expect(to_do.first).to_be_visible()
    for session, text in zip(coming, texts, strict=True):
        page.goto(f"/logbog/familie/{family.pk}/ovelse/{before.pk}/moede/{session.pk}/")
        page.get_by_label("Hvad skete der?").fill(text)
        expect(page.locator("[data-autosave-status]")).to_contain_text("Gemt kl.")
    for session, text in zip(coming, texts, strict=True):
        page.goto(f"/logbog/familie/{family.pk}/ovelse/{before.pk}/moede/{session.pk}/")
        expect(page.get_by_label("Hvad skete der?")).to_have_value(text)
    saved = LogbookEntry.objects.filter(exercise=before).order_by("session__start")
    assert [entry.answers["prompt_0"] for entry in saved] == texts
    page.goto("/logbog/")
    expect(page.get_by_text("Privat udkast")).to_have_count(2)
