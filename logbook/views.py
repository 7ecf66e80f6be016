"""The family's logbook: list of exercises, writing an entry (with autosave), sharing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supervision.models import FosterFamily

from . import availability, services
from .forms import EntryForm
from .models import Exercise, LogbookEntry
from .models.entries import StaleEntry


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def parent_family(request, family_id):
    return get_object_or_404(FosterFamily.objects.of_parent(request.user), pk=family_id)


@login_required
def logbook_index(request):
    logbooks = []
    for family in FosterFamily.objects.of_parent(request.user):
        states = availability.family_exercise_states(family, request.user)
        logbooks.append(
            {
                "family": family,
                "due": availability.to_do(states),
                "sessions": availability.by_session(states),
                "waiting": [s for s in states if not s.slots and not s.exercise.retired],
                # Written before entries had sessions, matched to none: read-only.
                "earlier": services.with_specific_exercises(
                    readable_entries(request.user, family, session__isnull=True)
                ),
            }
        )
    return render(request, "logbook/index.html", {"logbooks": logbooks})


def family_and_exercise(request, family_id, exercise_id):
    family = parent_family(request, family_id)
    exercise = get_object_or_404(Exercise.objects.select_related("module"), pk=exercise_id)
    return family, exercise


def is_joint(request):
    return request.GET.get("joint") == "1" or request.POST.get("joint") == "1"


@login_required
@require_GET
def exercise_entry(request, family_id, exercise_id):
    """A link to the exercise alone (written before entries had sessions): the entry of
    the session it is open for now, else what the parent wrote in it, else the list.
    ``?earlier=1`` shows what the parent wrote in it, every session's entry read-only."""
    family, exercise = family_and_exercise(request, family_id, exercise_id)
    earlier = request.GET.get("earlier") == "1"
    if not earlier:
        joint = is_joint(request)
        session = availability.session_to_write(family, exercise, None if joint else request.user)
        if session is None and not joint:  # absent parents write in the joint entry
            session = availability.session_to_write(family, exercise)
            joint = session is not None
        if session is not None:
            return redirect(entry_url_for(family.pk, exercise.pk, session.pk, joint))
    entries = readable_entries(request.user, family, exercise)
    if entries or earlier:
        context = {"family": family, "exercise": exercise, "entries": entries}
        return render(request, "logbook/exercise_closed.html", context)
    return redirect("logbook:index")


@login_required
def entry_edit(request, family_id, exercise_id, session_id):
    family, exercise = family_and_exercise(request, family_id, exercise_id)
    sessions = availability.topic_sessions(family, exercise)
    session = availability.session_of(family, exercise, session_id, sessions)
    joint = is_joint(request)
    if session is None:
        # Not the family's session on this topic (or cancelled since): what the parent
        # wrote for it stays readable; anything else is not there for them.
        entries = readable_entries(request.user, family, exercise, session_id=session_id)
        if not entries:
            raise Http404
        return exercise_closed(request, family, exercise, None, joint, entries)
    if not availability.is_open_for(family, exercise, session, None if joint else request.user):
        return exercise_closed(request, family, exercise, session, joint)
    entry = services.find_entry(exercise, family, session, request.user, joint)
    conflict = None
    if request.method == "POST":
        form = EntryForm(exercise, family, request.POST)
        if form.is_valid():
            try:
                entry = services.save_entry(
                    exercise=exercise,
                    family=family,
                    session=session,
                    writer=request.user,
                    answers=form.answers,
                    base_version=form.base_version,
                    joint=joint,
                )
            except StaleEntry as stale:
                conflict = stale.entry
            else:
                if wants_json(request):
                    return JsonResponse(saved_payload(entry))
                messages.success(request, _("Your entry is saved."))
                return redirect(request.get_full_path())
        if wants_json(request):
            return conflict_or_errors_json(form, conflict, request.user)
        if conflict is not None:
            form = EntryForm(exercise, family, request.POST.copy())
            form.data["version"] = conflict.version
    else:
        form = EntryForm(exercise, family, initial=EntryForm.initial_for(entry))
    return render(
        request,
        "logbook/entry_form.html",
        {
            "family": family,
            "exercise": exercise,
            "session": session,
            # The same exercise for the family's other sessions on its topic.
            "other_sessions": [s for s in sessions if s != session],
            "entry": entry,
            "joint": joint,
            "form": form,
            "conflict": conflict,
            "feedback": entry.feedback.select_related("author") if entry else [],
        },
    )


def readable_entries(user, family, exercise=None, **filters):
    """What the parent may read in the family's logbook (of one exercise, if given), with
    its feedback, session by session, own entries first."""
    entries = (
        LogbookEntry.objects.readable_by_parent(user)
        .filter(family=family, **filters)
        .select_related("author", "session")
        .prefetch_related("feedback__author")
        .order_by("session__start", "exercise_id", "is_joint")
    )
    if exercise is not None:
        entries = entries.filter(exercise=exercise)
    entries = list(entries)
    # A goal follow-up's summary names the family's goals: read them once, not per entry.
    prefetch_related_objects([family], "development_goals", "placements__plan_goals")
    for entry in entries:
        entry.family = family
        if exercise is not None:
            entry.exercise = exercise
    return entries


def exercise_closed(request, family, exercise, session, joint=False, entries=None):
    """Nothing can be written in a closed exercise (403; JSON to the autosave script,
    which keeps the text on the device). What the parent wrote there stays readable,
    with its feedback (200)."""
    if wants_json(request):
        message = _(
            "This exercise is closed, so your text was not saved. It is kept on this device."
        )
        return JsonResponse({"status": "closed", "message": message}, status=403)
    if entries is None:
        entries = readable_entries(request.user, family, exercise, session_id=session.pk)
    status = 200 if entries and request.method == "GET" else 403
    # A parent recorded absent may still write in the joint entry if the other was there.
    joint_open = (
        session is not None and not joint and availability.is_open_for(family, exercise, session)
    )
    context = {
        "family": family,
        "exercise": exercise,
        "session": session,
        "entries": entries,
        "joint_open": joint_open,
    }
    return render(request, "logbook/exercise_closed.html", context, status=status)


def saved_payload(entry):
    if entry is None:
        return {"status": "empty", "version": 0, "message": ""}
    saved_at = formats.time_format(timezone.localtime(entry.updated_at), "H:i")
    return {
        "status": "saved",
        "version": entry.version,
        "message": _("Saved at %(time)s") % {"time": saved_at},
    }


def conflict_or_errors_json(form, conflict, writer):
    if conflict is not None:
        return JsonResponse(
            {
                "status": "conflict",
                "version": conflict.version,
                "message": conflict_message(conflict, writer),
                "theirs": {f"answer_{k}": v for k, v in conflict.answers.items()},
                # Said when "theirs" is the writer's own post that landed while its answer
                # was lost: autosave then has nothing to choose.
                "saved": saved_payload(conflict)["message"],
            },
            status=409,
        )
    return JsonResponse(
        {
            "status": "invalid",
            "message": _("Not saved: check the fields marked in red."),
            "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        },
        status=400,
    )


def conflict_message(conflict, writer):
    editor = conflict.last_edited_by
    if editor == writer:
        return _(
            "You saved this entry in another window or on another device while writing here. "
            "Compare the two and choose which to keep."
        )
    return _(
        "%(name)s saved this entry while you were writing. Compare the two and choose which "
        "to keep."
    ) % {"name": editor.get_short_name() if editor else _("Someone")}


def parent_entry(request, entry_id):
    return get_object_or_404(LogbookEntry.objects.readable_by_parent(request.user), pk=entry_id)


def entry_url_for(family_id, exercise_id, session_id, joint=False):
    url = reverse("logbook:entry", args=[family_id, exercise_id, session_id])
    return f"{url}?joint=1" if joint else url


@login_required
@require_POST
def entry_share(request, entry_id):
    entry = parent_entry(request, entry_id)
    services.share_entry(entry)
    messages.success(request, _("Your entry is shared with your consultant."))
    return redirect(entry)


@login_required
@require_POST
def entry_unshare(request, entry_id):
    entry = parent_entry(request, entry_id)
    entry.unshare()
    messages.success(request, _("Your entry is private again."))
    return redirect(entry)
