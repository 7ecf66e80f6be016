"""One allow-list for every piece of HTML that users write: rich text only.

Wagtail's editor already limits what it produces, but a crafted POST or an import can
carry anything; cleaning on save means nothing else has to trust the input.

Plain text (logbook answers, feedback, goals, notes, names) never comes here: it is
stored as typed and escaped where it is shown. Cleaning it as HTML would change it
("Mor & far" stored as "Mor &amp; far", "<vred>" gone) and make it longer than typed.
"""

import bleach
from bleach.css_sanitizer import CSSSanitizer

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "strong", "sub", "sup", "ul", "embed",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "linktype", "id", "rel", "target"],
    "abbr": ["title"],
    # Wagtail stores images, documents and media in rich text as <embed> references.
    "embed": ["embedtype", "id", "format", "alt", "url"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})


def clean_html(html):
    """Return ``html`` with every tag, attribute and URL scheme off the list removed."""
    if not html:
        return html
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
        strip=True,
        strip_comments=True,
    )
