"""Repair logbook answers and feedback that the HTML cleaner stored escaped.

Until now plain text went through ``cms.sanitising.clean_html`` (bleach) on save. In
text, bleach escapes exactly three characters: a bare ``&`` becomes ``&amp;``, ``<`` and
``>`` become ``&lt;`` and ``&gt;``. It keeps any entity already written (``&amp;``,
``&copy;``, ``&#39;``) as it was, never writes ``&quot;`` or ``&#39;`` for quotes, and is
idempotent: saving again did not escape a second time. So the stored text is the typed
text escaped once, and unescaping those three entities once, left to right, gives it
back: "Mor &amp; far" → "Mor & far", "a &lt; b" → "a < b", "&amp;amp;" → "&amp;".

The one thing this cannot tell apart is an entity the writer typed literally: "&amp;"
typed as such was stored unchanged and now reads "&". We accept that: families write
"&" and "<" every day, HTML entities practically never. Any other entity ("&copy;",
"&nbsp;") was never produced by the cleaner and is left as typed. Tags the cleaner
removed ("<vred>", "<script>") are gone for good; nothing can bring them back.
"""

import re

from django.db import migrations
from django.db.models import TextField
from django.db.models.functions import Cast

CLEANER_ENTITIES = re.compile(r"&(amp|lt|gt);")
CHARACTERS = {"amp": "&", "lt": "<", "gt": ">"}
BATCH = 1000


def unescape_cleaned(text):
    """The text as typed, from what the old cleaner stored (one pass, so "&amp;lt;" → "&lt;")."""
    return CLEANER_ENTITIES.sub(lambda match: CHARACTERS[match[1]], text)


def unescape_answers(answers):
    return {
        key: unescape_cleaned(value) if isinstance(value, str) else value
        for key, value in answers.items()
    }


def repair(apps, schema_editor):
    """Only rows holding an "&" can hold an entity; only those that change are written."""
    LogbookEntry = apps.get_model("logbook", "LogbookEntry")
    Feedback = apps.get_model("logbook", "Feedback")
    entries = (
        LogbookEntry.objects.annotate(as_text=Cast("answers", TextField()))
        .filter(as_text__contains="&")
        .only("pk", "answers")
    )
    changed = []
    for entry in entries.iterator(chunk_size=BATCH):
        answers = unescape_answers(entry.answers)
        if answers != entry.answers:
            entry.answers = answers
            changed.append(entry)
    LogbookEntry.objects.bulk_update(changed, ["answers"], batch_size=BATCH)
    changed = []
    for feedback in Feedback.objects.filter(text__contains="&").only("pk", "text").iterator():
        text = unescape_cleaned(feedback.text)
        if text != feedback.text:
            feedback.text = text
            changed.append(feedback)
    Feedback.objects.bulk_update(changed, ["text"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0004_shared_entries_by_family")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop, elidable=True)]
