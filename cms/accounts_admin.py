"""Account screens for staff who are not superusers (superusers keep Wagtail's own user
screens): *Staff* (coordinators: their municipality's supervisors and coordinators;
national editors: the national trainers and editors) and the base of the foster parents'
list (``supervision.viewsets``).

Each screen lists and reaches only the accounts its ``AccountPermissionPolicy`` gives
the user (``UserQuerySet.staff_managed_by`` / ``parents_managed_by``): any other account
answers 404 on every URL, and no delete exists. Accounts are made, invited, changed and
(de)activated through ``cms.accounts`` only.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy

from . import accounts
from .models import InvitationStatus, Role, User
from .models.users import STAFF_ROLES, managed_roles, manages_parents

MANAGER_TESTS = {
    "staff_managed_by": lambda user: bool(managed_roles(user)),
    "parents_managed_by": manages_parents,
}


class AccountPermissionPolicy(BasePermissionPolicy):
    """``actions`` on the accounts the queryset method ``managed`` gives a user; never
    "delete" (an account is deactivated, so what it did keeps its name)."""

    def __init__(self, model, managed, actions):
        super().__init__(model)
        self.managed, self.actions = managed, frozenset(actions)
        self.manager_test = MANAGER_TESTS[managed]

    def accounts_of(self, user):
        if not user.is_authenticated:
            return self.model.objects.none()
        return getattr(self.model.objects, self.managed)(user)

    def user_has_permission(self, user, action):
        # Who manages is a matter of role, not of rows: an empty screen still shows.
        return action in self.actions and user.is_authenticated and self.manager_test(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.accounts_of(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.accounts_of(user)


def invitation_label(status):
    return InvitationStatus(status).label if status else "—"


class InvitationFilterSet(WagtailFilterSet):
    invitation = django_filters.ChoiceFilter(
        label=_("Invitation"),
        choices=InvitationStatus.choices,
        method="filter_invitation",
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))

    class Meta:
        model = User
        fields = []

    def filter_invitation(self, queryset, name, value):
        return queryset.filter(invitation_status=value)


class InvitationColumn(StatusTagColumn):
    def __init__(self, **kwargs):
        super().__init__(
            "invitation_status",
            label=_("Invitation"),
            accessor=lambda user: invitation_label(user.invitation_status),
            primary=lambda user: user.invitation_status == InvitationStatus.ACCEPTED,
            **kwargs,
        )


class AccountScopedView:
    """One account's view: an account the user does not manage is not found."""

    viewset = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.accounts_of(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


def action_buttons(viewset, user, account, button_class=Button):
    """Resend the invitation, deactivate, reactivate: what applies to ``account``."""
    buttons = []
    status = getattr(account, "invitation_status", None)
    if account.is_active and not account.has_usable_password():
        buttons.append(
            button_class(
                _("Send the invitation again") if status else _("Send an invitation"),
                url=reverse(viewset.get_url_name("invite"), args=[account.pk]),
                icon_name="mail",
                priority=50,
            )
        )
    if viewset.can_deactivate and account != user:
        name = "deactivate" if account.is_active else "reactivate"
        buttons.append(
            button_class(
                _("Deactivate") if account.is_active else _("Reactivate"),
                url=reverse(viewset.get_url_name(name), args=[account.pk]),
                icon_name="cross" if account.is_active else "tick",
                priority=60,
            )
        )
    return buttons


class AccountIndexView(ModelViewSet.index_view_class):
    viewset = None

    def get_base_queryset(self):
        return (
            self.permission_policy.accounts_of(self.request.user)
            .with_invitation_status()
            .with_staff_role()
        )

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *action_buttons(self.viewset, self.request.user, instance),
        ]


class AccountEditView(AccountScopedView, ModelViewSet.edit_view_class):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        return (
            type(obj).objects.with_invitation_status().filter(pk=obj.pk).first()
        )  # for the header buttons

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *action_buttons(self.viewset, self.request.user, self.object),
        ]


class AccountActionView(View):
    """Confirm, then do one thing to one account (``action``: invite, deactivate,
    reactivate) and go back to the list; a refusal is shown as an error message."""

    viewset = None
    action = None

    def dispatch(self, request, pk):
        policy = self.viewset.account_policy
        if not policy.user_has_permission(request.user, "change"):
            raise Http404
        self.account = get_object_or_404(policy.accounts_of(request.user), pk=pk)
        return super().dispatch(request, pk)

    def texts(self):
        name = str(self.account)
        return {
            "invite": (
                gettext("Send an invitation to %(name)s") % {"name": name},
                gettext(
                    "A new e-mail with a link to choose a password goes to %(email)s. "
                    "Links sent before stop working."
                )
                % {"email": self.account.email},
                gettext("Send"),
                gettext("The invitation to %(name)s is sent.") % {"name": name},
            ),
            "deactivate": (
                gettext("Deactivate %(name)s") % {"name": name},
                gettext(
                    "The account can no longer log in and gets no e-mail. Nothing is deleted; "
                    "you can reactivate it."
                ),
                gettext("Deactivate"),
                gettext("%(name)s is deactivated.") % {"name": name},
            ),
            "reactivate": (
                gettext("Reactivate %(name)s") % {"name": name},
                gettext("The account can log in again with its password."),
                gettext("Reactivate"),
                gettext("%(name)s is reactivated.") % {"name": name},
            ),
        }[self.action]

    def get(self, request, pk):
        title, text, button, _done = self.texts()
        return TemplateResponse(
            request,
            "cms/admin/account_action.html",
            {
                "page_title": title,
                "text": text,
                "button": button,
                "cancel_url": reverse(self.viewset.get_url_name("index")),
            },
        )

    def post(self, request, pk):
        *_texts, done = self.texts()
        try:
            if self.action == "invite":
                accounts.invite(self.account, invited_by=request.user)
            else:
                accounts.set_active(self.account, self.action == "reactivate", by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            log(self.account, f"opstart.account.{self.action}", user=request.user)
            messages.success(request, done)
        return redirect(self.viewset.get_url_name("index"))


class AccountViewSet(ModelViewSet):
    """The shared part of an account screen on ``User`` beside Wagtail's user screens."""

    model = User
    add_to_reference_index = False
    copy_view_enabled = False  # a copy would prefill another person's name and address
    managed = None  # the UserQuerySet method giving the accounts a user manages
    actions = ("view", "change")
    can_deactivate = False
    index_view_class = AccountIndexView
    edit_view_class = AccountEditView
    # Every other view of one account is scoped too: another account answers 404.
    history_view_class = type(
        "AccountHistoryView", (AccountScopedView, ModelViewSet.history_view_class), {}
    )
    usage_view_class = type(
        "AccountUsageView", (AccountScopedView, ModelViewSet.usage_view_class), {}
    )
    delete_view_class = type(
        "AccountDeleteView", (AccountScopedView, ModelViewSet.delete_view_class), {}
    )
    filterset_class = InvitationFilterSet
    search_fields = ["first_name", "last_name", "email"]

    @cached_property
    def account_policy(self):
        return AccountPermissionPolicy(self.model, self.managed, self.actions)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            permission_policy=self.account_policy, viewset=self, **kwargs
        )

    def register_admin_url_finder(self):
        """Wagtail's user screens keep the edit links of users (for superusers)."""

    def register_permissions(self):
        """Wagtail's user screens register the user permissions and policy."""

    @cached_property
    def menu_item_class(self):
        policy = self.account_policy

        class AccountMenuItem(MenuItem):
            def is_shown(self, request):
                return policy.user_has_permission(request.user, "view")

        return AccountMenuItem

    def get_urlpatterns(self):
        actions = ["invite", *(["deactivate", "reactivate"] if self.can_deactivate else [])]
        return [
            *super().get_urlpatterns(),
            *(
                path(
                    f"<int:pk>/{action}/",
                    AccountActionView.as_view(viewset=self, action=action),
                    name=action,
                )
                for action in actions
            ),
        ]


class AccountForm(WagtailAdminModelForm):
    """Name, e-mail address and language of an account; an address in use (however
    typed) is refused next to the field."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

    def clean_email(self):
        email = User.normalize_username(self.cleaned_data["email"])
        others = User.objects.exclude(pk=self.instance.pk) if self.instance.pk else User.objects
        if others.filter(email=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists."), code="unique"
            )
        return email


class StaffForm(AccountForm):
    """An account form with the role; the roles offered are those the editing user manages."""

    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = managed_roles(self.for_user) if self.for_user else ()
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        if self.instance.pk:
            current = [role for role in roles if self.instance.has_role(role)]
            self.initial.setdefault("role", current[0].value if current else None)

    def clean_role(self):
        role = Role(self.cleaned_data["role"])
        if self.instance.pk and self.instance == self.for_user and not self.instance.has_role(role):
            raise ValidationError(_("You cannot change your own role."))
        return role


class StaffCreateView(ModelViewSet.add_view_class):
    def save_instance(self):
        data = self.form.cleaned_data
        user = self.request.user
        account = accounts.create_account(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            role=data["role"],
            municipality=user.municipality,
            invited_by=user,
        )
        log(account, "wagtail.create", user=user)
        return account

    def get_success_message(self, instance):
        return gettext("%(name)s is created and invited by e-mail.") % {"name": instance}

    def form_valid(self, form):
        return refused_to_form(super().form_valid, form, self)


class StaffEditView(AccountEditView):
    def save_instance(self):
        account = self.form.save()
        accounts.change_role(account, self.form.cleaned_data["role"], by=self.request.user)
        log(account, "wagtail.edit", user=self.request.user)
        return account

    def form_valid(self, form):
        return refused_to_form(super().form_valid, form, self)


def refused_to_form(form_valid, form, view):
    """A refusal of the service (``ValidationError``, e.g. an address taken between the
    form's check and the save) is shown on the form, never a 500."""
    try:
        return form_valid(form)
    except ValidationError as error:
        form.add_error(None, error.messages)
        view.produced_error_message = view.get_error_message()
        return view.form_invalid(form)


class StaffViewSet(AccountViewSet):
    """Coordinators: their municipality's supervisors and coordinators. National editors:
    the national trainers and editors."""

    managed = "staff_managed_by"
    actions = ("add", "view", "change")
    can_deactivate = True
    icon = "user"
    menu_label = _("Staff")
    menu_order = 890
    add_to_settings_menu = True
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    list_display = [
        TitleColumn("name", label=_("Name"), accessor=str, url_name="staff:edit"),
        "email",
        Column("staff_role", label=_("Role"), accessor=lambda user: staff_role_label(user)),
        StatusTagColumn(
            "is_active",
            label=_("Status"),
            accessor=lambda user: gettext("Active") if user.is_active else gettext("Deactivated"),
            primary=lambda user: user.is_active,
        ),
        InvitationColumn(),
    ]

    def get_form_class(self, for_update=False):
        return StaffForm


def staff_role_label(user):
    return Role(user.staff_role).label if user.staff_role in STAFF_ROLES else "—"
