"""Media (images, videos and other documents of the lessons) on one host or many.

- **Several hosts**: set ``AWS_STORAGE_BUCKET_NAME`` (and ``AWS_S3_ENDPOINT_URL`` for an
  S3-compatible store that is not Amazon's) and media go to that bucket through
  django-storages (``cms.settings.base``). Image addresses point at the store (signed
  for an hour, or plain under ``AWS_S3_CUSTOM_DOMAIN`` when the bucket is public);
  documents, lesson videos among them, are served by Wagtail's ``/documents/`` view,
  which checks the collection's view restrictions and redirects to a signed address;
  the store answers Range requests itself.
- **One host** (the default): media on local disk under ``MEDIA_ROOT``. Django serves
  the image files under ``/media/`` when ``SERVE_MEDIA`` is on (the default without a
  bucket; a proxy may serve that folder instead). Documents are never served from
  ``/media/`` (that would skip Wagtail's view restrictions), only by ``/documents/``.

Videos need Range requests (browsers seek with them; Safari will not play without):
``RangeMiddleware`` answers them for any whole-file response of Django's, which covers
both local cases above.
"""

import re

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import re_path
from django.views.static import serve

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeMiddleware:
    """Answer ``Range: bytes=…`` for a file response with the part asked for (206).

    One range at a time; several ranges, or a header not understood, get the whole
    file (RFC 9110 allows a server to ignore Range), as does an ``If-Range`` that no
    longer matches. A range starting past the end is 416.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        response["Accept-Ranges"] = "bytes"
        header = request.headers.get("Range", "")
        size = response.get("Content-Length")
        if_range = request.headers.get("If-Range")
        if not header or size is None or request.method not in ("GET", "HEAD"):
            return response
        if if_range and if_range not in (response.get("ETag"), response.get("Last-Modified")):
            return response
        span = byte_range(header, int(size))
        if span is None:
            return response
        if span is False:
            # Only the file: closing the response would signal the request finished.
            response.file_to_stream.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        start, end = span
        return _partial(response, start, end, int(size))


def byte_range(header, size):
    """(first, last) byte of a single ``bytes=`` range of a ``size``-byte file; None to
    send the whole file; False when it cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size:
        return False
    if last < first:
        return None
    return first, last


def _partial(response, start, end, size):
    """Turn a whole-file response into the part ``start``…``end``, streaming no more."""
    file = response.file_to_stream
    file.seek(start)
    length = end - start + 1
    block_size = response.block_size

    def part():
        remaining = length
        while remaining > 0:
            chunk = file.read(min(block_size, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk

    # A generator, so a server's sendfile() cannot send the whole file instead; the file
    # is still closed with the response (FileResponse registered that already).
    response.streaming_content = part()
    response.status_code = 206
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    return response


# Where Wagtail keeps image files; documents stay behind /documents/.
IMAGE_FOLDERS = ("original_images", "images")


def serve_image(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_urlpatterns():
    """``/media/`` for image files on local disk, when ``SERVE_MEDIA`` is on."""
    if not settings.OPSTART_SERVE_MEDIA:
        return []
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    folders = "|".join(IMAGE_FOLDERS)
    return [re_path(rf"^{prefix}(?P<path>(?:{folders})/.+)$", serve_image)]
