"""What the lesson blocks refuse, so that every lesson stays accessible and answerable."""

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document

from courses.blocks import KnowledgeCheckBlock, LessonImageBlock, VideoBlock
from tests.courses.factories import knowledge_check

pytestmark = pytest.mark.django_db


def document(name):
    return Document.objects.create(title=name, file=ContentFile(b"WEBVTT\n", name=name))


def video(**value):
    block = VideoBlock()
    return block.clean(block.to_python({"title": "Samvær", **value}))


def errors_of(call):
    with pytest.raises(StructBlockValidationError) as error:
        call()
    return set(error.value.block_errors)


def test_video_needs_captions_or_transcript():
    file = document("film.txt")
    assert errors_of(lambda: video(video_file=file.pk)) == {"captions"}
    assert video(video_file=file.pk, transcript="<p>Hvad der bliver sagt</p>")["transcript"]
    assert video(video_file=file.pk, captions=document("film.vtt").pk)["captions"]


def test_video_captions_must_be_webvtt():
    assert "captions" in errors_of(
        lambda: video(video_file=document("film.txt").pk, captions=document("tekst.pdf").pk)
    )


def test_video_needs_exactly_one_source(monkeypatch):
    # Checking an embed URL asks the provider over the network; the answer is not the point.
    monkeypatch.setattr("wagtail.embeds.blocks.EmbedValue.html", "<iframe></iframe>")
    transcript = "<p>Udskrift</p>"
    assert "video_file" in errors_of(lambda: video(transcript=transcript))
    assert "video_file" in errors_of(
        lambda: video(
            video_file=document("film.txt").pk,
            embed_url="https://www.youtube.com/watch?v=x",
            transcript=transcript,
        )
    )


def test_image_needs_alt_text():
    block = LessonImageBlock()
    assert "alt_text" in errors_of(
        lambda: block.clean(block.to_python({"image": None, "alt_text": ""}))
    )


@pytest.mark.parametrize(
    ("choice", "options"),
    [
        ("single", [("A", False, ""), ("B", False, "")]),
        ("single", [("A", True, ""), ("B", True, "")]),
        ("multiple", [("A", False, ""), ("B", False, "")]),
    ],
)
def test_knowledge_check_needs_the_right_number_of_correct_answers(choice, options):
    block = KnowledgeCheckBlock()
    value = block.to_python(knowledge_check(choice=choice, options=options)[1])
    assert errors_of(lambda: block.clean(value)) == {"options"}


def test_multiple_choice_may_have_several_correct_answers():
    block = KnowledgeCheckBlock()
    options = [("A", True, ""), ("B", True, ""), ("C", False, "")]
    value = block.to_python(knowledge_check(choice="multiple", options=options)[1])
    assert block.clean(value)["choice"] == "multiple"
