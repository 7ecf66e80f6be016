"""Danish is the primary language: every string is translated and the catalogue is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {code: ROOT / "locale" / code / "LC_MESSAGES" / "django.po" for code in ("da", "en")}
SOURCES = ["cms", "courses", "supervision", "logbook", "templates", "manage.py"]


def msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def test_every_danish_string_is_translated():
    po = polib.pofile(str(CATALOGUES["da"]))
    missing = [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and ("fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())))
    ]
    assert not missing, "Untranslated or fuzzy in locale/da:\n" + "\n".join(missing)


def test_english_catalogue_has_no_fuzzy_entries():
    po = polib.pofile(str(CATALOGUES["en"]))
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags and not entry.obsolete]
    assert not fuzzy, "Fuzzy in locale/en:\n" + "\n".join(fuzzy)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_would_add_nothing(tmp_path):
    """Run makemessages on a copy of the sources; the copy's catalogue must hold no new msgid."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "PYTHONPATH": ""},
        check=True,
        timeout=60,
    )
    extracted = msgids(polib.pofile(str(tmp_path / "locale/da/LC_MESSAGES/django.po")))
    committed = msgids(polib.pofile(str(CATALOGUES["da"])))
    new = sorted(msgid for _context, msgid in extracted - committed)
    assert not new, (
        "Strings missing from locale/*/django.po; run makemessages (see README) and translate:\n"
        + "\n".join(new)
    )
