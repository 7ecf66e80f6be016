"""Driving the two-factor set-up page in the browser, as a person with an app would."""

import base64
import time

from django_otp.oath import TOTP


def code_for(secret, later=0):
    """The code an authenticator app set up with ``secret`` shows now (or ``later``
    seconds from now: a code is taken once, and the next 30-second step's is accepted
    early, so a second login right after the set-up types that one)."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def set_up_totp(page):
    """On the set-up page (``/log-ind/to-trins/`` at a staff member's first login, or
    ``/to-trins-login/opsaet/``): read the key as someone who cannot scan would, type the
    app's code, and leave the recovery codes page. Returns the secret (base32), from which
    ``code_for`` makes later codes."""
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    page.locator("#id_code").fill(code_for(secret))
    page.locator("main form button[type=submit]").click()
    page.locator("#recovery-codes").wait_for()
    page.get_by_role("link", name="Jeg har gemt koderne, fortsæt").click()
    page.wait_for_load_state()
    return secret
