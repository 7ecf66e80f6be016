import re
from django.test import Client
from tests.i18n.test_admin_in_danish import *  # noqa


def test_dbg(demo, quiet_request_log):
    c = Client()
    c.force_login(demo["superuser"])
    for url, word in [
        ("/admin/", "Search"),
        ("/admin/pages/", "Actions"),
        ("/admin/reports/aging-pages/", "None"),
        ("/admin/users/", "Editor"),
    ]:
        body = c.get(url).content.decode()
        for m in re.finditer(r"[^\n]{0,200}\b%s\b[^\n]{0,100}" % word, body):
            print(url, "::", m.group(0)[:300])
