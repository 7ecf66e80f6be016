"""Load test at national scale: ``python -m tests.perf.load`` (or ``make perf``).

Seeds PostgreSQL if needed (``seed_scale``), collects static files, starts gunicorn with
the production settings on PostgreSQL and Redis, and drives each page with an
*open-loop* load of logged-in users: requests arrive at a fixed rate whether or not the
earlier ones have been answered, as people do, and each latency is counted from the
moment its request was due (so a slow server cannot slow the load down and hide its own
queue). For each page it finds the highest arrival rate the page sustains with p99
under 100 ms and no errors, beside the same figure for a bare Wagtail page (the
accessibility statement: a ``ContentPage`` with one rich-text field); staff pages and
reports are measured at 2 requests/s on the full data set instead. A logged-in redirect
is measured beside them, without a target: the most any logged-in request can reach on
this machine.

Users log in through session cookies made here with the session store, not through
the login form, so login throttling never interferes. Requests carry
``X-Forwarded-Proto: https`` as the TLS proxy in front of a real deployment sends it,
so the production HTTPS settings stay on.

To add a page, add one ``Page`` to ``pages()``.
"""

import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.perf import configure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PORT = int(os.environ.get("PERF_PORT", "8765"))
DURATION = int(os.environ.get("PERF_DURATION", "10"))  # seconds at each arrival rate
FIRST_RATE = 8  # requests/s; doubled until the page falls behind, then bisected
BISECTIONS = 3
P99_TARGET_MS = 100
STAFF_RATE = 2  # requests/s of staff pages and reports
STAFF_P99_TARGET_MS = 500
PACED_SHARE = 0.5  # family pages sustain at least this share of the baseline's rate
# Measure only the pages whose name contains one of these words (the baseline always runs).
ONLY = [word for word in os.environ.get("PERF_PAGES", "").split(",") if word]
USERS = 200  # distinct logged-in users per page, rotated by the connections


@dataclass
class Page:
    name: str
    lines: list  # (path, cookie, csrf, body) per user; body "" for a GET
    status: int = 200
    staff: bool = False  # measured at STAFF_RATE: p99 under STAFF_P99_TARGET_MS
    paced: bool = False  # sustains at least PACED_SHARE of the baseline's rate
    reset: object = None  # called before each measured run (after the warm-up)


class Sessions:
    """Session cookies of logged-in users, made with the configured session store."""

    def __init__(self):
        from django.conf import settings
        from django.utils.crypto import get_random_string

        self.settings = settings
        self.csrf = get_random_string(32)
        backends = settings.AUTHENTICATION_BACKENDS
        model_backend = "django.contrib.auth.backends.ModelBackend"
        self.backend = model_backend if model_backend in backends else backends[0]

    def cookie(self, user):
        from importlib import import_module

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        store = import_module(self.settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = self.backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return (
            f"{self.settings.SESSION_COOKIE_NAME}={store.session_key}; "
            f"{self.settings.CSRF_COOKIE_NAME}={self.csrf}"
        )

    def get(self, user, path):
        return (path, self.cookie(user), self.csrf, "")

    def post(self, user, path, body):
        return (path, self.cookie(user), self.csrf, body)


def big_city():
    from cms.models import Municipality

    from .seed_scale import MARKER_SLUG

    return Municipality.objects.get(slug=MARKER_SLUG)


def planned_parents(municipality):
    """Parents of the big city whose family has a course plan and a coming session."""
    from django.utils import timezone

    from cms.models import User

    return list(
        User.objects.filter(
            municipality=municipality,
            foster_families__placements__startup_course__plan__isnull=False,
            foster_families__sessions__start__gt=timezone.now(),
        )
        .distinct()
        .order_by("pk")[:USERS]
    )


def autosave_page(sessions, parents):
    """Each parent autosaves their own entry on an open exercise with prompts.

    Every entry starts the run at version 1, the version the script sends first.
    """
    from django.db.models import Q
    from django.urls import reverse

    from logbook import availability
    from logbook.models import LogbookEntry, ReflectionExercise

    lines, entries = [], Q(pk=None)
    for parent in parents:
        family = parent.foster_families.get()
        slot = next(
            (
                slot
                for state in availability.family_exercise_states(family)
                for slot in state.slots
                if slot.is_open and isinstance(state.exercise, ReflectionExercise)
            ),
            None,
        )
        if slot is None:
            continue
        exercise, session = slot.exercise, slot.session
        entries |= Q(
            exercise=exercise, session=session.pk, family=family, author=parent, is_joint=False
        )
        fields = exercise.answer_fields(family)
        body = (
            "&".join(f"answer_{key}=Autosave+{{edit}}+of+{key}" for key in fields)
            + "&version={version}"
        )
        lines.append(
            sessions.post(
                parent,
                reverse("logbook:entry", args=[family.pk, exercise.pk, session.pk]),
                body,
            )
        )

    def reset():
        LogbookEntry.objects.filter(entries).update(version=1)

    return Page("logbook autosave (POST)", lines, reset=reset)


def pages():
    """The pages measured, the baseline first."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from cms.models import ContentPage, Role, User
    from courses.models import LessonPage
    from logbook.models import LogbookEntry
    from supervision.models import ModuleSession

    sessions = Sessions()
    city = big_city()
    parents = planned_parents(city)
    bare = ContentPage.objects.live().get(slug="tilgaengelighedserklaering")
    # The richest lesson: text, an image, a case story and knowledge checks.
    lesson = max(LessonPage.objects.live(), key=lambda page: len(page.body.raw_data))
    supervisors = list(User.objects.with_role(Role.SUPERVISOR).filter(municipality=city))
    shared_on_topic = LogbookEntry.objects.filter(
        shared_at__isnull=False,
        exercise__module=OuterRef("module"),
        family__sessions=OuterRef("pk"),
    )
    module_sessions = list(
        ModuleSession.objects.non_polymorphic()
        .filter(municipality=city)
        .filter(Exists(shared_on_topic))
        .order_by("pk")
        .values_list("pk", flat=True)[:USERS]
    )
    coordinators = list(User.objects.with_role(Role.COORDINATOR).filter(municipality=city))
    return [
        Page(
            "bare Wagtail page (baseline)",
            [sessions.get(p, bare.url) for p in parents],
        ),
        Page(
            "family dashboard",
            [sessions.get(p, reverse("family-dashboard")) for p in parents],
            paced=True,
        ),
        Page("lesson page", [sessions.get(p, lesson.url) for p in parents], paced=True),
        # No target: the least a logged-in request costs here (session, user, a redirect).
        Page("logged-in redirect (floor)", [sessions.get(p, "/start/") for p in parents], 302),
        autosave_page(sessions, parents),
        Page(
            "supervisor session view",
            [
                sessions.get(
                    supervisors[n % len(supervisors)],
                    reverse("logbook_session_entries", args=[pk]),
                )
                for n, pk in enumerate(module_sessions)
            ],
            staff=True,
        ),
        *(
            Page(
                name,
                [
                    sessions.get(coordinators[n % len(coordinators)], reverse(url_name))
                    for n in range(USERS)
                ],
                staff=True,
            )
            for name, url_name in [
                ("coordinator late-courses report", "supervision_report_late_courses"),
                ("coordinator start page", "wagtailadmin_home"),
            ]
        ),
    ]


class Driver:
    """Sends a page's requests at a fixed arrival rate and measures each from its due time.

    An autosave posts the version the server last answered for its entry; a 409 (a save
    of the same entry still in flight, which the real script would have waited for)
    takes the server's version and is counted apart, not as an error.
    """

    def __init__(self, url, page):
        self.url, self.page = url, page
        self.versions = [1] * len(page.lines)
        self.edits = 0

    async def send(self, client, index, due, results):
        import aiohttp

        path, cookie, csrf, body = self.page.lines[index]
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
        method, data = "GET", None
        if body:
            self.edits += 1
            method = "POST"
            data = body.replace("{version}", str(self.versions[index]))
            data = data.replace("{edit}", str(self.edits))
            headers.update(
                {
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": csrf,
                    "Origin": f"https://127.0.0.1:{PORT}",
                }
            )
        try:
            async with client.request(
                method, self.url + path, headers=headers, data=data, allow_redirects=False
            ) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            results["errors"].append(type(error).__name__)
            return
        results["latencies"].append(asyncio.get_running_loop().time() - due)
        version = re.search(r'"version": ?(\d+)', text) if body else None
        if version:
            self.versions[index] = int(version.group(1))
        if status == 409 and body:
            results["conflicts"] += 1
        elif status != self.page.status:
            results["errors"].append(f"status {status}")

    async def run(self, rate, seconds):
        import aiohttp

        results = {"latencies": [], "errors": [], "conflicts": 0}
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
            loop = asyncio.get_running_loop()
            start = loop.time() + 0.05
            sent = []
            for n in range(int(rate * seconds)):
                due = start + n / rate
                await asyncio.sleep(max(0, due - loop.time()))
                index = n % len(self.page.lines)
                sent.append(asyncio.create_task(self.send(client, index, due, results)))
            await asyncio.gather(*sent)
        return summarise(results, rate)


def summarise(results, rate):
    latencies = sorted(results["latencies"])

    def percentile(share):
        if not latencies:
            return float("inf")
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {
        "rate": rate,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": len(results["errors"]),
        "error_kinds": {kind: results["errors"].count(kind) for kind in set(results["errors"])},
        "conflicts": results["conflicts"],
    }


def at_rate(url, page, rate, seconds=DURATION):
    if page.reset:
        page.reset()
    return asyncio.run(Driver(url, page).run(rate, seconds))


def keeps_up(result):
    return result["errors"] == 0 and result["p99_ms"] < P99_TARGET_MS


def sustained_rate(url, page):
    """The highest arrival rate (requests/s) at which ``page`` keeps p99 under the target
    and answers without errors: doubled from ``FIRST_RATE`` until it falls behind, then
    bisected. Returns that rate's measurement (rate 0 if even the first rate fails)."""
    best, failed, rate = None, None, FIRST_RATE
    while failed is None and rate <= 2048:
        result = at_rate(url, page, rate)
        print(f"  {page.name} at {rate:g}/s: p99 {result['p99_ms']:.0f} ms", file=sys.stderr)
        if keeps_up(result):
            best, rate = result, rate * 2
        else:
            failed = result
        settle()
    low = best["rate"] if best else 0
    high = failed["rate"] if failed else rate
    for _ in range(BISECTIONS):
        rate = round((low + high) / 2, 1)
        if rate in (low, high):
            break
        result = at_rate(url, page, rate)
        print(f"  {page.name} at {rate:g}/s: p99 {result['p99_ms']:.0f} ms", file=sys.stderr)
        if keeps_up(result):
            best, low = result, rate
        else:
            high = rate
        settle()
    return best or {**failed, "rate": 0}


def settle():
    """Let gunicorn drain what an overloaded run left queued before the next one."""
    time.sleep(2)


def start_gunicorn(log):
    """The production configuration (``cms/gunicorn.py``) on the perf port."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        "python:cms.gunicorn",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
        "cms.wsgi",
    ]
    # Its own process group, so that stopping it also stops the workers it forked.
    return subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def workers():
    from cms import gunicorn

    return gunicorn.workers


def stop_gunicorn(server):
    server.send_signal(signal.SIGINT)  # quick shutdown: drop queued requests
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_until_serving(server, log):
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{Path(log.name).read_text()}")
        try:
            probe = urllib.request.Request(
                f"http://127.0.0.1:{PORT}/static/cms/opstart.css",
                headers={"X-Forwarded-Proto": "https"},
            )
            urllib.request.urlopen(probe, timeout=10)
            return
        except OSError:  # not listening yet
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in 30 s")


def report(results):
    baseline = results[0][1]["rate"]
    rows = [("page", "sustained req/s", "× baseline", "p50 ms", "p99 ms", "errors")]
    for page, result in results:
        rate = f"{result['rate']:g}"
        share = f"{result['rate'] / baseline:.2f}" if baseline else "–"
        if page.staff:
            rate, share = f"(at {STAFF_RATE}/s)", ""
        rows.append(
            (
                page.name,
                rate,
                share,
                f"{result['p50_ms']:.0f}",
                f"{result['p99_ms']:.0f}",
                str(result["errors"]),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        " | ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines += [
        f"errors of {page.name}: {result['error_kinds']}"
        for page, result in results
        if result["errors"]
    ]
    return "\n".join(lines)


def main():
    configure()
    from django.core.management import call_command

    from .seed_scale import seed

    call_command("migrate", verbosity=0)
    seed(sys.stdout)
    call_command("collectstatic", interactive=False, verbosity=0)
    measured = [
        page
        for n, page in enumerate(pages())
        if n == 0 or not ONLY or any(word in page.name for word in ONLY)
    ]
    with tempfile.TemporaryDirectory(prefix="opstart-perf-") as tmp:
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 (kept open for gunicorn)
        server = start_gunicorn(log)
        try:
            wait_until_serving(server, log)
            url = f"http://127.0.0.1:{PORT}"
            results = []
            for page in measured:
                at_rate(url, page, FIRST_RATE, seconds=2)  # caches, connections, compiled code
                settle()
                if page.staff:
                    result = at_rate(url, page, STAFF_RATE, seconds=max(DURATION, 20))
                else:
                    result = sustained_rate(url, page)
                results.append((page, result))
                print(f"measured {page.name}: {result}", file=sys.stderr)
        finally:
            stop_gunicorn(server)
            log.close()
        print(
            f"\nopen-loop arrivals, {DURATION} s a rate, p99 target {P99_TARGET_MS} ms; "
            f"gunicorn {workers()} sync workers, {os.cpu_count()} cores\n"
        )
        print(report(results))
        failed = check_targets(results)
        if failed:
            print("\nMissed: " + "; ".join(failed))
        return 1 if failed else 0


def check_targets(results):
    baseline = results[0][1]["rate"]
    failed = []
    for page, result in results:
        if result["errors"]:
            failed.append(f"{page.name}: {result['errors']} errors")
        if page.staff and result["p99_ms"] >= STAFF_P99_TARGET_MS:
            failed.append(f"{page.name}: p99 {result['p99_ms']:.0f} ms at {STAFF_RATE}/s")
        if page.paced and result["rate"] < PACED_SHARE * baseline:
            failed.append(f"{page.name}: {result['rate'] / baseline:.2f}x the baseline")
    return failed


if __name__ == "__main__":
    sys.exit(main())
