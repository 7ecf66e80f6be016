"""Autosave never loses or overwrites what a family typed (docs/architecture.md, "Writing").

A dead network or a failing server is tried again until the text is saved, without reloading
the page; a draft kept on the device that meets a newer saved version is never posted over
it, and two tabs of one parent are told about each other's saves: in every case the page
shows both texts and the parent chooses.
"""

import pytest
from playwright.sync_api import expect

from logbook import services
from logbook.models import LogbookEntry
from tests.e2e.conftest import check_accessibility, log_in
from tests.factories import FosterFamilyFactory, FosterParentFactory
from tests.logbook.factories import ReflectionExerciseFactory
from tests.supervision.factories import module_session_next_week

pytestmark = pytest.mark.e2e

QUESTION = "Hvad skete der?"


@pytest.fixture
def writing(make_module):
    module = make_module(number=4, title="Mentalisering i hverdagen")
    family = FosterFamilyFactory(name="Familien Hansen")
    mette = FosterParentFactory(first_name="Mette", municipality=family.municipality)
    family.parents.add(mette)
    family.save()
    session = module_session_next_week(family, module)
    exercise = ReflectionExerciseFactory(module=module, prompts=QUESTION)
    return {
        "family": family,
        "mette": mette,
        "exercise": exercise,
        "session": session,
        "url": f"/logbog/familie/{family.pk}/ovelse/{exercise.pk}/moede/{session.pk}/",
    }


def saved_text():
    entry = LogbookEntry.objects.first()
    return entry.answers["prompt_0"] if entry else None


def save_elsewhere(writing, text, version):
    """What another window of the same parent (or another device) saves meanwhile."""
    services.save_entry(
        exercise=writing["exercise"],
        family=writing["family"],
        session=writing["session"],
        writer=writing["mette"],
        answers={"prompt_0": text},
        base_version=version,
    )


def answer(tab):
    return tab.get_by_label(QUESTION)


def status(tab):
    return tab.locator("[data-autosave-status]")


def conflict(tab):
    return tab.locator("#entry-conflict")


def test_a_save_lost_offline_is_retried_and_announced_without_reloading(page, live_server, writing):
    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    page.context.set_offline(True)
    answer(page).fill("Skrevet i toget uden net")
    expect(status(page)).to_contain_text("Kunne ikke gemme")
    page.wait_for_timeout(1500)  # a retry or two fail too

    page.context.set_offline(False)
    expect(page.locator("[data-autosave-announce][aria-live=polite]")).to_contain_text(
        "Gemt kl.", timeout=35_000
    )
    assert saved_text() == "Skrevet i toget uden net"


def test_a_failing_server_is_tried_again_with_back_off(page, live_server, writing):
    failed = []

    def unavailable_twice(route):
        if route.request.method == "POST" and len(failed) < 2:
            failed.append(route.request.post_data)
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    page.route(f"**{writing['url']}", unavailable_twice)
    answer(page).fill("Skrevet mens serveren var nede")
    expect(status(page)).to_contain_text("Gemt kl.", timeout=15_000)
    assert len(failed) == 2
    assert saved_text() == "Skrevet mens serveren var nede"


def test_a_draft_left_in_a_conflict_is_never_saved_over_the_newer_text(page, live_server, writing):
    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    save_elsewhere(writing, "Skrevet i det andet vindue", version=0)
    answer(page).fill("Skrevet her")
    expect(conflict(page)).to_be_visible()
    page.close()  # the conflict is left unanswered

    tab = page.context.new_page()
    tab.goto(writing["url"])
    expect(conflict(tab)).to_be_visible()
    expect(conflict(tab)).to_be_focused()
    expect(answer(tab)).to_have_value("Skrevet her")
    expect(conflict(tab).locator("[data-conflict-mine]")).to_contain_text("Skrevet her")
    expect(conflict(tab).locator("[data-conflict-theirs]")).to_contain_text(
        "Skrevet i det andet vindue"
    )
    check_accessibility(tab, "logbook entry with a conflict")
    tab.wait_for_timeout(1500)  # longer than autosave waits
    assert saved_text() == "Skrevet i det andet vindue"

    tab.get_by_role("button", name="Behold min tekst").click()
    expect(status(tab)).to_contain_text("Gemt kl.")
    expect(conflict(tab)).to_be_hidden()
    expect(answer(tab)).to_be_focused()
    assert saved_text() == "Skrevet her"


def test_a_draft_kept_offline_is_offered_not_dropped_when_the_entry_was_saved_since(
    page, live_server, writing
):
    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    page.context.set_offline(True)
    answer(page).fill("Skrevet uden net")
    expect(status(page)).to_contain_text("Kunne ikke gemme")
    page.close()
    page.context.set_offline(False)
    save_elsewhere(writing, "Skrevet på telefonen", version=0)

    tab = page.context.new_page()
    tab.goto(writing["url"])
    expect(conflict(tab)).to_be_visible()
    expect(answer(tab)).to_have_value("Skrevet uden net")
    tab.get_by_role("button", name="Brug den gemte udgave").click()
    expect(answer(tab)).to_have_value("Skrevet på telefonen")
    expect(conflict(tab)).to_be_hidden()
    assert saved_text() == "Skrevet på telefonen"

    # The draft was given up by choice: it does not come back.
    tab.reload()
    expect(answer(tab)).to_have_value("Skrevet på telefonen")
    expect(conflict(tab)).to_be_hidden()


def test_two_tabs_of_one_parent_are_told_about_each_others_saves(page, live_server, writing):
    log_in(page, live_server, writing["mette"])
    first = page
    first.goto(writing["url"])
    second = page.context.new_page()
    second.goto(writing["url"])

    # The second tab has nothing unsaved: it simply shows what the first one saved.
    answer(first).fill("Fra den første fane")
    expect(status(first)).to_contain_text("Gemt kl.")
    expect(answer(second)).to_have_value("Fra den første fane")

    # Both have unsaved text: the second may not reach the server, then hears of the save.
    second.route(f"**{writing['url']}", lambda route: route.abort())
    answer(second).fill("Fra den anden fane")
    expect(status(second)).to_contain_text("Kunne ikke gemme")
    answer(first).fill("Fra den første fane, rettet")
    expect(status(first)).to_contain_text("Gemt kl.")
    expect(conflict(second)).to_be_visible()
    expect(conflict(second).locator("[data-conflict-theirs]")).to_contain_text(
        "Fra den første fane, rettet"
    )
    second.unroute(f"**{writing['url']}")
    second.wait_for_timeout(1500)
    assert saved_text() == "Fra den første fane, rettet"

    second.get_by_role("button", name="Behold min tekst").click()
    expect(status(second)).to_contain_text("Gemt kl.")
    assert saved_text() == "Fra den anden fane"
    # The first tab, with nothing unsaved now, follows.
    expect(answer(first)).to_have_value("Fra den anden fane")


def test_text_typed_just_before_the_tab_closes_is_not_lost(page, live_server, writing):
    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    answer(page).fill("Skrevet lige før fanen lukkede")
    page.close()  # sooner than autosave waits

    tab = page.context.new_page()
    tab.goto(writing["url"])
    expect(answer(tab)).to_have_value("Skrevet lige før fanen lukkede")
    expect(conflict(tab)).to_be_hidden()
    tab.wait_for_timeout(1500)
    assert saved_text() == "Skrevet lige før fanen lukkede"


def test_the_save_button_posts_the_form_without_javascript(browser, live_server, writing):
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, live_server, writing["mette"])
    page.goto(writing["url"])
    answer(page).fill("Skrevet uden JavaScript")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.get_by_text("Dit indlæg er gemt.")).to_be_visible()
    assert saved_text() == "Skrevet uden JavaScript"
    context.close()
