"""The Danish of the installed packages (locale/vendor) is complete, current and sound."""

import re

import polib
import pytest

from tests.i18n.vendor_catalogue import DOMAINS, installed_entries, key, vendor_catalogue_path

PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}")
# Terms picked once for Wagtail's admin (see docs/architecture.md, "Language"): what
# Wagtail's own Danish used for the same things must not come back.
RETIRED_TERMS = re.compile(r"\b(skitse|kladde|afpublic\w*|moderation|publicér)\b", re.IGNORECASE)


def catalogue(domain):
    return polib.pofile(str(vendor_catalogue_path(domain)))


def entries(domain):
    return [entry for entry in catalogue(domain) if not entry.obsolete]


def forms(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")]
    return [entry.msgstr]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_installed_string_is_in_the_vendor_catalogue(domain):
    """After a Wagtail upgrade: run ``make vendor-messages`` and translate what it adds."""
    held = {key(entry) for entry in entries(domain)}
    missing = sorted(
        entry.msgid
        for source, entry in installed_entries(domain)
        if not source.complete_upstream and key(entry) not in held
    )
    assert not missing, "Not in locale/vendor; run make vendor-messages:\n" + "\n".join(missing)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_vendor_string_is_translated_and_reviewed(domain):
    untranslated = [
        entry.msgid
        for entry in entries(domain)
        if "fuzzy" in entry.flags or not all(form.strip() for form in forms(entry))
    ]
    assert not untranslated, "Untranslated or fuzzy in locale/vendor:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder(domain):
    wrong = []
    for entry in entries(domain):
        english = set(PLACEHOLDER.findall(entry.msgid)) | set(
            PLACEHOLDER.findall(entry.msgid_plural or "")
        )
        for form in forms(entry):
            danish = set(PLACEHOLDER.findall(form))
            # A singular may say "1" or "én" instead of the count; nothing may be invented.
            if not danish <= english or (not entry.msgid_plural and danish != english):
                wrong.append(f"{entry.msgid!r} -> {form!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("domain", DOMAINS)
def test_one_term_for_each_thing(domain):
    stray = [
        f"{entry.msgid!r} -> {form!r}"
        for entry in entries(domain)
        for form in forms(entry)
        if RETIRED_TERMS.search(form)
    ]
    assert not stray, "Use udkast, træk tilbage, godkendelse, udgiv:\n" + "\n".join(stray)
