"""``make scale-check``: Opstart on two web hosts and two workers, shown to work as one site.

Started here, on this machine: Redis (``redis-server``, a port of its own), an
S3-compatible store (moto's server), an SMTP server (aiosmtpd, in this process), two
gunicorn "hosts" with the production settings, each in a working folder of its own
(nothing shared but PostgreSQL, Redis and the store), HAProxy in front of them, two
task workers and two schedulers. PostgreSQL is the one at ``SCALE_DATABASE_URL``.

The checks it prints: both hosts in the load balancer; an image uploaded through host A
renders through host B, and a video is served in parts; a family's autosave on A is
read on B; 200 reminders go out once while a worker is killed with ``kill -9`` and the
mail server refuses for 30 s; the nightly job runs once with two schedulers; idle
workers' CPU; Redis stopped and the site still serving. Exit status 1 if any check
fails. Logs of every process are kept in the working folder it names.

    python -m tests.ops.scale_check      # or: make scale-check
"""

import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import requests

from tests.ops.servers import free_port, start_smtp

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opstart_scale"
)
HOST = "opstart.test"
PASSWORD = "Opstart-demo-2026"
REMINDERS = 200
RUN = uuid.uuid4().hex[:6]

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'✓' if ok else '✗'} {name}{': ' + detail if detail else ''}", flush=True)


def note(text):
    print(f"  · {text}", flush=True)


class Site:
    """The processes of the deployment, stopped together at the end."""

    def __init__(self, stack, work):
        self.stack = stack
        self.work = work
        self.ports = {name: free_port() for name in ("proxy", "a", "b", "s3", "redis", "smtp")}
        self.processes = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "scale-check-" + uuid.uuid4().hex,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "BASE_URL": f"https://{HOST}",
            "SECURE_HSTS_SECONDS": "0",
            "AWS_STORAGE_BUCKET_NAME": "opstart-media",
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "scale-check",
            "AWS_SECRET_ACCESS_KEY": "scale-check",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.ports["smtp"]),
            "DEFAULT_FROM_EMAIL": "Opstart <noreply@opstart.test>",
            # Short enough for a run of minutes; production's are in the settings.
            "WORKER_HEARTBEAT_SECONDS": "2",
            "WORKER_HEARTBEAT_TIMEOUT_SECONDS": "10",
            "MAIL_RETRY_SECONDS": "5",
            "ACCESS_LOG": "0",
        }

    def folder(self, name):
        path = self.work / name
        (path / "media").mkdir(parents=True, exist_ok=True)
        return path

    def start(self, name, command, folder=None, **env):
        folder = folder or self.folder(name)
        log = open(self.work / f"{name}.log", "wb")  # noqa: SIM115 - closed with the site
        self.stack.callback(log.close)
        process = subprocess.Popen(
            command,
            cwd=folder,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        self.stack.callback(self.stop, name)
        return process

    def stop(self, name, sig=signal.SIGTERM):
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def manage(self, *args, folder="host-a", **env):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=self.folder(folder),
            env={**self.env, **env, **self.host_env(folder)},
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def host_env(self, folder):
        path = self.folder(folder)
        return {"STATIC_ROOT": str(path / "static"), "MEDIA_ROOT": str(path / "media")}

    def start_redis(self):
        self.start(
            "redis",
            ["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
        )
        wait_for(lambda: _redis_answers(self.ports["redis"]), 20, "Redis")

    def start_web(self, name):
        port = self.ports["a" if name == "host-a" else "b"]
        self.start(
            name,
            [str(BIN / "gunicorn"), "-c", "python:cms.gunicorn", "cms.wsgi"],
            BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
            **self.host_env(name),
        )
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60, name)

    def start_proxy(self):
        config = self.work / "haproxy.cfg"
        config.write_text(
            HAPROXY.format(proxy=self.ports["proxy"], a=self.ports["a"], b=self.ports["b"])
        )
        self.start("haproxy", ["haproxy", "-f", str(config), "-db"])
        wait_for(lambda: _answers(f"http://127.0.0.1:{self.ports['proxy']}/healthz"), 20, "proxy")

    def url(self, where, path):
        port = self.ports[{"A": "a", "B": "b", "proxy": "proxy"}[where]]
        return f"http://127.0.0.1:{port}{path}"


HAPROXY = """
global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend opstart
    bind 127.0.0.1:{proxy}
    http-request set-header X-Request-ID %[uuid()]
    default_backend web
backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz
    http-check expect status 200
    http-response set-header X-Served-By %s
    server host-a 127.0.0.1:{a} check inter 2s
    server host-b 127.0.0.1:{b} check inter 2s
"""


def _answers(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _redis_answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what} did not come up within {seconds} s")


class Browser:
    """A logged-in person against one host or another, as through the TLS proxy of a
    deployment (X-Forwarded-Proto), keeping cookies across hosts like one browser."""

    def __init__(self, site):
        self.site = site
        self.cookies = {}

    def request(self, method, where, path, **kwargs):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}{path}",
            "Origin": f"https://{HOST}",
            **kwargs.pop("headers", {}),
        }
        if "csrftoken" in self.cookies and method == "POST":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = requests.request(
            method,
            self.site.url(where, path),
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def log_in(self, where, email):
        """The login form; staff then type their authenticator's code (given them here)."""
        from cms.models import User
        from cms.signin.two_factor import requires_two_factor
        from tests.factories import authenticator, totp_code

        user = User.objects.get(email=email)
        device = authenticator(user) if requires_two_factor(user) else None
        self.request("GET", where, "/log-ind/")
        response = self.request(
            "POST", where, "/log-ind/", data={"username": email, "password": PASSWORD}
        )
        if device is not None and response.status_code == 302:
            response = self.request(
                "POST", where, "/log-ind/kode/", data={"code": totp_code(device)}
            )
        if response.status_code != 302:
            raise SystemExit(f"Logging in {email} on {where} failed ({response.status_code})")


def png(width, height):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 114, 188)).save(buffer, "PNG")
    return buffer.getvalue()


def check_load_balancer(site):
    served = set()
    for _ in range(10):
        response = requests.get(
            site.url("proxy", "/"), headers={"Host": HOST, "X-Forwarded-Proto": "https"}
        )
        served.add((response.status_code, response.headers.get("X-Served-By")))
    check(
        "HAProxy sends requests to both hosts, each healthy by /healthz",
        served == {(200, "host-a"), (200, "host-b")},
        ", ".join(f"{host}: {status}" for status, host in sorted(served, key=str)),
    )


def check_media(site, root_collection):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    admin = Browser(site)
    admin.log_in("A", "admin@opstart.example.dk")
    upload = admin.request(
        "POST",
        "A",
        "/admin/images/add/",
        data={"title": f"Skala {RUN}", "collection": root_collection},
        files={"file": (f"skala-{RUN}.png", png(640, 480), "image/png")},
    )
    image = get_image_model().objects.filter(title=f"Skala {RUN}").first()
    edit = admin.request("GET", "B", f"/admin/images/{image.pk}/") if image else None
    sources = re.findall(
        r'src="(http://127\.0\.0\.1:\d+/opstart-media/images/[^"]+)"', (edit.text if edit else "")
    )
    rendered = None
    if sources:
        from PIL import Image

        answer = requests.get(sources[0].replace("&amp;", "&"), timeout=10)
        rendered = Image.open(io.BytesIO(answer.content)).size if answer.ok else None
    check(
        "An image uploaded through host A renders through host B",
        upload.status_code == 302 and rendered is not None,
        f"upload on A {upload.status_code}, rendition made on B {rendered} from the S3 store",
    )

    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 400
    admin.request(
        "POST",
        "A",
        "/admin/documents/add/",
        data={"title": f"Video {RUN}", "collection": root_collection},
        files={"file": (f"video-{RUN}.mp4", video, "video/mp4")},
    )
    document = get_document_model().objects.filter(title=f"Video {RUN}").first()
    part = None
    if document is not None:
        redirect = admin.request("GET", "B", document.url)
        part = requests.get(
            redirect.headers.get("Location", ""), headers={"Range": "bytes=1000-1999"}, timeout=10
        )
    check(
        "A video uploaded through host A is served in parts through host B",
        part is not None and part.status_code == 206 and part.content == video[1000:2000],
        "B redirects to a signed address of the store, which answers Range with 206"
        if part is not None
        else "no document",
    )
    on_disk = [p for host in ("host-a", "host-b") for p in (site.work / host / "media").rglob("*")]
    check("Nothing was written to the hosts' own disks", on_disk == [], f"{len(on_disk)} files")


def check_autosave(site):
    family = Browser(site)
    family.log_in("A", "mette@familie.example.dk")
    index = family.request("GET", "A", "/logbog/").text
    text = f"Skrevet på vært A ({RUN})"
    for link in dict.fromkeys(
        re.findall(r'href="(/logbog/familie/\d+/ovelse/\d+/moede/\d+/)"', index)
    ):
        form = family.request("GET", "A", link)
        fields = re.findall(r'<textarea[^>]*name="(answer_[^"]+)"', form.text)
        if form.status_code != 200 or not fields:
            continue
        version = re.search(r'name="version"[^>]*value="(\d*)"', form.text)
        saved = family.request(
            "POST",
            "A",
            link,
            data={"version": version.group(1) if version else "", fields[0]: text},
            headers={"Accept": "application/json"},
        )
        on_b = family.request("GET", "B", link)
        check(
            "A family's autosave on host A is read on host B",
            saved.status_code == 200 and text in on_b.text,
            f"autosave on A answered {saved.json()}, B shows the text: {text in on_b.text}",
        )
        return
    check("A family's autosave on host A is read on host B", False, "no open exercise found")


def create_reminder_session():
    """A group supervision of 100 families (200 parents) tomorrow, its one-day reminder
    due now; the supervisor has reminders off, so exactly 200 go out."""
    import datetime

    from django.utils import timezone

    from cms.models import Municipality
    from supervision.models import CalendarPreferences
    from tests.factories import (
        CohortFactory,
        FosterFamilyFactory,
        FosterParentFactory,
        SupervisorFactory,
    )
    from tests.supervision.factories import GroupSupervisionFactory

    municipality, _ = Municipality.objects.get_or_create(
        slug=f"skala-{RUN}", defaults={"name": f"Skala Kommune {RUN}"}
    )
    families = [
        FosterFamilyFactory(
            municipality=municipality,
            parents=[
                FosterParentFactory(
                    municipality=municipality, email=f"forael-{RUN}-{n}-{p}@skala.example.dk"
                )
                for p in (1, 2)
            ],
        )
        for n in range(REMINDERS // 2)
    ]
    supervisor = SupervisorFactory(municipality=municipality, email=f"konsulent-{RUN}@skala.dk")
    CalendarPreferences.objects.create(user=supervisor, email_reminders=False)
    start = timezone.now() + datetime.timedelta(hours=23)
    session = GroupSupervisionFactory(
        cohort=CohortFactory(municipality=municipality, families=families),
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Rådhuset",
    )
    session.supervisors.add(supervisor)
    recipients = {p.email for f in families for p in f.parents.all()}
    return session, recipients


def check_reminders(site, smtp):
    from django_tasks_db.models import DBTaskResult

    from cms.operations.models import OutgoingMail
    from supervision.models import ReminderSent
    from supervision.tasks import send_session_reminder

    session, recipients = create_reminder_session()
    smtp.handler.received.clear()
    smtp.handler.delay = 0.05  # a mail server that takes its time: the run lasts a while
    killed = {}

    def chaos():
        from django.db import connection

        while len(smtp.handler.received) < 40:
            time.sleep(0.05)
        # Killed in the middle of a task: while it talks to the mail server.
        sending = DBTaskResult.objects.filter(
            status="RUNNING", worker_ids=["scale-worker-1"], task_path__endswith="deliver_mail"
        )
        while (task := sending.first()) is None:
            time.sleep(0.005)
        site.stop("worker-1", signal.SIGKILL)
        killed.update(at=len(smtp.handler.received), task=task.pk)
        while len(smtp.handler.received) < 100:
            time.sleep(0.05)
        smtp.handler.refuse("451 4.3.0 Try again later", seconds=30)
        connection.close()

    threading.Thread(target=chaos, daemon=True).start()
    started = time.monotonic()
    send_session_reminder.enqueue(session.pk, 24 * 3600, session.sequence)
    mails = OutgoingMail.objects.filter(recipient__email__in=recipients)

    def all_sent():
        return mails.filter(status=OutgoingMail.Status.SENT).count() == REMINDERS

    deadline = time.monotonic() + 420
    while not all_sent() and time.monotonic() < deadline:
        time.sleep(1)
    took = time.monotonic() - started

    received = [(to, mid) for to, mid, _subject in smtp.handler.received if to in recipients]
    by_recipient = {}
    for to, message_id in received:
        by_recipient.setdefault(to, set()).add(message_id)
    copies = len(received) - len(set(received))
    abandoned = DBTaskResult.objects.filter(pk=killed.get("task")).first()
    retried = mails.filter(attempts__gt=1).count()
    check(
        f"{REMINDERS} reminders sent once each (one Message-ID a person, recorded once), "
        "with a worker killed and the mail server refusing for 30 s",
        set(by_recipient) == recipients
        and all(len(ids) == 1 for ids in by_recipient.values())
        and all_sent()
        and ReminderSent.objects.filter(session=session).count() == REMINDERS,
        f"{len(by_recipient)} recipients, each one distinct e-mail; {REMINDERS} recorded "
        f"sent once; in {took:.0f} s",
    )
    check(
        "The task the killed worker was running was picked up again",
        abandoned is not None
        and abandoned.status == "SUCCESSFUL"
        and abandoned.worker_ids == ["scale-worker-1", "scale-worker-2"],
        f"worker 1 killed with kill -9 while sending (after {killed.get('at')} mails); its "
        f"task finished by {', then '.join(abandoned.worker_ids) if abandoned else '?'}",
    )
    note(
        f"the server refused {smtp.handler.refused} attempts for 30 s; {retried} mails were "
        "sent on a later attempt"
    )
    note(
        f"copies handed to the server a second time (the same e-mail, same Message-ID: the "
        f"kill fell between the server's OK and the commit): {copies}"
    )
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    check("No task failed", failed == 0, f"{failed} failed")


def check_scheduler(site):
    from django_tasks_db.models import DBTaskResult

    from cms.operations import scheduler
    from cms.operations.models import ScheduledRun

    jobs = {job.name: job for job in scheduler.jobs()}
    nightly = jobs["enforce-retention"]
    runs = ScheduledRun.objects.filter(job=nightly.name)
    tasks = DBTaskResult.objects.filter(task_path=nightly.task_path)
    check(
        "The nightly job ran once with two schedulers running",
        runs.count() == 1 and tasks.count() == 1 and tasks.get().status == "SUCCESSFUL",
        f"{runs.count()} run for {runs.first().slot:%d.%m %H:%M} (made up at start), "
        f"{tasks.count()} task, {tasks.first().status.lower()}",
    )
    minute = jobs["publish-scheduled-pages"]
    slots = ScheduledRun.objects.filter(job=minute.name).count()
    minute_tasks = DBTaskResult.objects.filter(task_path=minute.task_path).count()
    check(
        "The every-minute job ran once a minute",
        slots >= 2 and minute_tasks == slots,
        f"{slots} minutes, {minute_tasks} runs of Wagtail's scheduled publishing",
    )


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_idle_workers(site, seconds=30):
    from django_tasks_db.models import DBTaskResult

    def drained():
        return not (
            DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()
        )

    wait_for(drained, 300, "the queue to drain")
    pids = {name: site.processes[name].pid for name in ("worker-1", "worker-2")}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    used = {name: (cpu_seconds(pid) - before[name]) / seconds * 100 for name, pid in pids.items()}
    check(
        "Idle workers use next to no CPU",
        all(share < 1 for share in used.values()),
        ", ".join(f"{name} {share:.2f} % of a core" for name, share in used.items())
        + f" over {seconds} s",
    )


def check_redis_down(site):
    site.stop("redis")
    statuses = [
        requests.get(
            site.url("proxy", "/"), headers={"Host": HOST, "X-Forwarded-Proto": "https"}
        ).status_code
        for _ in range(6)
    ]
    health = requests.get(site.url("A", "/healthz")).json()
    site.start_redis()
    logged = sum(
        "Cache unreachable" in line
        for host in ("host-a", "host-b")
        for line in (site.work / f"{host}.log").read_text().splitlines()
    )
    check(
        "Redis stopped: the site keeps serving from the database",
        set(statuses) == {200} and health["cache"] == "unavailable" and logged >= 1,
        f"pages {sorted(set(statuses))}, /healthz {health['status']} "
        f"(cache {health['cache']}), {logged} log lines",
    )


def main():
    work = Path(tempfile.mkdtemp(prefix="opstart-scale-"))
    print(f"Working folder (logs of every process): {work}", flush=True)
    with ExitStack() as stack:
        site = Site(stack, work)
        os.environ.update(site.env)  # this process looks into the same database and store
        site.start_redis()
        site.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(site.ports["s3"])])
        wait_for(lambda: _answers(f"http://127.0.0.1:{site.ports['s3']}/moto-api/"), 30, "S3")
        import boto3

        boto3.client(
            "s3", endpoint_url=site.env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1"
        ).create_bucket(Bucket="opstart-media")
        smtp = start_smtp(port=site.ports["smtp"])
        stack.callback(smtp.stop)

        started = time.monotonic()
        site.manage("migrate", "--noinput")
        import django

        django.setup()
        from django.db import connection
        from django_tasks_db.models import DBTaskResult
        from wagtail.models import Collection

        from cms.operations.models import OutgoingMail, ScheduledRun

        # A fresh queue and schedule: this run's figures are this run's.
        for model in (DBTaskResult, ScheduledRun, OutgoingMail):
            model.objects.all().delete()
        collect = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
                cwd=site.folder(host),
                env={**site.env, **site.host_env(host)},
            )
            for host in ("host-a", "host-b")
        ]
        site.manage("seed_demo")
        for process in collect:
            process.wait()
        note(
            f"database migrated and seeded, static files collected per host: "
            f"{time.monotonic() - started:.0f} s"
        )

        for host in ("host-a", "host-b"):
            site.start_web(host)
        site.start_proxy()
        for number in (1, 2):
            site.start(
                f"worker-{number}",
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "db_worker",
                    "-v",
                    "1",
                    "--worker-id",
                    f"scale-worker-{number}",
                ],
            )
        for host in ("host-a", "host-b"):
            site.start(
                f"scheduler-{host[-1]}",
                [sys.executable, str(ROOT / "manage.py"), "run_scheduler"],
                folder=site.folder(host),
            )
        note("two hosts, HAProxy, two workers and two schedulers started")
        schedulers_started = time.monotonic()

        check_load_balancer(site)
        check_media(site, Collection.get_first_root_node().pk)
        check_autosave(site)
        measure_idle_workers(site)
        check_reminders(site, smtp)
        while time.monotonic() - schedulers_started < 130:  # two whole minutes at least
            time.sleep(2)
        check_scheduler(site)
        check_redis_down(site)
        health = requests.get(site.url("proxy", "/healthz"), headers={"Host": HOST}).json()
        note("/healthz through the proxy: " + json.dumps(health, ensure_ascii=False))
        connection.close()
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed", flush=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
