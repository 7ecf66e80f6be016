"""Run in the provider's own process (``python -m tests.oidc.provision``): make its signing
key, clients and people, or add redirect addresses; prints the subjects as JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc.settings")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType, RSAKey  # noqa: E402

from tests.oidc.claims import UNVERIFIED  # noqa: E402


def set_up(spec):
    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        call_command("creatersakey")
    code = ResponseType.objects.get(value="code")
    for client_id, secret in spec["clients"].items():
        client, _ = Client.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": client_id,
                "client_type": "confidential",
                "client_secret": secret,
                "require_consent": False,
                "jwt_alg": "RS256",
                "_scope": "openid email profile",
            },
        )
        client.redirect_uris = spec["redirect_uris"]
        client.save()
        client.response_types.set([code])
    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED)
    subjects = {}
    for person in spec["people"]:
        user, _ = User.objects.get_or_create(username=person["username"])
        user.email = person["email"]
        user.set_password(person["password"])
        user.save()
        if not person.get("verified", True):
            user.groups.add(unverified)
        subjects[user.username] = str(user.pk)
    return subjects


def add_redirect_uris(uris):
    for client in Client.objects.all():
        client.redirect_uris = sorted({*client.redirect_uris, *uris})
        client.save()
    return {}


if __name__ == "__main__":
    spec = json.loads(sys.stdin.read())
    if spec.get("add_redirect_uris"):
        print(json.dumps(add_redirect_uris(spec["add_redirect_uris"])))
    else:
        print(json.dumps(set_up(spec)))
