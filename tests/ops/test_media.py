"""Media: video served with Range on local disk; image files under /media/ but never the
documents; S3-compatible storage when a bucket is named, shared by every host."""

import io
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.operations.media import byte_range
from cms.operations.storage import media_storage
from tests.ops.servers import free_port

pytestmark = pytest.mark.django_db

VIDEO = bytes(range(256)) * 40  # 10 240 bytes


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=10-", (10, 10239)),
        ("bytes=-100", (10140, 10239)),
        ("bytes=10000-99999", (10000, 10239)),
        ("bytes=-99999", (0, 10239)),
        ("bytes=10240-", False),
        ("bytes=-0", False),
        ("bytes=5-2", None),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_a_range_header_is_read_as_rfc_9110_says(header, span):
    assert byte_range(header, len(VIDEO)) == span


@pytest.fixture
def video():
    return get_document_model().objects.create(
        title="Velkomst", file=ContentFile(VIDEO, name="velkomst.mp4")
    )


def test_a_video_is_served_in_the_parts_a_player_asks_for(client, video):
    whole = client.get(video.url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == VIDEO

    part = client.get(video.url, HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 1000-1999/10240"
    assert part["Content-Length"] == "1000"
    assert b"".join(part.streaming_content) == VIDEO[1000:2000]

    tail = client.get(video.url, HTTP_RANGE="bytes=-40")
    assert b"".join(tail.streaming_content) == VIDEO[-40:]


def test_a_range_past_the_end_is_refused_and_a_changed_file_is_sent_whole(client, video):
    refused = client.get(video.url, HTTP_RANGE="bytes=20000-")
    assert refused.status_code == 416 and refused["Content-Range"] == "bytes */10240"
    changed = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an old etag"')
    assert changed.status_code == 200


def png(name="foto.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def test_image_files_are_served_from_local_disk_but_documents_only_through_their_view(
    client, video
):
    image = get_image_model().objects.create(title="Foto", file=png())
    rendition = image.get_rendition("max-20x20")
    assert client.get(rendition.url).status_code == 200
    assert client.get(f"/media/{image.file.name}").status_code == 200
    assert client.get(f"/media/{video.file.name}").status_code == 404


@pytest.fixture(scope="module")
def s3_server():
    """An S3-compatible store, a real server (moto's) on this machine."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    yield f"http://127.0.0.1:{server._port}"
    server.stop()


@pytest.fixture
def s3(settings, monkeypatch, s3_server):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    environment = {**S3_ENVIRONMENT, "AWS_S3_ENDPOINT_URL": s3_server}
    client = boto3.client("s3", region_name="eu-north-1", endpoint_url=s3_server)
    bucket = f"opstart-{uuid.uuid4().hex[:12]}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    storage, _origins = media_storage({**environment, "AWS_STORAGE_BUCKET_NAME": bucket})
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return f"{s3_server}/{bucket}/"


S3_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": "opstart-media",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_REGION_NAME": "eu-north-1",
}


def test_a_named_bucket_stores_media_on_s3_with_signed_addresses_and_its_origin_allowed():
    storage, origins = media_storage(S3_ENVIRONMENT)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert origins == ["http://127.0.0.1:9000"]
    public, public_origins = media_storage(
        {**S3_ENVIRONMENT, "AWS_S3_CUSTOM_DOMAIN": "media.opstart.dk"}
    )
    assert public["OPTIONS"]["querystring_auth"] is False
    assert public_origins == ["https://media.opstart.dk"]
    assert media_storage({}) == ({"BACKEND": "django.core.files.storage.FileSystemStorage"}, [])


def test_an_image_uploaded_on_one_host_renders_on_another_through_s3(s3, tmp_path, settings):
    image = get_image_model().objects.create(title="Foto", file=png())
    assert not any((tmp_path / "media").rglob("*.png"))  # nothing on this host's disk

    # Another host: its own storage object, nothing shared but the bucket.
    storages._storages = {}
    rendition = get_image_model().objects.get(pk=image.pk).get_rendition("max-20x20")
    assert rendition.url.startswith(f"{s3}images/") and "X-Amz-Signature" in rendition.url
    with urllib.request.urlopen(rendition.url) as answer:  # as a browser fetches it
        assert PillowImage.open(io.BytesIO(answer.read())).size == (20, 15)


def test_two_uploads_of_the_same_name_are_two_files(s3):
    first = get_image_model().objects.create(title="A", file=png("foto.png"))
    second = get_image_model().objects.create(title="B", file=png("foto.png"))
    assert first.file.name != second.file.name


def test_a_video_on_s3_is_served_by_a_redirect_to_a_signed_address_that_answers_ranges(client, s3):
    video = get_document_model().objects.create(
        title="Velkomst", file=ContentFile(VIDEO, name="velkomst.mp4")
    )
    response = client.get(video.url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{s3}documents/")
    assert "X-Amz-Signature" in response["Location"]
    ranged = urllib.request.Request(response["Location"], headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(ranged) as answer:
        assert answer.status == 206 and answer.read() == VIDEO[100:200]
