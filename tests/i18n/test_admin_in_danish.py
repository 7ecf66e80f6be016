"""Every staff screen of the admin reads in Danish: no English text of Wagtail, Django or
the project where Danish exists or is missing.

Each staff role (trainer, editor, supervisor, coordinator, superuser) walks the admin from
its start page (``tests.crawl``) on the demo's two municipalities, with a page waiting in
moderation. Of each page we take the text a user meets: text nodes, the attributes a
browser shows or reads aloud (title, aria-label, placeholder, alt, button values,
Wagtail's tooltip and progress labels) and the labels of the JSON that Wagtail's
JavaScript draws (the sidebar menu, bulk-action counts). A text that is an English msgid
of an installed package's catalogue or of the project's, whole or with its placeholders
filled in, fails the test unless Danish writes it the same way ("Status", "Link").
"""

import contextlib
import json
import logging
import re
from html.parser import HTMLParser

import polib
import pytest
from django.core.management import call_command
from django.utils.translation import trans_real

from cms.models import Role, User
from courses.models import ModulePage
from tests.crawl import crawl
from tests.i18n.vendor_catalogue import installed_entries

from ..cms.test_translations import CATALOGUES

pytestmark = pytest.mark.django_db

# Texts that are English msgids but are names, or Danish as well in what we show.
ALLOWED = {
    "Wagtail",
    "Opstart",
    "Django",
    "English",  # a language is offered by its own name (Wagtail's language choice)
}
# Django stores permission names in English when it creates them ("Can add cohort"), a
# known limit of Django; only the superuser's group form lists them.
STORED_IN_ENGLISH = re.compile(r"Can (add|change|delete|view) .+")
# Words too short or too common to tell English from Danish or from a name in the data.
MIN_LETTERS = 3
SHOWN_ATTRIBUTES = ("title", "aria-label", "aria-description", "placeholder", "alt")
SHOWN_DATA_ATTRIBUTE = re.compile(r"^data-w-.*-(content|label|active|message|text|title)-value$")
SHOWN_JSON_KEYS = {"label", "footer_text", "help_text", "helpText", "title", "placeholder"}
BUTTON_TYPES = ("submit", "button", "reset")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sd]|\{[a-z_0-9]*\}")
BUDGET = {"superuser": 350, "coordinator": 280, "supervisor": 100, "trainer": 100, "editor": 80}


def english_texts():
    """(exact msgids, a pattern of the msgids with placeholders) that must not be shown
    in Danish: those Danish has no translation for, or translates differently."""
    entries = [entry for _source, entry in installed_entries("django")]
    entries += [entry for entry in polib.pofile(str(CATALOGUES["en"])) if not entry.obsolete]
    catalog = trans_real.translation("da")._catalog
    english = set()
    for entry in entries:
        if entry.msgctxt:
            continue  # shown only with its context; the plain msgid may be Danish-identical
        danish = {
            catalog.get(entry.msgid),
            catalog.get((entry.msgid, 0)),
            catalog.get((entry.msgid, 1)),
        }
        for text in filter(None, (entry.msgid, entry.msgid_plural)):
            if text not in danish and text not in ALLOWED:
                english.add(normalise(text))
    exact = {text for text in english if not PLACEHOLDER.search(text) and letters(text)}
    patterns = [
        re.escape(PLACEHOLDER.sub("PLACEHOLDER", text)).replace("PLACEHOLDER", ".+?")
        for text in english
        if PLACEHOLDER.search(text) and letters(PLACEHOLDER.sub("", text)) >= 2 * MIN_LETTERS
    ]
    return exact, re.compile("|".join(f"(?:{p})" for p in sorted(patterns)), re.DOTALL)


def letters(text):
    count = sum(character.isalpha() for character in text)
    return count if count >= MIN_LETTERS else 0


def normalise(text):
    return " ".join(text.split())


class ShownText(HTMLParser):
    """The text of a page that a user sees or hears."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._script = attrs.get("type") if tag == "script" else "style"
        for name, value in attrs.items():
            if value and (name in SHOWN_ATTRIBUTES or SHOWN_DATA_ATTRIBUTE.match(name)):
                self.texts.append(value)
        if tag == "input" and attrs.get("type") in BUTTON_TYPES:  # a <button> shows its content
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data):
        if self._script is None:
            self.texts.append(data)
        elif self._script == "application/json":
            with contextlib.suppress(json.JSONDecodeError):
                self.texts.extend(json_labels(json.loads(data)))


def shown_texts(html):
    parser = ShownText()
    parser.feed(html)
    parser.close()
    return parser.texts


def json_labels(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SHOWN_JSON_KEYS and isinstance(value, str):
                yield value
            else:
                yield from json_labels(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_labels(item)


def english_on(page, exact, patterns):
    found = set()
    for text in shown_texts(page.body):
        text = normalise(text)
        if not text or text in ALLOWED or STORED_IN_ENGLISH.fullmatch(text):
            continue
        if text in exact or (len(text) < 200 and patterns.fullmatch(text)):
            found.add(text)
    return found


@pytest.fixture
def demo(django_user_model):
    """The demo's two municipalities, every role, and a module change awaiting approval."""
    call_command("seed_demo", stdout=None)
    trainer = User.objects.with_role(Role.TRAINER).first()
    module = ModulePage.objects.live().order_by("number").first()
    module.summary = module.summary + " Opdateret."
    revision = module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)
    assert revision.pk
    superuser = django_user_model.objects.filter(is_superuser=True).first()
    return {
        "superuser": superuser,
        "coordinator": User.objects.with_role(Role.COORDINATOR).first(),
        "supervisor": User.objects.with_role(Role.SUPERVISOR).first(),
        "trainer": trainer,
        "editor": User.objects.with_role(Role.EDITOR).first(),
    }


@pytest.fixture
def quiet_request_log():
    """A page that fails is reported by the crawl (another test's business); its
    traceback would only bury this test's report."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_every_staff_screen_reads_in_danish(demo, quiet_request_log):
    exact, patterns = english_texts()
    english = {}
    for role, user in demo.items():
        pages = crawl(user, budget=BUDGET[role], per_shape=1)
        screens = [page for page in pages if page.url.startswith("/admin/") and page.is_html]
        assert len(screens) > 20, f"The {role} reached too few screens: {[p.url for p in pages]}"
        for page in pages:
            if page.status == 200 and page.is_html:
                for text in english_on(page, exact, patterns):
                    english.setdefault(text, f"{role} {page.url}")
    assert not english, "English on Danish screens:\n" + "\n".join(
        f"{where}: {text!r}" for text, where in sorted(english.items(), key=lambda item: item[1])
    )
