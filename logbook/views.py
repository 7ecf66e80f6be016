"""The family's logbook: list of exercises, writing an entry (with autosave), sharing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    entries = LogbookEntry.objects.readable_by_parent(request.user)
    own = {(e.family_id, e.exercise_id): e for e in entries}
    logbooks = []
    for family in FosterFamily.objects.of_parent(request.user):
        states = availability.family_exercise_states(family, request.user)
        for state in states:
            state.entry = own.get((family.pk, state.exercise.pk))
        logbooks.append((family, availability.to_do(states), states))
    return render(request, "logbook/index.html", {"logbooks": logbooks})


@login_required
def entry_edit(request, family_id, exercise_id):
    family = parent_family(request, family_id)
    exercise = get_object_or_404(Exercise.objects.select_related("module"), pk=exercise_id)
    joint = request.GET.get("joint") == "1" or request.POST.get("joint") == "1"
    if not availability.is_open_for(family, exercise, None if joint else request.user):
        return exercise_closed(request, family, exercise, joint)
    entry = services.find_entry(exercise, family, request.user, joint)
    conflict = None
    if request.method == "POST":
        form = EntryForm(exercise, family, request.POST)
        if form.is_valid():
            try:
                entry = services.save_entry(
                    exercise=exercise,
                    family=family,
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
            "entry": entry,
            "joint": joint,
            "form": form,
            "conflict": conflict,
            "feedback": entry.feedback.select_related("author") if entry else [],
        },
    )


def exercise_closed(request, family, exercise, joint=False):
    """Nothing can be written in a closed exercise (403; JSON to the autosave script,
    which keeps the text on the device). A retired one still shows the parent what they
    may read of what was written in it, with its feedback."""
    if wants_json(request):
        message = _(
            "This exercise is closed, so your text was not saved. It is kept on this device."
        )
        return JsonResponse({"status": "closed", "message": message}, status=403)
    entries = []
    if exercise.retired:
        entries = list(
            LogbookEntry.objects.readable_by_parent(request.user)
            .filter(family=family, exercise=exercise)
            .select_related("author")
            .prefetch_related("feedback__author")
            .order_by("is_joint")
        )
        for entry in entries:
            entry.exercise, entry.family = exercise, family
    status = 200 if entries and request.method == "GET" else 403
    # A parent recorded absent may still write in the joint entry if the other was there.
    joint_open = not joint and availability.is_open_for(family, exercise)
    context = {"family": family, "exercise": exercise, "entries": entries, "joint_open": joint_open}
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


def entry_url(entry):
    url = reverse("logbook:entry", args=[entry.family_id, entry.exercise_id])
    return f"{url}?joint=1" if entry.is_joint else url


@login_required
@require_POST
def entry_share(request, entry_id):
    entry = parent_entry(request, entry_id)
    services.share_entry(entry)
    messages.success(request, _("Your entry is shared with your consultant."))
    return redirect(entry_url(entry))


@login_required
@require_POST
def entry_unshare(request, entry_id):
    entry = parent_entry(request, entry_id)
    entry.unshare()
    messages.success(request, _("Your entry is private again."))
    return redirect(entry_url(entry))
