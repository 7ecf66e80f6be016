"""Follow the links a user meets, as that user: every page reachable by GET from a start page.

``crawl(user)`` logs the user in on a fresh test client, opens the start page (``/start/``
sends each role to its own) and then, breadth first, every same-origin link found in
the HTML (``<a href>``) and every redirect, with GET only, until the page budget is
spent. It never submits a form, so it changes nothing; it skips logging out, static
files, media, file downloads and exports. A view that raises is recorded as a 500 with
its traceback instead of stopping the walk, so a test can assert "no 5xx" over all of
it::

    pages = crawl(supervisor, budget=150)
    assert not [page for page in pages if page.status >= 500]
"""

import re
import traceback
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client

SKIP_PREFIXES = (
    settings.STATIC_URL,
    settings.MEDIA_URL,
    "/documents/",  # Wagtail serves document files here
    "/admin/logout/",
    "/log-ud/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)
# File downloads and exports, not pages.
SKIP_SUFFIXES = (".pdf", ".ics", ".json", ".csv", ".xlsx", ".vtt", ".mp4", ".webm", ".png", ".jpg")
SKIP_QUERY_KEYS = {"export"}
NUMBER = re.compile(r"/\d+(?=/|$)")
JSON_PATH = re.compile(r'"url": "(/[^"\\\s]*)"')


@dataclass
class Page:
    url: str
    status: int
    content_type: str = ""
    body: str = ""
    found_on: str | None = None
    redirect_to: str | None = None
    error: str | None = None
    links: list[str] = field(default_factory=list, repr=False)

    @property
    def is_html(self):
        return self.content_type.startswith("text/html")


def crawl(user, start="/start/", *, budget=200, per_shape=2, skip=(), client=None):
    """Visit up to ``budget`` pages as ``user``; returns them in the order visited.

    ``per_shape`` bounds how many addresses of one shape are opened: the shape is the
    path with its numbers replaced, with or without a query string, so fifteen modules'
    edit pages, or a list's sort orders and page numbers, do not spend the budget that
    the other screens need. ``skip`` adds path prefixes never to open.
    """
    if client is None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
    skip_prefixes = SKIP_PREFIXES + tuple(skip)
    queue = deque([(start, None)])
    seen = {start}
    shapes = {}
    pages = []
    while queue and len(pages) < budget:
        url, found_on = queue.popleft()
        page = _open(client, url, found_on)
        pages.append(page)
        for link in page.links:
            target = _normalise(link, base=url)
            if target is None or target in seen or target.startswith(skip_prefixes):
                continue
            if urlsplit(target).path.endswith(SKIP_SUFFIXES):
                continue
            shape = _shape(target)
            if shapes.get(shape, 0) >= per_shape:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return pages


def _open(client, url, found_on):
    response = client.get(url)
    content_type = response.get("Content-Type", "")
    page = Page(url=url, status=response.status_code, content_type=content_type, found_on=found_on)
    if response.status_code in (301, 302, 303, 307, 308):
        page.redirect_to = response["Location"]
        page.links = [response["Location"]]
    elif getattr(response, "exc_info", None):
        page.error = "".join(traceback.format_exception(*response.exc_info))
    if page.is_html and not getattr(response, "streaming", False):
        page.body = response.content.decode(response.charset or "utf-8", errors="replace")
        page.links = page.links + _links(page.body)
    return page


def _shape(url):
    parts = urlsplit(url)
    return NUMBER.sub("/#", parts.path), bool(parts.query)


class LinkParser(HTMLParser):
    """``<a href>`` targets, and the addresses in JSON data islands: Wagtail's sidebar
    menu is drawn by JavaScript from ``<script type="application/json">``."""

    def __init__(self):
        super().__init__()
        self.links = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self._in_json = tag == "script" and attrs.get("type") == "application/json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.links.extend(JSON_PATH.findall(data))


def _links(html):
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return parser.links


def _normalise(link, base):
    """The same-origin path and query of ``link``, without its fragment; None for other
    origins, other schemes and exports."""
    link = link.strip()
    if not link or link.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    absolute = urlsplit(urljoin(f"http://testserver{base}", link))
    own_hosts = {"testserver", urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc}
    if absolute.scheme not in ("http", "https") or absolute.netloc not in own_hosts:
        return None
    query = parse_qsl(absolute.query, keep_blank_values=True)
    if any(key in SKIP_QUERY_KEYS for key, _value in query):
        return None
    return absolute.path + (f"?{urlencode(sorted(query))}" if query else "")
