"""Checks on every file uploaded in the admin: images and documents (also the videos and
captions that lessons choose as documents).

A file is judged by its content, not by its name: a document must start the way its
kind of file starts, and an image is opened and written anew by Pillow, which drops
EXIF and other metadata (GPS positions in a phone photo) and anything hidden after the
picture. Wagtail's own field has already checked the extension, the size
(``WAGTAILIMAGES_MAX_UPLOAD_SIZE``) and the pixel count against decompression bombs
(``WAGTAILIMAGES_MAX_IMAGE_PIXELS``).
"""

import io
import os
import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Pillow format -> (extensions it may carry, how it is written back).
IMAGE_FORMATS = {
    "JPEG": ({"jpg", "jpeg"}, {"format": "JPEG", "quality": 90}),
    "PNG": ({"png"}, {"format": "PNG", "optimize": True}),
    "WEBP": ({"webp"}, {"format": "WEBP", "quality": 90}),
}


def extension(name):
    return os.path.splitext(name)[1].lstrip(".").lower()


UNREADABLE_IMAGE = _("This file is not a picture we can read. Upload a JPEG, PNG or WebP image.")


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, with a file Pillow cannot read refused instead of failing."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except (OSError, SyntaxError, Image.DecompressionBombError) as error:
            raise forms.ValidationError(UNREADABLE_IMAGE, code="invalid_image") from error


def reencode_image(upload):
    """The picture of ``upload`` written anew by Pillow, without metadata."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the way the photo was held
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(UNREADABLE_IMAGE, code="invalid_image") from error
    extensions, save_options = IMAGE_FORMATS.get(image_format, (set(), None))
    if extension(upload.name) not in extensions:
        raise forms.ValidationError(
            _("The file's content does not match its name: it is not a %(ext)s picture.")
            % {"ext": extension(upload.name).upper() or "?"},
            code="content_mismatch",
        )
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, **save_options)
    return SimpleUploadedFile(upload.name, output.getvalue(), content_type=upload.content_type)


def _is_text(head, prefix=b""):
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # a multi-byte character cut at the end is fine
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8-sig")
    return text.startswith(prefix.decode())


def _zip_holds(upload, member, mimetype=None):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if member not in names:
                return False
            return mimetype is None or archive.read(member).strip() == mimetype
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


# Extension -> test of the file's content (first bytes, or the whole file for archives).
DOCUMENT_CONTENT = {
    "pdf": lambda head, f: head.startswith(b"%PDF-"),
    "docx": lambda head, f: head.startswith(b"PK") and _zip_holds(f, "[Content_Types].xml"),
    "odt": lambda head, f: (
        head.startswith(b"PK")
        and _zip_holds(f, "mimetype", b"application/vnd.oasis.opendocument.text")
    ),
    "txt": lambda head, f: _is_text(head),
    "vtt": lambda head, f: _is_text(head, b"WEBVTT"),
    "mp4": lambda head, f: head[4:8] == b"ftyp",
    "webm": lambda head, f: head.startswith(b"\x1a\x45\xdf\xa3"),
}


def check_document(upload):
    """Refuse a document that is too big or whose content is not what its name says."""
    limit = settings.OPSTART_DOCUMENT_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is too big (%(size)s). The most a document may be is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    kind = extension(upload.name)
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    looks_right = DOCUMENT_CONTENT.get(kind)
    if looks_right is None or not looks_right(head, upload):
        raise forms.ValidationError(
            _("The file's content does not match its name: it is not a %(ext)s file.")
            % {"ext": kind.upper() or "?"},
            code="content_mismatch",
        )
    upload.seek(0)


class ImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``) with the picture re-encoded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:  # built per form: the size limits are read from settings
            wagtail_field = self.fields["file"]
            self.fields["file"] = ReadableImageField(
                label=wagtail_field.label, required=wagtail_field.required
            )
            self.fields["file"].widget.attrs.update(wagtail_field.widget.attrs)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            return reencode_image(upload)
        return upload


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``) with the content checked."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            check_document(upload)
        return upload
