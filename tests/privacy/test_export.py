"""A foster parent downloads everything held about their family, and nothing else."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import AccessLog, LinkedIdentity
from cms.portal.privacy import family_data
from supervision.models import ChildPlanGoal
from tests.factories import FosterParentFactory, SupervisorFactory, authenticator
from tests.logbook.factories import LogbookEntryFactory, ObservationExerciseFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 27  # login and session 3, export 22, access log 2


def download(client, user, name):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response


def test_json_export_holds_the_familys_data(client, family, mette, group_session, knowledge_lesson):
    response = download(client, mette, "my-data-json")
    assert response["Content-Disposition"] == 'attachment; filename="opstart-data.json"'
    data = json.loads(response.content)
    assert data["you"]["email"] == mette.email
    assert data["you"]["email_reminders"] is False
    assert data["you"]["two_factor"] is False
    assert data["you"]["signs_in_through"] == []
    [exported] = data["families"]
    assert exported["name"] == "Familien Hansen"
    assert {p["name"] for p in exported["parents"]} == {str(p) for p in family.parents.all()}
    [placement] = exported["placements"]
    assert (placement["child"], placement["birth_year"]) == ("E.", 2019)
    course = placement["startup_course"]
    assert course["finish_deadline"] == "2027-03-01"
    assert course["plan"]["modules"] == ["4. Mentalisering i hverdagen"]
    assert course["plan"]["practical_notes"] == "E.: arbejder om aftenen"
    assert [goal["goal"] for goal in exported["development_goals"]] == ["Læse"]
    assert placement["child_plan_goals"] == [
        {"goal": "Læse i skolen", "review_date": None, "status": "Aktivt"}
    ]
    assert (placement["end_date"], placement["end_reason"]) == (None, "")
    assert [m["module"] for m in exported["completed_modules"]] == ["4. Mentalisering i hverdagen"]
    assert [(s["start"][:10], s["present"]) for s in exported["sessions"]] == [
        ("2026-04-07", True),
        ("2026-11-03", True),
    ]
    assert data["lessons"][0]["lesson"] == "Lektion 4.1"
    [check] = data["knowledge_checks"]
    assert check["question"] == "Hvad skaber tryghed?"
    assert check["chosen"] == ["Faste rutiner"]


def test_export_holds_own_and_joint_entries_with_feedback_but_not_the_other_parents(
    family, mette, lars
):
    [exported] = family_data(mette)["families"]
    answers = {entry["answers"][0]["answer"]: entry for entry in exported["logbook"]}
    assert set(answers) == {"Hansens tekst", "Sammen: Hansens tekst"}
    assert answers["Hansens tekst"]["feedback"][0]["text"] == "Feedback til Hansens tekst"
    assert answers["Hansens tekst"]["feedback"][0]["written_by"] == "Karin Konsulent"
    assert answers["Sammen: Hansens tekst"]["joint"] is True
    [exported_by_lars] = family_data(lars)["families"]
    assert {e["answers"][0]["answer"] for e in exported_by_lars["logbook"]} == {
        "Privat: Hansens tekst",
        "Sammen: Hansens tekst",
    }


def test_export_holds_nothing_of_another_family(client, mette, neighbours, group_session):
    body = download(client, mette, "my-data-json").content.decode()
    for other in ("Jensen", "Z.", "Cykle", "Anna", "Bo "):
        assert other not in body
    for parent in neighbours.parents.all():
        assert parent.email not in body


def test_pdf_export_is_a_pdf_with_the_familys_data(client, mette, family):
    response = download(client, mette, "my-data-pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="opstart-data.pdf"'
    assert response.content.startswith(b"%PDF")


def test_pdf_template_shows_the_data(mette, family):
    from django.template.loader import render_to_string

    data = family_data(mette)
    html = render_to_string("cms/my_data_pdf.html", {"data": data})
    for text in ("Familien Hansen", "E.", "Læse", "Hansens tekst", "Feedback til Hansens tekst"):
        assert text in html
    assert "Privat: Hansens tekst" not in html


def test_each_download_is_written_to_the_access_log(client, mette, family):
    download(client, mette, "my-data-json")
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.family_label) == (
        mette,
        AccessLog.Action.EXPORT,
        "Familien Hansen",
    )
    assert log.municipality == family.municipality


def count_queries(user):
    with CaptureQueriesContext(connection) as queries:
        family_data(user)
    return len(queries)


def test_export_costs_the_same_queries_however_much_data(
    mette, family, exercise, group_session, knowledge_lesson
):
    few = count_queries(mette)
    for n in range(5):
        LogbookEntryFactory(
            family=family,
            exercise=ObservationExerciseFactory(module=exercise.module),
            author=mette,
            answers={"what": f"Observation {n}"},
        )
    family.development_goals.create(text="Endnu et mål")
    ChildPlanGoal.objects.create(placement=family.placements.get(), text="Går til fodbold")
    assert count_queries(mette) <= few + 1  # one more for the second kind of exercise


def test_the_export_page_needs_a_login(client):
    response = client.get(reverse("my-data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("my-data-json")).status_code == 302


def test_staff_get_no_family_export(client, family):
    client.force_login(SupervisorFactory(municipality=family.municipality))
    response = client.get(reverse("my-data-json"))
    assert response.status_code == 302
    assert not AccessLog.objects.exists()


def test_the_dashboard_links_the_export_page(client, mette, family):
    client.force_login(mette)
    assert reverse("my-data") in client.get(reverse("family-dashboard")).content.decode()
    page = client.get(reverse("my-data")).content.decode()
    assert reverse("my-data-pdf") in page and reverse("my-data-json") in page


def test_a_parent_without_a_family_exports_only_their_profile(client):
    parent = FosterParentFactory()
    data = json.loads(download(client, parent, "my-data-json").content)
    assert data["families"] == [] and data["you"]["email"] == parent.email


def test_the_downloads_cost_a_fixed_number_of_queries(
    client, mette, family, group_session, knowledge_lesson, django_assert_max_num_queries
):
    client.force_login(mette)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("my-data-json"))
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("my-data-pdf"))


def test_the_export_says_how_the_parent_signs_in(client, family, mette):
    authenticator(mette)
    LinkedIdentity.objects.create(user=mette, issuer="https://mitid.example.dk", subject="abc")
    data = json.loads(download(client, mette, "my-data-json").content)
    assert data["you"]["two_factor"] is True
    [linked] = data["you"]["signs_in_through"]
    assert (linked["issuer"], linked["subject"]) == ("https://mitid.example.dk", "abc")
    pdf = download(client, mette, "my-data-pdf")
    assert pdf["Content-Type"] == "application/pdf"
