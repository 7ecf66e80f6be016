"""*Settings › Two-factor login* in the admin: a coordinator (their municipality) or a
superuser (everyone) resets the two-factor login of a person who lost their phone and
their recovery codes. The person sets it up again at their next password login."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from cms.models import User

from . import two_factor

RESET_ACTION = "opstart.two_factor_reset"


def may_reset(user):
    return user.is_superuser or (user.is_coordinator and user.municipality_id is not None)


def people_of(user):
    """Whose two-factor ``user`` may reset: their municipality's people, never a superuser
    (unless they are one)."""
    people = User.objects.for_user(user)
    return people if user.is_superuser else people.filter(is_superuser=False)


def with_two_factor(people):
    return people.filter(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related("groups")


def two_factor_users(request):
    if not may_reset(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    people = with_two_factor(people_of(request.user))
    if query:
        people = people.filter(email__icontains=query) | people.filter(last_name__icontains=query)
    context = {"people": people[:200], "query": query, "header_title": _("Two-factor login")}
    return TemplateResponse(request, "cms/admin/two_factor_users.html", context)


@require_POST
def reset_two_factor(request, pk):
    if not may_reset(request.user):
        raise PermissionDenied
    person = get_object_or_404(people_of(request.user), pk=pk)
    two_factor.reset(person)
    log(instance=person, action=RESET_ACTION, user=request.user)
    messages.success(
        request,
        _(
            "The two-factor login of %(person)s is reset. They set it up again when they next "
            "log in with their password."
        )
        % {"person": person},
    )
    return redirect("two_factor_users")
