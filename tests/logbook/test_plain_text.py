"""What families and consultants write is plain text: stored as typed, escaped once on output."""

import html
import importlib
import re

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse

from cms.portal.privacy import family_data
from logbook.models import Feedback, LogbookEntry
from logbook.models.exercises import TEXT_ANSWER_MAX_LENGTH
from logbook.services import give_feedback, share_entry
from supervision.models import CoursePlan, DevelopmentGoal
from tests.factories import SupervisorFactory
from tests.logbook.factories import LogbookEntryFactory, entry_url
from tests.supervision.factories import RegisteredPlacementFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}

TYPED = [
    "Mor & far",
    "<vred>",
    "Han sagde \"nej\" og 'stop'",
    "Vi grinede 😀🎉",
    "Ærø, Øster Åby og Ålborg: æøå ÆØÅ",
    "a < b > c && d",
    "&amp; står der",
]
migration = importlib.import_module("logbook.migrations.0005_plain_text_as_typed")


def autosave(client, family, exercise, version, text):
    data = {"version": version, "answer_prompt_0": text}
    return client.post(entry_url(family, exercise), data, **JSON)


def textarea(page, name):
    """The text a browser shows in (and posts back from) the named textarea."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(match[1])


@pytest.mark.parametrize("typed", TYPED)
def test_an_answer_is_stored_exactly_as_typed_and_shown_escaped_once(
    client, family, exercise, mette, typed
):
    client.force_login(mette)
    assert autosave(client, family, exercise, 0, typed).status_code == 200
    assert LogbookEntry.objects.get().answers["prompt_0"] == typed
    page = client.get(entry_url(family, exercise)).content.decode()
    assert textarea(page, "answer_prompt_0") == typed
    assert "Mor &amp;amp; far" not in page and "<vred>" not in page


def test_an_answer_at_the_length_limit_can_be_saved_again_after_a_reload(
    client, family, exercise, mette
):
    typed = ("Mor & far <3 " * 800)[:TEXT_ANSWER_MAX_LENGTH]
    client.force_login(mette)
    first = autosave(client, family, exercise, 0, typed)
    assert first.status_code == 200
    reloaded = textarea(client.get(entry_url(family, exercise)).content.decode(), "answer_prompt_0")
    assert reloaded == typed
    second = autosave(client, family, exercise, first.json()["version"], reloaded + "")
    assert second.status_code == 200, second.json()
    changed = autosave(client, family, exercise, second.json()["version"], "!" + reloaded[1:])
    assert changed.status_code == 200, changed.json()
    assert len(LogbookEntry.objects.get().answers["prompt_0"]) == TEXT_ANSWER_MAX_LENGTH


def test_feedback_is_stored_as_typed_and_shown_escaped_to_the_family(
    client, family, exercise, mette
):
    entry = LogbookEntryFactory(family=family, exercise=exercise, author=mette)
    share_entry(entry)
    supervisor = SupervisorFactory(municipality=family.municipality)
    give_feedback(entry, supervisor, "Mor & far: godt <vred> 'set' 😀")
    assert Feedback.objects.get().text == "Mor & far: godt <vred> 'set' 😀"
    client.force_login(mette)
    page = client.get(entry_url(family, exercise)).content.decode()
    assert "Mor &amp; far: godt &lt;vred&gt; &#x27;set&#x27; 😀" in page


def test_saving_the_same_feedback_again_tells_nobody(family, exercise, mette, mailoutbox):
    entry = LogbookEntryFactory(family=family, exercise=exercise, author=mette)
    share_entry(entry)
    supervisor = SupervisorFactory(municipality=family.municipality)
    give_feedback(entry, supervisor, "Mor & far")
    sent = len(mailoutbox)
    give_feedback(entry, supervisor, "Mor & far")
    assert len(mailoutbox) == sent


def test_staff_read_shared_answers_escaped_once(client, family, exercise, mette):
    entry = LogbookEntryFactory(
        family=family, exercise=exercise, author=mette, answers={"prompt_0": "Mor & far <vred>"}
    )
    share_entry(entry)
    client.force_login(SupervisorFactory(municipality=family.municipality))
    page = client.get(reverse("logbook_shared_entries")).content.decode()
    assert "Mor &amp; far &lt;vred&gt;" in page


def test_the_data_export_holds_the_text_as_typed_and_its_pdf_escapes_it(family, exercise, mette):
    entry = LogbookEntryFactory(
        family=family, exercise=exercise, author=mette, answers={"prompt_0": "Mor & far <vred>"}
    )
    share_entry(entry)
    give_feedback(entry, SupervisorFactory(municipality=family.municipality), "Hej <vred> & tak")
    data = family_data(mette)
    logged = data["families"][0]["logbook"][0]
    assert logged["answers"][0]["answer"] == "Mor & far <vred>"
    assert logged["feedback"][0]["text"] == "Hej <vred> & tak"
    document = render_to_string(
        "cms/my_data_pdf.html", {"data": data, "generated_at": data["generated_at"]}
    )
    assert "Mor &amp; far &lt;vred&gt;" in document
    assert "Hej &lt;vred&gt; &amp; tak" in document


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Mor &amp; far", "Mor & far"),
        ("a &lt; b &gt; c", "a < b > c"),
        ("&amp;amp;", "&amp;"),
        ("&amp;lt;", "&lt;"),
        ("&copy; &nbsp; &#39; &quot;", "&copy; &nbsp; &#39; &quot;"),
        ("Ærø 😀 \"nej\" 'ja'", "Ærø 😀 \"nej\" 'ja'"),
    ],
)
def test_the_migration_unescapes_only_what_the_old_cleaner_wrote(stored, typed):
    assert migration.unescape_cleaned(stored) == typed


def test_the_migration_repairs_answers_and_feedback_stored_escaped(family, exercise, mette):
    escaped = LogbookEntryFactory(
        family=family,
        exercise=exercise,
        author=mette,
        answers={"prompt_0": "Mor &amp; far", "prompt_1": "", "checked": ["1"]},
    )
    untouched = LogbookEntryFactory(
        family=family, exercise=exercise, is_joint=True, author=mette, answers={"prompt_0": "Hej"}
    )
    version, saved_at = escaped.version, escaped.updated_at
    Feedback.objects.create(entry=escaped, author=mette, text="Godt &lt;3 &amp; tak")
    migration.repair(apps, None)
    escaped.refresh_from_db()
    assert escaped.answers == {"prompt_0": "Mor & far", "prompt_1": "", "checked": ["1"]}
    assert (escaped.version, escaped.updated_at) == (version, saved_at)
    assert Feedback.objects.get().text == "Godt <3 & tak"
    untouched.refresh_from_db()
    assert untouched.answers == {"prompt_0": "Hej"}


def test_goals_and_plan_notes_are_kept_as_typed_and_shown_escaped_once(
    client, home_page, family, mette
):
    DevelopmentGoal.objects.create(family=family, text="Mor & far læser <højt>")
    placement = RegisteredPlacementFactory(family=family)
    CoursePlan.objects.create(course=placement.startup_course, practical_notes="Mor & far <3")
    client.force_login(mette)
    page = client.get(reverse("family-dashboard")).content.decode()
    assert "Mor &amp; far læser &lt;højt&gt;" in page
    notes = family_data(mette)["families"][0]["placements"][0]["startup_course"]["plan"]
    assert notes["practical_notes"] == "Mor & far <3"
