"""The e-learning blocks a lesson is built from.

Every block renders accessible DKFDS markup from ``templates/courses/blocks/``. Rich
text anywhere in a lesson, also inside a struct block, is a ``SanitisedRichTextBlock``
so that it passes ``cms.sanitising.clean_html`` both when it is stored and when it is
read back.
"""

from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from cms.sanitising import clean_html

LESSON_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class SanitisedRichTextBlock(blocks.RichTextBlock):
    """Rich text cleaned with the project's allow-list on save and on load.

    Cleaning on save keeps the database clean; cleaning on load covers data that never
    went through a block's ``get_prep_value`` (fixtures, raw imports, old revisions).
    """

    def to_python(self, value):
        return RichText(clean_html(value))

    def get_prep_value(self, value):
        return clean_html(super().get_prep_value(value))

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(clean_html(value.source))
        return self.to_python(value or "")

    def value_from_form(self, value):
        return RichText(clean_html(value))


class LessonTextBlock(SanitisedRichTextBlock):
    class Meta:
        label = _("Text")
        icon = "doc-full"
        template = "courses/blocks/text.html"


class LessonImageBlock(blocks.StructBlock):
    """A picture that screen-reader users get too: the alt text is required."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        label = _("Image")
        icon = "image"
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """An uploaded video or an embedded one, always with captions (.vtt) or a transcript."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video_file = DocumentChooserBlock(
        label=_("Video file"), required=False, help_text=_("An uploaded video (e.g. MP4).")
    )
    embed_url = EmbedBlock(
        label=_("Embed URL"), required=False, help_text=_("Or a link to YouTube, Vimeo etc.")
    )
    captions = DocumentChooserBlock(
        label=_("Captions (.vtt)"),
        required=False,
        help_text=_("A WebVTT captions file. Required unless you give a transcript."),
    )
    transcript = SanitisedRichTextBlock(
        label=_("Transcript"), required=False, features=LESSON_TEXT_FEATURES
    )

    class Meta:
        label = _("Video")
        icon = "media"
        template = "courses/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value["video_file"]) == bool(value["embed_url"]):
            errors["video_file"] = ValidationError(
                _("Choose either an uploaded video file or an embed URL.")
            )
        captions = value["captions"]
        if captions and not captions.filename.lower().endswith(".vtt"):
            errors["captions"] = ValidationError(_("Captions must be a .vtt (WebVTT) file."))
        if not captions and not value["transcript"]:
            errors["captions"] = ValidationError(_("Add a captions file or a transcript."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class QuoteBlock(blocks.StructBlock):
    """A quote or a short case story from a foster family."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who says it"), max_length=200, required=False)
    story = SanitisedRichTextBlock(
        label=_("Case story"), required=False, features=LESSON_TEXT_FEATURES
    )

    class Meta:
        label = _("Quote or case story")
        icon = "openquote"
        template = "courses/blocks/quote.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), max_length=250, required=False)

    class Meta:
        label = _("Download")
        icon = "download"
        template = "courses/blocks/download.html"


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Shown when the family has chosen this answer."),
    )

    class Meta:
        label = _("Answer option")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A question with single or multiple choice; answers are checked on the server."""

    SINGLE = "single"
    MULTIPLE = "multiple"

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choice = blocks.ChoiceBlock(
        label=_("Answers allowed"),
        choices=[(SINGLE, _("One answer")), (MULTIPLE, _("Several answers"))],
        default=SINGLE,
    )
    options = blocks.ListBlock(AnswerOptionBlock(), label=_("Answer options"), min_num=2)

    class Meta:
        label = _("Knowledge check")
        icon = "help"
        template = "courses/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if correct == 0:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark at least one correct answer."))}
            )
        if value["choice"] == self.SINGLE and correct > 1:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("A one-answer question must have exactly one correct answer.")
                    )
                }
            )
        return value


class LessonStreamBlock(blocks.StreamBlock):
    text = LessonTextBlock(features=LESSON_TEXT_FEATURES)
    image = LessonImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    download = DownloadBlock()
    knowledge_check = KnowledgeCheckBlock()

    def value_from_datadict(self, data, files, prefix):
        """The posted blocks; a post without the editor's own counts and markers (``body-count``,
        ``body-0-deleted``, a list's ``…-count``) was not sent by the page editor, so it
        is a bad request (400), not a server error."""
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError) as error:
            raise BadRequest("The lesson content's form data is incomplete.") from error
