"""State changes of the logbook, used by the family views, the admin and the tests alike."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cms.models import User

from . import completion, notifications
from .models import Exercise, ExerciseOpening, Feedback, LogbookEntry, ShareDigest
from .models.entries import StaleEntry
from .tasks import send_share_digest


def with_specific_exercises(entries):
    """Attach each entry's exercise as its real kind, in one query per kind."""
    exercises = Exercise.objects.in_bulk({entry.exercise_id for entry in entries})
    for entry in entries:
        entry.exercise = exercises[entry.exercise_id]
    return entries


def find_entry(exercise, family, session, writer, joint):
    """The writer's own (or the household's joint) entry in ``exercise`` for ``session``."""
    entries = LogbookEntry.objects.filter(exercise=exercise, family=family, session_id=session.pk)
    if joint:
        entry = entries.filter(is_joint=True).first()
    else:
        entry = entries.filter(is_joint=False, author=writer).first()
    if entry is not None:
        entry.exercise, entry.family = exercise, family  # the caller's objects: no refetch
    return entry


def save_entry(*, exercise, family, session, writer, answers, base_version, joint=False):
    """Create or update the writer's own (or the household's joint) entry for ``session``.

    Returns the entry, or None when there was nothing to save yet. Raises StaleEntry when
    somebody else saved first, carrying their version so nothing typed is lost.
    """
    entry = find_entry(exercise, family, session, writer, joint)
    was_written = entry is not None and not entry.is_empty
    if entry is not None:
        entry = entry.save_answers(answers, writer, base_version)
    elif any(value not in (None, "", []) for value in answers.values()):
        try:
            with transaction.atomic():
                entry = LogbookEntry.objects.create(
                    exercise=exercise,
                    family=family,
                    session_id=session.pk,
                    author=writer,
                    is_joint=joint,
                    last_edited_by=writer,
                    answers=answers,
                )
        except IntegrityError:
            # The other parent created the joint entry a moment before us.
            raise StaleEntry(find_entry(exercise, family, session, writer, joint)) from None
    # Completion counts written entries: only a save that writes the first text in an
    # entry or empties it can change it (autosave's many saves in between cost nothing).
    if was_written != (entry is not None and not entry.is_empty):
        completion.entry_saved(entry)
    return entry


def feedback_by_entry(entries, author):
    """The author's feedback on each of ``entries``, keyed by entry id (one query)."""
    return {
        feedback.entry_id: feedback
        for feedback in Feedback.objects.filter(entry__in=entries, author=author)
    }


@transaction.atomic
def give_feedback(entry, author, text):
    """Save (or, when empty, remove) the author's feedback on a shared entry.

    Returns the feedback, or None when it was removed: an empty feedback tells nobody.
    The e-mail to the writers goes to the outbox in the same transaction.
    """
    text = text.strip()
    if not text:
        Feedback.objects.filter(entry=entry, author=author).delete()
        return None
    feedback = Feedback.objects.filter(entry=entry, author=author).first()
    if feedback is not None and feedback.text == text:
        return feedback
    feedback, _created = Feedback.objects.update_or_create(
        entry=entry, author=author, defaults={"text": text}
    )
    notifications.feedback_received(entry)
    return feedback


def consultants_of(family):
    """Who follows the family: supervisors of its cohorts and of its sessions."""
    return (
        User.objects.filter(
            Q(supervised_cohorts__families=family) | Q(supervised_sessions__families=family)
        )
        .distinct()
        .order_by("pk")
    )


def share_entry(entry):
    """Share with the consultants and queue their digest e-mail (one per waiting period)."""
    if entry.is_shared:
        return entry
    entry.share()
    delay = settings.OPSTART_SHARE_DIGEST_DELAY
    defers = send_share_digest.get_backend().supports_defer
    for consultant in consultants_of(entry.family):
        _digest, created = ShareDigest.objects.get_or_create(
            recipient=consultant, defaults={"since": entry.shared_at}
        )
        if created:
            runner = send_share_digest.using(run_after=timezone.now() + delay) if defers else None
            transaction.on_commit(
                lambda pk=consultant.pk, runner=runner: (runner or send_share_digest).enqueue(pk)
            )
    return entry


def open_exercises(family, session, exercises, opened_by):
    """Open ``exercises`` for ``family`` and ``session`` by hand (idempotent)."""
    for exercise in exercises:
        ExerciseOpening.objects.get_or_create(
            family=family, exercise=exercise, session=session, defaults={"opened_by": opened_by}
        )
