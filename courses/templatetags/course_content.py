"""Course content is written in Danish only (one national catalogue, no translations): on a
page in another language it is marked ``lang="da"`` so that a screen reader reads it with
Danish pronunciation (WCAG 3.1.2, language of parts). Danish pages are left as they are.

    <h1{% content_lang %}>{{ page.title }}</h1>
    {% blocktranslate with title=lesson.title|content %}Next: {{ title }}{% endblocktranslate %}
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

CONTENT_LANGUAGE = settings.LANGUAGE_CODE


def _foreign_page():
    return get_language() != CONTENT_LANGUAGE


@register.simple_tag
def content_lang():
    """The ``lang`` attribute for an element holding course content, when needed."""
    return mark_safe(f' lang="{CONTENT_LANGUAGE}"') if _foreign_page() else ""


@register.filter(is_safe=True)
def content(value):
    """A piece of course content inside a translated sentence, marked when needed."""
    if not _foreign_page():
        return value
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, value)
