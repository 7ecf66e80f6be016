"""The site shell: home page, plain content pages and the footer settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.sanitising import clean_html


class SanitisedBodyMixin:
    """Cleans every RichTextField and StreamField of the page with the project's allow-list.

    The name is older than its reach (migrations refer to it): besides ``body`` it covers
    every rich text field, and it makes each StreamField convert its raw data to blocks
    so that sanitising blocks (``courses.blocks.SanitisedRichTextBlock``) clean what an
    import or a crafted value put there before it is stored.
    """

    def sanitise_rich_text(self):
        for field in self._meta.concrete_fields:
            if isinstance(field, RichTextField):
                setattr(self, field.attname, clean_html(getattr(self, field.attname)))
            elif isinstance(field, StreamField):
                # Raw (lazy) stream data is saved as it is unless each block is built.
                list(getattr(self, field.attname))

    def full_clean(self, *args, **kwargs):
        self.sanitise_rich_text()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.sanitise_rich_text()
        return super().save(*args, **kwargs)


class HomePage(SanitisedBodyMixin, Page):
    """The public front page: what Opstart is and a way to log in."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(SanitisedBodyMixin, Page):
    """A plain information page, such as the accessibility statement."""

    body = RichTextField(_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="list-ul")
class FooterSettings(BaseGenericSetting):
    """What the footer links to; the accessibility statement is required by law."""

    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_policy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("accessibility_statement"), FieldPanel("privacy_policy")]

    class Meta:
        verbose_name = _("footer")
