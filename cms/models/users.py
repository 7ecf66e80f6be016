"""People: one login per person, e-mail as the user name, roles as Django groups."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantQuerySet


class Role(models.TextChoices):
    """The roles; the value is the name of the Django group that carries it.

    Editors are national: they approve and publish course content (nobody else does),
    and see no family data.
    """

    FOSTER_PARENT = "Foster parent", _("Foster parent")
    TRAINER = "Trainer", _("Trainer")
    SUPERVISOR = "Supervisor", _("Supervisor")
    COORDINATOR = "Coordinator", _("Coordinator")
    EDITOR = "Editor", _("Editor")


STAFF_ROLES = frozenset({Role.TRAINER, Role.SUPERVISOR, Role.COORDINATOR, Role.EDITOR})
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)
MUNICIPAL_STAFF_ROLES = SUPERVISING_ROLES
NATIONAL_STAFF_ROLES = (Role.TRAINER, Role.EDITOR)


def managed_roles(user):
    """The staff roles whose accounts ``user`` manages in *Staff*: a coordinator their
    municipality's supervisors and coordinators, a national editor the national trainers
    and editors. Superusers keep Wagtail's own user screens; nobody else manages staff."""
    if not user.is_authenticated or user.is_superuser or not user.is_active:
        return ()
    if user.municipality_id is not None and user.has_role(Role.COORDINATOR):
        return MUNICIPAL_STAFF_ROLES
    if user.municipality_id is None and user.has_role(Role.EDITOR):
        return NATIONAL_STAFF_ROLES
    return ()


def manages_parents(user):
    """Supervisors and coordinators manage their municipality's foster parents' accounts
    (families and parents are made in one form, ``supervision.services``)."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.municipality_id is not None
        and bool(user.roles & set(SUPERVISING_ROLES))
    )


class UserQuerySet(TenantQuerySet):
    def with_role(self, role):
        return self.with_any_role([role])

    def with_any_role(self, roles):
        """Users in any of ``roles`` (a subquery, so nobody comes twice)."""
        memberships = self.model.groups.through.objects.filter(
            user=OuterRef("pk"), group__name__in=list(roles)
        )
        return self.filter(Exists(memberships))

    def foster_parents(self):
        """Whom a family's parent picker offers: active foster parents with no staff role."""
        return (
            self.filter(is_active=True, is_superuser=False)
            .with_role(Role.FOSTER_PARENT)
            .exclude(pk__in=self.model.objects.with_any_role(STAFF_ROLES).values("pk"))
        )

    def supervisors(self):
        """Whom a supervisor picker offers: active supervisors and coordinators."""
        return self.filter(is_active=True).with_any_role(SUPERVISING_ROLES)

    def staff_managed_by(self, user):
        """The accounts ``user`` manages in *Staff* (``managed_roles``): of the same
        municipality (national: none), with a managed role and no other role, never a
        superuser. Deactivated accounts are in it (to be reactivated)."""
        roles = managed_roles(user)
        if not roles:
            return self.none()
        return (
            self.filter(is_superuser=False, municipality_id=user.municipality_id)
            .with_any_role(roles)
            .exclude(pk__in=self.model.objects.with_any_role(set(Role) - set(roles)).values("pk"))
        )

    def parents_managed_by(self, user):
        """The foster parents of ``user``'s municipality, for a manager (``manages_parents``)."""
        if not manages_parents(user):
            return self.none()
        return self.foster_parents().filter(municipality_id=user.municipality_id)

    def with_staff_role(self):
        """Annotates ``staff_role``: the name of one staff role group (a managed account has
        one), in the same query."""
        memberships = self.model.groups.through.objects.filter(
            user=OuterRef("pk"), group__name__in=list(STAFF_ROLES)
        ).order_by("group__name")
        return self.annotate(staff_role=Subquery(memberships.values("group__name")[:1]))

    def with_invitation_status(self):
        """Annotates ``invitation_status`` (an ``InvitationStatus`` value, None for an
        account made without one) in the same query."""
        from .invitations import status_expression

        return self.annotate(invitation_status=status_expression("invitation__"))

    def pickable(self):
        """A user picker must name the users it offers (``picker_choices`` of its model,
        see ``cms.admin_forms.TenantAdminForm``); one that does not offers nobody."""
        return self.none()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.model.normalize_username(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """The account however its address is typed (every login, the admin's included)."""
        return self.get(email=self.model.normalize_username(username))


class User(AbstractUser):
    """A person who logs in. Trainers may be national (no municipality)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Leave empty only for national trainers and editors."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="da"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    @classmethod
    def normalize_username(cls, username):
        """One account per address however it is typed: `` Mette@X.dk`` is ``mette@x.dk``.

        Addresses are stored so (``clean`` runs this on every form, the admin's included) and
        looked up so at login.
        """
        return super().normalize_username(username).strip().lower()

    @cached_property
    def roles(self):
        """Names of the role groups the user is in (one query, cached per request)."""
        role_names = set(Role.values)
        return frozenset(
            name for name in self.groups.values_list("name", flat=True) if name in role_names
        )

    def has_role(self, role):
        return role in self.roles

    @property
    def is_foster_parent(self):
        """Only a foster parent with no staff role acts as a parent (reads and writes a
        family's logbook, sees *Min side*): staff linked to a family by mistake never do."""
        return (
            self.has_role(Role.FOSTER_PARENT)
            and not self.roles & STAFF_ROLES
            and not self.is_superuser
        )

    @property
    def is_trainer(self):
        return self.has_role(Role.TRAINER)

    @property
    def is_supervisor(self):
        return self.has_role(Role.SUPERVISOR)

    @property
    def is_coordinator(self):
        return self.has_role(Role.COORDINATOR)
