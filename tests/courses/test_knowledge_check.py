"""Answering knowledge checks: feedback, retry and every kind of bad answer."""

import pytest
from django.urls import reverse

from courses.models import KnowledgeCheckAnswer
from courses.services import KnowledgeCheckError, answer_knowledge_check
from tests.courses.factories import add_lesson, knowledge_check, option_ids
from tests.factories import FosterParentFactory

pytestmark = pytest.mark.django_db

MULTIPLE = knowledge_check(
    question="Hvilke reaktioner er almindelige?",
    choice="multiple",
    options=[
        ("Uro", True, "Uro er almindelig."),
        ("Tilbagetrækning", True, ""),
        ("Ingen", False, ""),
    ],
)


@pytest.fixture
def lesson(make_module):
    return add_lesson(make_module(lessons=0), body=[knowledge_check(), MULTIPLE])


@pytest.fixture
def learner(client):
    user = FosterParentFactory()
    client.force_login(user)
    return user


def answer(client, lesson, block_id, options, **extra):
    url = reverse("courses:answer-knowledge-check", args=[lesson.pk])
    return client.post(url, {"block_id": block_id, "option": options, **extra})


def test_correct_answer_is_stored_and_explained(client, lesson, learner):
    block_id, (right, wrong) = option_ids(lesson)
    response = answer(client, lesson, block_id, [right])
    assert response.status_code == 302
    assert response.url == f"{lesson.url}#check-{block_id}"
    stored = KnowledgeCheckAnswer.objects.get(user=learner, block_id=block_id)
    assert stored.correct and stored.selected_options == [right]
    body = client.get(lesson.url).content.decode()
    assert "alert alert-success" in body
    assert "Forudsigelighed giver ro." in body


def test_wrong_answer_can_be_retried(client, lesson, learner):
    block_id, (right, wrong) = option_ids(lesson)
    answer(client, lesson, block_id, [wrong])
    body = client.get(lesson.url).content.decode()
    assert "alert alert-error" in body
    assert "For mange indtryk gør det svært." in body
    answer(client, lesson, block_id, [right])
    assert KnowledgeCheckAnswer.objects.get(user=learner, block_id=block_id).correct


def test_multiple_choice_needs_every_correct_option(client, lesson, learner):
    block_id, (uro, tilbage, ingen) = option_ids(lesson, 1)
    answer(client, lesson, block_id, [uro])
    assert not KnowledgeCheckAnswer.objects.get(block_id=block_id).correct
    answer(client, lesson, block_id, [uro, tilbage])
    assert KnowledgeCheckAnswer.objects.get(block_id=block_id).correct


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "Vælg et svar, før du tjekker det."),
        (["not-an-option"], "Et af de valgte svar hører ikke til spørgsmålet. Vælg igen."),
        ("both", "Vælg kun ét svar på dette spørgsmål."),
    ],
)
def test_bad_answer_is_explained_next_to_the_question(client, lesson, learner, options, message):
    block_id, ids = option_ids(lesson)
    other_id, other_ids = option_ids(lesson, 1)
    answer(client, lesson, other_id, [other_ids[2]])
    response = answer(client, lesson, block_id, ids if options == "both" else options)
    body = response.content.decode()
    assert response.status_code == 200
    question = body.split(f'id="check-{block_id}"')[1].split("</section>")[0]
    assert message in question
    assert "form-error-message" in question
    assert f'aria-describedby="check-{block_id}-error"' in question
    if options == "both":
        assert question.count("checked") == 2
    # the answer already given to the other question is still shown as chosen
    assert f'value="{other_ids[2]}" id="option-{other_ids[2]}" checked' in body
    assert not KnowledgeCheckAnswer.objects.filter(block_id=block_id).exists()


def test_unknown_question_gets_a_message_on_the_page(client, lesson, learner):
    response = answer(client, lesson, "no-such-block", ["x"])
    assert response.status_code == 200
    assert "Spørgsmålet er ikke længere en del af lektionen." in response.content.decode()


def test_message_is_in_english_when_english_is_chosen(client, lesson, learner):
    block_id, _ = option_ids(lesson)
    client.cookies["django_language"] = "en"
    response = answer(client, lesson, block_id, [])
    assert "Choose an answer before you check it." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"block_id": ""},
        {"block_id": "\x00", "option": ["\x00"]},
        {"block_id": "x" * 5000, "option": ["y" * 5000]},
        {"block_id": "😀", "option": ["'; DROP TABLE x;--"]},
    ],
)
def test_garbage_never_fails(client, lesson, learner, data):
    url = reverse("courses:answer-knowledge-check", args=[lesson.pk])
    assert client.post(url, data).status_code == 200


def test_service_refuses_a_text_block_as_question(make_module):
    lesson = add_lesson(make_module(lessons=0), body=[("text", "<p>Tekst</p>")])
    text_id = lesson.body[0].id
    with pytest.raises(KnowledgeCheckError):
        answer_knowledge_check(FosterParentFactory(), lesson, text_id, ["x"])
