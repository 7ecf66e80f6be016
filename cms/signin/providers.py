"""Single sign-on through OpenID Connect providers (``cms.models.IdentityProvider``).

Authlib's Django client does the protocol: discovery, the authorization code with PKCE,
``state`` kept in the session, and the ID token's signature (the provider's JWKS),
issuer, audience, expiry and ``nonce``. This module decides who that person is here:
``find_account`` matches, never creates, and refuses with a reason shown to the person.
"""

import logging

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cms.models import IdentityProvider, LinkedIdentity, User

log = logging.getLogger(__name__)

SCOPE = "openid email profile"


class Refused(Exception):
    """The provider vouched for someone we do not let in; ``message`` says why to them."""

    def __init__(self, reason, message):
        super().__init__(reason)
        self.reason = reason
        self.message = message


UNKNOWN = _(
    "We could not find an account for you. Ask your municipality to create one with the "
    "e-mail address you use at the provider."
)
NOT_VERIFIED = _(
    "The provider has not confirmed your e-mail address, so we cannot tell which account is "
    "yours. Confirm the address at the provider, or log in with your password."
)
WRONG_PROVIDER = _(
    "Your account cannot sign in through this provider. Use the login button meant for you, "
    "or log in with your password."
)
INACTIVE = _("Your account is closed. Ask your municipality if you think it should not be.")
LINKED_TO_ANOTHER = _(
    "Your account is already linked to another person at this provider. Ask your "
    "municipality for help."
)
FAILED = _("The sign-in could not be completed. Please start again from the login page.")


def client(provider):
    """An Authlib client for ``provider``, its discovery document read from the cache."""
    app = OAuth().register(
        name=f"idp-{provider.slug}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": settings.OPSTART_OIDC_TIMEOUT,
        },
    )
    app.server_metadata.update(cache.get(metadata_key(provider)) or {})
    return app


def remember_metadata(provider, app):
    """Keep the discovery document and key set (read during a sign-in) for the next ones."""
    if "_loaded_at" in app.server_metadata:
        timeout = settings.OPSTART_OIDC_METADATA_CACHE.total_seconds()
        cache.set(metadata_key(provider), dict(app.server_metadata), timeout)


def metadata_key(provider):
    return f"oidc-metadata:{provider.pk}:{provider.discovery_url}"


def is_verified(provider, claims):
    # Only a real true: some providers send the string "false".
    return provider.emails_verified or claims.get("email_verified") is True


def find_account(provider, claims):
    """The account the provider's ``claims`` (a validated ID token, merged with the
    userinfo answer) belong to, linked by issuer and subject from then on.

    Raises ``Refused`` for an unknown, unverified, closed or mismatched person.
    """
    issuer, subject = claims["iss"], claims["sub"]
    linked = LinkedIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    user = next((identity.user for identity in linked), None)
    if user is None:
        email = User.normalize_username(claims.get("email") or "")
        if not email:
            raise Refused("no-email", UNKNOWN)
        if not is_verified(provider, claims):
            raise Refused("unverified", NOT_VERIFIED)
        user = User.objects.filter(email=email).first()
        if user is None:
            raise Refused("unknown", UNKNOWN)
    check_allowed(provider, user)
    if not linked:
        link(user, issuer, subject)
    return user


def check_allowed(provider, user):
    if not user.is_active:
        raise Refused("inactive", INACTIVE)
    if provider.for_staff:
        allowed = (
            user.municipality_id == provider.municipality_id
            and not user.is_foster_parent
            and (user.is_superuser or user.roles)
        )
    else:
        allowed = user.is_foster_parent
    if not allowed:
        raise Refused("wrong-provider", WRONG_PROVIDER)


def link(user, issuer, subject):
    """Remember the person at this provider. An account already linked to someone else
    there is refused: an address moved to another person at the provider must not give
    them the account."""
    if LinkedIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise Refused("linked-to-another", LINKED_TO_ANOTHER)
    try:
        with transaction.atomic():
            LinkedIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError:  # the same person signing in twice at once: linked already
        pass


def enabled_providers():
    return IdentityProvider.objects.enabled()
