"""Load test at national scale: ``python -m tests.perf.load`` (or ``make perf``).

Seeds PostgreSQL if needed (``seed_scale``), collects static files, starts gunicorn with
the production settings on PostgreSQL and Redis, and drives each page with wrk (Debian's
C load generator: one core of this 2-core machine is enough for it, where a Python
generator would take the CPU the server needs) at 32 connections of logged-in users,
then once more for a few seconds at one connection (the page's own latency, without
queueing), and prints requests/s, p50/p99 latency, errors and the ratio to the baseline,
a bare Wagtail page (the accessibility statement: a ``ContentPage`` with one rich-text
field). A logged-in redirect is measured beside them, without a target: the least any
logged-in request costs on this machine.

Users log in through session cookies made here with the session store, not through
the login form, so login throttling never interferes. Requests carry
``X-Forwarded-Proto: https`` as the TLS proxy in front of a real deployment sends it,
so the production HTTPS settings stay on.

To add a page, add one ``Page`` to ``pages()``.
"""

import json
import os
import shutil
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
CONNECTIONS = int(os.environ.get("PERF_CONNECTIONS", "32"))
DURATION = int(os.environ.get("PERF_DURATION", "15"))
ALONE_DURATION = 5  # then one user alone: the latency of the page itself, without queueing
# Measure only the pages whose name contains one of these words (the baseline always runs).
ONLY = [word for word in os.environ.get("PERF_PAGES", "").split(",") if word]
USERS = 200  # distinct logged-in users per page, rotated by the connections


@dataclass
class Page:
    name: str
    lines: list  # (path, cookie, csrf, body) per user; body "" for a GET
    status: int = 200
    family: bool = False  # a family page: p99 must stay under 100 ms at 32 connections
    staff: bool = False  # a staff page or report: under 1 s for one user on the full data
    paced: bool = False  # keeps pace with the baseline: at least 0.66 of its requests/s
    reset: object = None  # called before the measured run (after the warm-up)


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
        state = next(
            (
                state
                for state in availability.family_exercise_states(family)
                if state.is_open and isinstance(state.exercise, ReflectionExercise)
            ),
            None,
        )
        if state is None:
            continue
        exercise = state.exercise
        entries |= Q(exercise=exercise, family=family, author=parent, is_joint=False)
        fields = exercise.answer_fields(family)
        body = (
            "&".join(f"answer_{key}=Autosave+{{edit}}+of+{key}" for key in fields)
            + "&version={version}"
        )
        lines.append(
            sessions.post(parent, reverse("logbook:entry", args=[family.pk, exercise.pk]), body)
        )

    def reset():
        LogbookEntry.objects.filter(entries).update(version=1)

    return Page("logbook autosave (POST)", lines, family=True, reset=reset)


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
            family=True,
        ),
        Page(
            "family dashboard",
            [sessions.get(p, reverse("family-dashboard")) for p in parents],
            family=True,
            paced=True,
        ),
        Page(
            "lesson page", [sessions.get(p, lesson.url) for p in parents], family=True, paced=True
        ),
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
                    for n in range(CONNECTIONS)
                ],
                staff=True,
            )
            for name, url_name in [
                ("coordinator late-courses report", "supervision_report_late_courses"),
                ("coordinator start page", "wagtailadmin_home"),
            ]
        ),
    ]


def run_wrk(url, page, workdir, seconds=DURATION, connections=CONNECTIONS):
    scenario = workdir / f"{abs(hash(page.name))}.tsv"
    scenario.write_text("".join("\t".join(line) + "\n" for line in page.lines))
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "load.lua"),
        url,
        "--",
        str(scenario),
        str(page.status),
        str(connections),
    ]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        raise SystemExit(f"wrk failed on {page.name}:\n{finished.stderr}")
    output = finished.stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


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
    baseline = results[0][1]["rps"]
    rows = [("page", "req/s", "p50 ms", "p99 ms", "errors", "× baseline", "p99 ms alone")]
    for page, result in results:
        rows.append(
            (
                page.name,
                f"{result['rps']:.0f}",
                f"{result['p50_ms']:.1f}",
                f"{result['p99_ms']:.1f}",
                str(result["errors"]),
                f"{result['rps'] / baseline:.2f}",
                f"{result['alone_p99_ms']:.1f}",
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
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
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
        workdir = Path(tmp)
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (kept open for gunicorn)
        server = start_gunicorn(log)
        try:
            wait_until_serving(server, log)
            url = f"http://127.0.0.1:{PORT}"
            results = []
            for page in measured:
                warm_up = Page(page.name, page.lines[:CONNECTIONS], page.status)
                run_wrk(url, warm_up, workdir, seconds=2)  # caches, connections, compiled code
                if page.reset:
                    page.reset()
                result = run_wrk(url, page, workdir)
                # wrk stops with a request of each connection still queued in gunicorn:
                # they drain at the rate just measured.
                time.sleep(CONNECTIONS / result["rps"] + 1)
                if page.reset:
                    page.reset()
                alone = run_wrk(url, page, workdir, seconds=ALONE_DURATION, connections=1)
                result["alone_p99_ms"] = alone["p99_ms"]
                result["errors"] += alone["errors"]
                for kind, count in alone["error_kinds"].items():
                    result["error_kinds"][kind] = result["error_kinds"].get(kind, 0) + count
                results.append((page, result))
                print(f"measured {page.name}: {result}", file=sys.stderr)
        finally:
            stop_gunicorn(server)
            log.close()
        print(
            f"\n{CONNECTIONS} connections, {DURATION} s a page, gunicorn {workers()} sync "
            f"workers, {os.cpu_count()} cores\n"
        )
        print(report(results))
        failed = check_targets(results)
        if failed:
            print("\nMissed: " + "; ".join(failed))
        return 1 if failed else 0


def check_targets(results):
    baseline = results[0][1]["rps"]
    failed = []
    for page, result in results:
        if result["errors"]:
            failed.append(f"{page.name}: {result['errors']} errors")
        if page.family and result["p99_ms"] >= 100:
            failed.append(f"{page.name}: p99 {result['p99_ms']:.0f} ms")
        if page.staff and result["alone_p99_ms"] >= 1000:
            failed.append(f"{page.name}: p99 {result['alone_p99_ms']:.0f} ms for one user")
    for page, result in results:
        if page.paced and result["rps"] < 0.66 * baseline:
            failed.append(f"{page.name}: {result['rps'] / baseline:.2f}x the baseline")
    return failed


if __name__ == "__main__":
    sys.exit(main())
