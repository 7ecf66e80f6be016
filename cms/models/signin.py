"""Single sign-on: the OpenID Connect providers people may log in through, and the
accounts linked to a person at one of them (docs/architecture.md, "Sign-in").

Providers are configured by superusers only (nobody else has a permission on them): one
per municipality for its staff (Entra ID, ADFS, …) and one national for the families (a
MitID broker). An account is never created from a sign-in; it is found by its verified
e-mail address the first time and by the provider's subject from then on.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityProviderQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


class IdentityProvider(models.Model):
    class Audience(models.TextChoices):
        STAFF = "staff", _("Staff of one municipality")
        FAMILIES = "families", _("Foster families")

    name = models.CharField(
        _("button text"),
        max_length=100,
        help_text=_("Shown on the login page, e.g. “Log in with MitID”."),
    )
    slug = models.SlugField(
        _("short name"),
        unique=True,
        help_text=_(
            "Part of the address the provider sends people back to: "
            "/log-ind/sso/<short name>/svar/ (register it at the provider)."
        ),
    )
    discovery_url = models.URLField(
        _("discovery address"),
        max_length=500,
        help_text=_("The provider's …/.well-known/openid-configuration address."),
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=500)
    audience = models.CharField(_("who signs in"), max_length=20, choices=Audience.choices)
    municipality = models.ForeignKey(
        "cms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_providers",
        help_text=_("For staff providers: only this municipality's staff sign in through it."),
    )
    emails_verified = models.BooleanField(
        _("every address is verified"),
        default=False,
        help_text=_(
            "Tick only for a municipality's own directory that verifies every address but "
            "sends no “email_verified” claim (Entra ID, ADFS). Otherwise an address counts "
            "only when the provider says it is verified."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        ordering = ["audience", "name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.audience == self.Audience.STAFF and self.municipality_id is None:
            raise ValidationError(
                {"municipality": _("A staff provider belongs to one municipality.")}
            )
        if self.audience == self.Audience.FAMILIES and self.municipality_id is not None:
            raise ValidationError(
                {"municipality": _("The families' provider is national: leave this empty.")}
            )
        if self.audience == self.Audience.FAMILIES and self.emails_verified:
            # Families type their address at the broker themselves: only its own word counts.
            raise ValidationError(
                {
                    "emails_verified": _(
                        "Only a municipality's own directory can vouch for every address."
                    )
                }
            )

    @property
    def for_staff(self):
        return self.audience == self.Audience.STAFF


class LinkedIdentity(models.Model):
    """A person at a provider (its ``iss`` and ``sub``) known to be this account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="linked_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_linked_identity")
        ]
        verbose_name = _("linked identity")
        verbose_name_plural = _("linked identities")

    def __str__(self):
        return f"{self.issuer} {self.subject}"
