"""Uploads in the admin are judged by content: images re-encoded without metadata,
documents refused when their content is not what their name says, sizes limited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture
def uploader(client, catalogue):
    user = UserFactory(is_superuser=True, municipality=None)
    client.force_login(user)
    return user


def stored_or_failure(response):
    assert response.status_code == 302, response.context["form"].errors
    assert "/login" not in response.url


def picture(fmt="JPEG", size=(40, 30), exif=None):
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 40, 40)).save(output, fmt, **options)
    return output.getvalue()


def photo_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD)[2] = (55.0, 42.0, 30.0)  # latitude of a family's home
    return picture(exif=exif)


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Billede", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Dokument", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_photo_is_reencoded_without_exif(client, uploader):
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo does carry EXIF
    stored_or_failure(upload_image(client, "foto.jpg", original))
    stored = get_image_model().objects.get()
    with stored.file.open() as f, Image.open(f) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (40, 30)


def test_png_stays_png(client, uploader):
    assert upload_image(client, "tegning.png", picture("PNG")).status_code == 302
    with get_image_model().objects.get().file.open() as f, Image.open(f) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tegning.jpg", picture("PNG")),
        ("script.png", b"<svg onload='alert(1)'></svg>"),
        ("halv.jpg", picture()[:400]),
    ],
    ids=["png-named-jpg", "svg-named-png", "truncated-jpeg"],
)
def test_image_whose_content_is_wrong_is_refused_by_the_field(client, uploader, name, content):
    response = upload_image(client, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_unreadable_image_gets_our_message(client, uploader):
    response = upload_image(client, "halv.jpg", picture()[:400])
    assert "ikke et billede, vi kan læse" in " ".join(response.context["form"].errors["file"])


def test_decompression_bomb_is_refused(client, uploader):
    output = io.BytesIO()
    Image.new("1", (8000, 8000)).save(output, "PNG")  # 64 megapixels in a few kB
    response = upload_image(client, "bombe.png", output.getvalue())
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not get_image_model().objects.exists()


def test_image_over_the_size_limit_is_refused(client, uploader, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    response = upload_image(client, "foto.jpg", picture())
    assert "file" in response.context["form"].errors


VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHej og velkommen.\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("undertekster.vtt", VTT),
        ("undertekster-bom.vtt", b"\xef\xbb\xbf" + VTT),
        ("noter.txt", "Æbler og ål\n".encode()),
        ("film.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
        ("film.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"),
    ],
)
def test_documents_whose_content_matches_are_accepted(client, uploader, name, content):
    assert upload_document(client, name, content).status_code == 302
    assert get_document_model().objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("undertekster.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not VTT\n"),
        ("noter.txt", b"MZ\x90\x00\x03\x00\x00\x00binary"),
        ("brev.docx", b"PK\x03\x04 not really a zip"),
        ("film.mp4", b"<?php system($_GET['c']); ?>"),
    ],
)
def test_documents_whose_content_does_not_match_are_refused_by_the_field(
    client, uploader, name, content
):
    response = upload_document(client, name, content)
    assert response.status_code == 200
    assert "passer ikke til navnet" in " ".join(response.context["form"].errors["file"])
    assert not get_document_model().objects.exists()


def test_document_over_the_size_limit_is_refused(client, uploader, settings):
    settings.OPSTART_DOCUMENT_MAX_UPLOAD_SIZE = 10
    response = upload_document(client, "noter.txt", b"more than ten bytes of text")
    assert "for stor" in " ".join(response.context["form"].errors["file"])


def test_html_extension_is_not_accepted(client, uploader):
    response = upload_document(client, "side.html", b"<script>alert(1)</script>")
    assert "file" in response.context["form"].errors
