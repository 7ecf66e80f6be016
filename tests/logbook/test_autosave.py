"""The entry endpoint: autosave (JSON) and plain form posts share one set of rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logbook.models import LogbookEntry, Timing
from tests.factories import FosterFamilyFactory, FosterParentFactory
from tests.logbook.factories import ObservationExerciseFactory
from tests.logbook.factories import entry_url as logbook_entry_url

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
MAX_QUERIES = 15


def entry_url(family, exercise, joint=False, session=None):
    return logbook_entry_url(family, exercise, session=session, joint=joint)


def autosave(client, family, exercise, version, joint=False, **answers):
    data = {"version": version, **{f"answer_{k}": v for k, v in answers.items()}}
    return client.post(entry_url(family, exercise, joint), data, **JSON)


def test_first_keystrokes_create_the_entry(client, family, exercise, mette):
    client.force_login(mette)
    response = autosave(client, family, exercise, 0, prompt_0="Vi læste en bog")
    assert response.status_code == 200
    assert response.json()["status"] == "saved"
    entry = LogbookEntry.objects.get()
    assert entry.answers["prompt_0"] == "Vi læste en bog"
    assert entry.author == mette
    assert entry.shared_at is None


def test_saving_the_same_text_twice_changes_nothing(client, family, exercise, mette):
    client.force_login(mette)
    first = autosave(client, family, exercise, 0, prompt_0="Samme tekst").json()
    second = autosave(client, family, exercise, first["version"], prompt_0="Samme tekst").json()
    assert second["version"] == first["version"]
    assert LogbookEntry.objects.count() == 1


def test_each_save_moves_the_version_on(client, family, exercise, mette):
    client.force_login(mette)
    first = autosave(client, family, exercise, 0, prompt_0="Første").json()
    second = autosave(client, family, exercise, first["version"], prompt_0="Anden").json()
    assert second["version"] == first["version"] + 1


def test_empty_form_creates_no_entry(client, family, exercise, mette):
    client.force_login(mette)
    assert autosave(client, family, exercise, 0, prompt_0="").json()["status"] == "empty"
    assert not LogbookEntry.objects.exists()


def test_stale_version_is_refused_and_shows_the_other_text(client, family, exercise, mette, lars):
    client.force_login(mette)
    version = autosave(client, family, exercise, 0, joint=True, prompt_0="Mettes tekst").json()
    client.force_login(lars)
    autosave(client, family, exercise, version["version"], joint=True, prompt_0="Lars' tekst")
    client.force_login(mette)
    response = autosave(
        client, family, exercise, version["version"], joint=True, prompt_0="Mettes nye tekst"
    )
    assert response.status_code == 409
    assert response.json()["theirs"]["answer_prompt_0"] == "Lars' tekst"
    assert LogbookEntry.objects.get().answers["prompt_0"] == "Lars' tekst"


def test_plain_post_conflict_keeps_what_the_writer_typed(client, family, exercise, mette, lars):
    client.force_login(lars)
    autosave(client, family, exercise, 0, joint=True, prompt_0="Lars skrev først")
    client.force_login(mette)
    response = client.post(
        entry_url(family, exercise, joint=True),
        {"version": 0, "joint": "1", "answer_prompt_0": "Mettes udkast"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mettes udkast" in body
    assert "Lars skrev først" in body
    assert response.context["form"].data["version"] == 1


def test_too_long_text_is_refused_next_to_the_field(client, family, exercise, mette):
    client.force_login(mette)
    response = client.post(entry_url(family, exercise), {"answer_prompt_0": "x" * 10_001})
    body = response.content.decode()
    assert response.status_code == 200
    assert "10000" in body.replace(".", "")
    assert "x" * 10_001 in body
    assert not LogbookEntry.objects.exists()


def test_too_long_text_via_autosave_answers_400_with_field_errors(client, family, exercise, mette):
    client.force_login(mette)
    response = autosave(client, family, exercise, 0, prompt_0="x" * 10_001)
    assert response.status_code == 400
    assert "answer_prompt_0" in response.json()["errors"]


def test_html_typed_in_an_answer_is_kept_as_text_and_never_rendered(
    client, family, exercise, mette
):
    typed = '<p onclick="x()">Hej<script>alert(1)</script>'
    client.force_login(mette)
    autosave(client, family, exercise, 0, prompt_0=typed)
    assert LogbookEntry.objects.get().answers["prompt_0"] == typed
    page = client.get(entry_url(family, exercise)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_another_familys_parent_cannot_write_into_this_family(client, family, exercise):
    outsider = FosterParentFactory()
    FosterFamilyFactory(parents=[outsider])
    client.force_login(outsider)
    assert autosave(client, family, exercise, 0, prompt_0="Ind").status_code == 404
    assert not LogbookEntry.objects.exists()


def test_anonymous_autosave_is_sent_to_login(client, family, exercise):
    response = autosave(client, family, exercise, 0, prompt_0="Hej")
    assert response.status_code == 302
    assert not LogbookEntry.objects.exists()


def test_two_parents_keep_their_own_entries_apart(client, family, exercise, mette, lars):
    client.force_login(mette)
    autosave(client, family, exercise, 0, prompt_0="Mette")
    client.force_login(lars)
    autosave(client, family, exercise, 0, prompt_0="Lars")
    assert {e.author.first_name: e.answers["prompt_0"] for e in LogbookEntry.objects.all()} == {
        "Mette": "Mette",
        "Lars": "Lars",
    }


def test_entry_page_says_who_wrote_and_who_edited(client, family, exercise, mette, lars):
    client.force_login(mette)
    autosave(client, family, exercise, 0, joint=True, prompt_0="Fælles")
    client.force_login(lars)
    autosave(client, family, exercise, 1, joint=True, prompt_0="Fælles, rettet")
    body = client.get(entry_url(family, exercise, joint=True)).content.decode()
    assert "Mette" in body
    assert "Lars" in body


def test_autosave_costs_a_fixed_number_of_queries(client, family, exercise, mette):
    client.force_login(mette)
    version = autosave(client, family, exercise, 0, prompt_0="Første").json()["version"]
    url = entry_url(family, exercise)
    data = {"version": version, "answer_prompt_0": "Anden"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, **JSON)
    assert response.json()["version"] == version + 1
    assert len(queries) <= MAX_QUERIES, "\n".join(q["sql"][:160] for q in queries)


def test_autosave_to_a_closed_exercise_answers_403_with_a_message(
    client, family, mette, module_session
):
    # After the session, but nobody was recorded present: closed for it.
    closed = ObservationExerciseFactory(module=module_session.module, timing=Timing.AFTER)
    client.force_login(mette)
    url = entry_url(family, closed, session=module_session)
    data = {"version": 0, "answer_situation": "Skrevet for tidligt"}
    response = client.post(url, data, **JSON)
    assert response.status_code == 403
    assert response.json()["status"] == "closed"
    assert "denne enhed" in response.json()["message"]
    assert not LogbookEntry.objects.exists()


def test_conflict_with_the_writers_own_other_window_says_so(client, family, exercise, mette):
    client.force_login(mette)
    autosave(client, family, exercise, 0, prompt_0="Fra det andet vindue")
    response = autosave(client, family, exercise, 0, prompt_0="Fra dette vindue")
    assert response.status_code == 409
    assert "et andet vindue" in response.json()["message"]
    assert response.json()["saved"].startswith("Gemt kl.")
