"""Starts the test OpenID provider (``tests.oidc.settings``) in a second process on
127.0.0.1, with two clients (a municipality's staff login and the families' national
one) and a few people, and signs in at it as a person would."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password-1"
CLIENTS = {"opstart-staff": "staff-secret", "opstart-families": "families-secret"}
STAFF_SLUG, FAMILIES_SLUG = "kommune-a", "mitid"
# The people the provider knows, by user name; the tests make (or not) accounts here.
PEOPLE = [
    {"username": "anna", "email": "anna@kommune-a.example.dk"},
    {"username": "mette", "email": "Mette@Familie.example.dk"},
    {"username": "ukendt", "email": "ukendt@example.dk"},
    {"username": "ubekraeftet", "email": "lars@familie.example.dk", "verified": False},
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OpenIDProvider:
    def __init__(self, directory):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DJANGO_SETTINGS_MODULE": "tests.oidc.settings",
            "OP_DB": str(Path(directory) / "provider.sqlite3"),
            "OP_URL": self.url,
            "PYTHONPATH": str(ROOT),
        }
        self.process = None
        self.subjects = {}

    @property
    def discovery_url(self):
        return f"{self.url}/.well-known/openid-configuration"

    @property
    def issuer(self):
        return self.url

    def provision(self, spec):
        result = subprocess.run(
            [sys.executable, "-m", "tests.oidc.provision"],
            input=json.dumps(spec),
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self):
        people = [{"password": PASSWORD, **person} for person in PEOPLE]
        self.subjects = self.provision(
            {
                "clients": CLIENTS,
                "people": people,
                "redirect_uris": self.callbacks("http://testserver"),
            }
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.oidc.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.discovery_url, timeout=2).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("The test OpenID provider did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    @staticmethod
    def callbacks(site_url):
        return [f"{site_url}/log-ind/sso/{slug}/svar/" for slug in (STAFF_SLUG, FAMILIES_SLUG)]

    def staff_provider(self, municipality, name):
        """The site's login for ``municipality``'s staff through this provider."""
        from cms.models import IdentityProvider

        return IdentityProvider.objects.create(
            name=name,
            slug=STAFF_SLUG,
            discovery_url=self.discovery_url,
            client_id="opstart-staff",
            client_secret=CLIENTS["opstart-staff"],
            audience=IdentityProvider.Audience.STAFF,
            municipality=municipality,
        )

    def family_provider(self):
        """The site's national login for families through this provider."""
        from cms.models import IdentityProvider

        return IdentityProvider.objects.create(
            name="Log ind med MitID",
            slug=FAMILIES_SLUG,
            discovery_url=self.discovery_url,
            client_id="opstart-families",
            client_secret=CLIENTS["opstart-families"],
            audience=IdentityProvider.Audience.FAMILIES,
        )

    def allow_site(self, site_url):
        """Let the provider send people back to another address of the site (a live server)."""
        self.provision({"add_redirect_uris": self.callbacks(site_url)})

    def sign_in(self, authorize_url, username, password=PASSWORD):
        """Sign in at the provider as ``username`` and follow ``authorize_url``; returns the
        address the provider sends the person back to (with its code and state)."""
        browser = requests.Session()
        login = f"{self.url}/login/"
        browser.get(login, timeout=10)
        browser.post(
            login,
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": browser.cookies["op_csrftoken"],
            },
            headers={"Referer": login},
            allow_redirects=False,
            timeout=10,
        ).raise_for_status()
        assert "op_sessionid" in browser.cookies, f"{username} could not sign in at the provider"
        answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        return urljoin(authorize_url, answer.headers["Location"])
