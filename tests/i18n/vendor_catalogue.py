"""The Danish catalogue of the installed packages, kept in ``locale/vendor/``.

Wagtail's own Danish covers a fifth of its admin, so the project carries the rest:
``locale/vendor/da/LC_MESSAGES/django.po`` (and ``djangojs.po`` for the admin's
JavaScript catalogue) is the second entry of ``LOCALE_PATHS``, so it overrides every
installed app's catalogue, while the project's own ``locale/da`` (the first entry)
overrides it in turn. ``makemessages`` for the project never writes there: it only
writes where the project's sources are.

``make vendor-messages`` (``python -m tests.i18n.vendor_catalogue``) follows an upgrade: it
adds each msgid of an installed package that the vendor catalogue lacks (with the
package's own Danish, flagged fuzzy for review, when it has one), marks obsolete what
no installed package has any more, and keeps every translation already made. The
translations themselves are committed; ``tests/i18n`` checks they are complete. A
development tool: it needs polib (a dev dependency) and nothing imports it at run time.
"""

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings

LANGUAGE = "da"
DOMAINS = ("django", "djangojs")
VENDOR_DIR = Path(__file__).resolve().parents[2] / "locale" / "vendor"

# Libraries whose strings reach the admin without being installed apps (so Django never
# loads their catalogues): django-filter draws Wagtail's listing filters.
LIBRARIES = ("django_filters",)
# Installed apps whose Danish is complete and maintained upstream: their msgids are read
# (an override of one of them is kept) but not copied in.
COMPLETE_UPSTREAM = ("django",)
DANISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def vendor_catalogue_path(domain="django"):
    return VENDOR_DIR / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


@dataclass(frozen=True)
class Source:
    """One package's catalogue directory (``<package>/locale``)."""

    name: str
    locale_dir: Path

    @property
    def complete_upstream(self):
        return self.name.split(".")[0] in COMPLETE_UPSTREAM

    def catalogue(self, domain, language):
        path = self.locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
        return polib.pofile(str(path)) if path.exists() else None

    def source_catalogue(self, domain):
        """The English catalogue, or, for packages that ship none (django-axes), any one:
        only its msgids are read."""
        english = self.catalogue(domain, "en")
        if english is not None:
            return english
        for path in sorted(self.locale_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
            return polib.pofile(str(path))
        return None


def third_party_sources():
    """Every installed app and listed library outside the project that ships catalogues,
    and Django's own strings (``django/conf/locale``), in the order Django lets their
    translations win: the first installed app first, Django's own last."""
    project = Path(settings.BASE_DIR).resolve()
    sources = []
    for config in apps.get_app_configs():
        locale_dir = Path(config.path) / "locale"
        if locale_dir.is_dir() and Path(config.path).resolve().parent != project:
            sources.append(Source(config.name, locale_dir))
    for name in LIBRARIES:
        module = sys.modules.get(name) or __import__(name)
        sources.append(Source(name, Path(module.__file__).parent / "locale"))
    sources.append(Source("django", Path(django.__file__).parent / "conf" / "locale"))
    return sources


def key(entry):
    return (entry.msgctxt, entry.msgid)


def installed_entries(domain, sources=None) -> Iterator[tuple[Source, polib.POEntry]]:
    """(source, English entry) for each msgid of the installed packages. A msgid that
    Wagtail shares with Django belongs to Wagtail: its (often missing or wrong) Danish is
    the one Django would use."""
    seen = set()
    sources = sources or third_party_sources()
    for source in sorted(sources, key=lambda source: source.complete_upstream):
        catalogue = source.source_catalogue(domain)
        if catalogue is None:
            continue
        for entry in catalogue:
            if entry.obsolete or not entry.msgid or key(entry) in seen:
                continue
            seen.add(key(entry))
            yield source, entry


def english_msgids(domain="django"):
    """Every (msgctxt, msgid) the installed packages can show."""
    return {key(entry) for _source, entry in installed_entries(domain)}


def upstream_danish(domain, sources):
    """The Danish entry Django would use without the vendor catalogue, per msgid."""
    found = {}
    for source in sources:
        catalogue = source.catalogue(domain, LANGUAGE)
        for entry in catalogue or ():
            if _translated(entry) and "fuzzy" not in entry.flags and not entry.obsolete:
                found.setdefault(key(entry), entry)
    return found


def _translated(entry):
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def _new_entry(english, upstream):
    entry = polib.POEntry(
        msgctxt=english.msgctxt,
        msgid=english.msgid,
        msgid_plural=english.msgid_plural,
        msgstr="",
        msgstr_plural={0: "", 1: ""} if english.msgid_plural else {},
        flags=[flag for flag in english.flags if flag.endswith("-format")],
        comment=english.comment,
    )
    if upstream is not None:
        # The package's own Danish, to be read before it counts: it is often the wrong term.
        entry.msgstr = upstream.msgstr
        if english.msgid_plural:
            entry.msgstr_plural = {n: upstream.msgstr_plural.get(n, "") for n in (0, 1)}
        entry.flags.append("fuzzy")
    return entry


def update(domain="django", sources=None):
    """Bring the vendor catalogue of ``domain`` up to the installed packages; returns
    (added, obsoleted)."""
    sources = sources or third_party_sources()
    path = vendor_catalogue_path(domain)
    if path.exists():
        catalogue = polib.pofile(str(path), wrapwidth=100)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue = polib.POFile(wrapwidth=100)
    catalogue.metadata = {
        "Project-Id-Version": "Opstart (installed packages)",
        "PO-Revision-Date": catalogue.metadata.get("PO-Revision-Date", "2026-12-04 10:00+0100"),
        "Last-Translator": "Opstart",
        "Language-Team": "Danish",
        "Language": LANGUAGE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": DANISH_PLURAL_FORMS,
    }
    existing = {key(entry): entry for entry in catalogue}
    upstream = upstream_danish(domain, sources)
    installed = set()
    added = obsoleted = 0
    for source, english in installed_entries(domain, sources):
        installed.add(key(english))
        entry = existing.get(key(english))
        if entry is not None:
            entry.obsolete = False
            continue
        if source.complete_upstream:
            continue
        catalogue.append(_new_entry(english, upstream.get(key(english))))
        added += 1
    for entry in catalogue:
        if key(entry) not in installed and not entry.obsolete:
            entry.obsolete = True
            obsoleted += 1
    if len(catalogue):
        catalogue.save(str(path))
    return added, obsoleted


def main():
    for domain in DOMAINS:
        added, obsoleted = update(domain)
        print(f"{vendor_catalogue_path(domain)}: {added} added, {obsoleted} obsolete")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    main()
