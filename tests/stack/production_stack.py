"""The production-like stack test (``make stack-test``; ``.ci/run`` runs it after ``make test``).

Run it under ``scripts/with-postgres.sh`` (it needs DATABASE_URL to name a throwaway
PostgreSQL) with Debian's nginx installed (``make system-deps``)::

    scripts/with-postgres.sh .venv/bin/python tests/stack/production_stack.py

It starts what docs/deployment.md describes, from the files in ``deploy/``:

- nginx terminating TLS with a throwaway self-signed certificate, its site rendered from
  ``deploy/nginx/alliance.conf.template`` (two upstreams), connecting to the app servers from
  127.0.0.2, the one address in TRUSTED_PROXIES;
- two app servers (``alliance serve --no-worker --no-setup``, as ``alliance-web@.service``)
  on two ports, and two workers (``alliance worker --schedule``, as ``alliance-worker@.service``).

Then, as a client on 127.0.0.3: a facilitator signs in with two-factor through nginx over
https; takes attendance through app server A (its port) and reads it through B; men check out
at the kiosk through nginx; a worker computes the evaluation; the client address is the one
nginx saw, and a forged X-Forwarded-For sent straight to an app server is logged with the real
peer; then one app server and one worker are killed (SIGKILL) while check-outs are being sent
and a worker is running a task, and the database shows nothing lost or duplicated: every
acknowledged check-out stored once, the killed worker's task given back and run exactly once,
the queue drained. Everything started is stopped afterwards, also on failure.

Exit status 0 only if every check held; each check prints one line.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PROXY_ADDRESS = "127.0.0.2"  # nginx connects to the app servers from here (trusted)
CLIENT_ADDRESS = "127.0.0.3"  # the browser's address, as nginx sees it
FORGED = "203.0.113.9"  # what a client claims in X-Forwarded-For
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DAILY_TASKS = ("flag_missed_measures_task", "send_reminders_task")


class StackFailure(AssertionError):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise StackFailure(what)
    print(f"ok  {what}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- a small browser: cookies, CSRF, a chosen source address -------------------------------


@dataclass
class Browser:
    host: str
    port: int
    tls: ssl.SSLContext | None
    source: str = "127.0.0.1"
    origin: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def _connection(self) -> http.client.HTTPConnection:
        if self.tls is not None:
            return http.client.HTTPSConnection(
                self.host, self.port, context=self.tls, source_address=(self.source, 0), timeout=60
            )
        return http.client.HTTPConnection(
            self.host, self.port, source_address=(self.source, 0), timeout=60
        )

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        connection = self._connection()
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            origin = self.origin or f"{'https' if self.tls else 'http'}://{sent['Host']}"
            sent.setdefault("Origin", origin)
            sent.setdefault("Referer", origin + path)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str, **kw: object) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path, **kw)  # type: ignore[arg-type]

    def post(
        self, path: str, data: dict[str, str], **kw: object
    ) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, data, **kw)  # type: ignore[arg-type]

    def pinned_to(self, port: int) -> Browser:
        """The same signed-in session, sent straight to one app server (plain http)."""
        return Browser("localhost", port, None, self.source, cookies=self.cookies)


def field_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    if not found:
        raise StackFailure(f"no {name} field in the page")
    return found.group(1)


# --- the stack -----------------------------------------------------------------------------


@dataclass
class Stack:
    work: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.work / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def alliance(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "alliance.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise StackFailure(f"alliance {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        """A quick read of the database from this process (polling), outside Django."""
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return list(connection.execute(statement).fetchall())

    def query(self, code: str) -> object:
        """Run Django code in a fresh process; the JSON of its ``result``."""
        script = f"import json\n{code}\nprint('RESULT=' + json.dumps(result, default=str))"
        out = self.alliance("shell", "-c", script)
        line = [row for row in out.splitlines() if row.startswith("RESULT=")][-1]
        return json.loads(line.removeprefix("RESULT="))


def wait_until(what: str, test: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if test():
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(1)
    raise StackFailure(f"timed out waiting for {what}")


def certificate(work: Path) -> tuple[Path, Path]:
    cert, key = work / "tls.crt", work / "tls.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_config(work: Path, listen: int, app_ports: list[int], cert: Path, key: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "render_nginx_site", ROOT / "scripts" / "render-nginx-site.py"
    )
    if spec is None or spec.loader is None:
        raise StackFailure("cannot load scripts/render-nginx-site.py")
    renderer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(renderer)
    prefix = work / "nginx"
    prefix.mkdir()
    site = renderer.render(
        {
            "SERVER_NAME": "localhost",
            "LISTEN": f"127.0.0.1:{listen}",
            "CERTIFICATE": str(cert),
            "KEY": str(key),
            "APP_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in app_ports),
            "STATIC_ROOT": str(work / "static") + "/",
            "PREFIX": str(prefix),
            "PROXY_BIND": f"proxy_bind {PROXY_ADDRESS};",
        }
    )
    (work / "site.conf").write_text(site, encoding="utf-8")
    main = work / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/nginx-error.log warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  include {work}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    tested = subprocess.run(
        [NGINX, "-t", "-c", str(main), "-p", str(prefix)], capture_output=True, text=True
    )
    if tested.returncode != 0:
        raise StackFailure(f"nginx -t refused the rendered site:\n{tested.stderr}")
    return main


def run(work: Path) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise StackFailure("DATABASE_URL must name a PostgreSQL (scripts/with-postgres.sh)")
    from cryptography.fernet import Fernet

    work.chmod(0o755)
    env = {
        **os.environ,
        "ALLIANCE_PARTNER_KEY": Fernet.generate_key().decode(),
        "ALLIANCE_PIN_KEY": secrets.token_urlsafe(32),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLIANCE_REQUIRE_SECRET": "1",
        "ALLOWED_HOSTS": "localhost",
        "TRUSTED_PROXIES": PROXY_ADDRESS,
        "ALLIANCE_TASKS_BACKEND": "database",
        "STATIC_ROOT": str(work / "static"),
        "SECURE_COOKIES": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        # Twelve hours away: no daily period starts during the test.
        "ALLIANCE_DAILY_JOBS_AT": f"{(time.gmtime().tm_hour + 12) % 24:02d}:00",
        "ALLIANCE_TIME_ZONE": "UTC",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    stack = Stack(work, env)
    fixture = work / "fixture.json"
    print(f"Building the database and the demo in {work} ...", flush=True)
    stack.alliance("migrate", "-v", "0")
    stack.alliance("collectstatic", "--noinput", "-v", "0")
    prepared = subprocess.run(
        [
            sys.executable, "-c",
            "import sys; from pathlib import Path; sys.path.insert(0, '.');"
            "from benchmarks.load.run_load import prepare;"
            f"prepare(Path({str(fixture)!r}), men=6, facilitators=2, sessions=3, demo=20)",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    if prepared.returncode != 0:
        raise StackFailure(f"building the demo failed:\n{prepared.stderr[-3000:]}")
    data = json.loads(fixture.read_text(encoding="utf-8"))
    cert, key = certificate(work)
    ports = [free_port(), free_port()]
    listen = free_port()
    conf = nginx_config(work, listen, ports, cert, key)
    try:
        for name, port in zip(("web-a", "web-b"), ports, strict=True):
            stack.start(
                name,
                [sys.executable, "-m", "alliance.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", "2", "--no-worker", "--no-setup"],
            )  # fmt: skip
        for n in (1, 2):
            stack.start(
                f"worker-{n}",
                [sys.executable, "-m", "alliance.cli", "worker", "--worker-id", f"stack-{n}",
                 "--interval", "0.5", "--schedule"],
            )  # fmt: skip
        stack.start("nginx", [NGINX, "-c", str(conf), "-p", str(work / "nginx")])
        exercise(stack, data, ports, listen, cert)
    finally:
        stack.stop_all()
    print("The production-like stack held: nothing lost, nothing duplicated.", flush=True)


def exercise(stack: Stack, data: dict, ports: list[int], listen: int, cert: Path) -> None:
    tls = ssl.create_default_context(cafile=str(cert))
    for port in ports:
        wait_until(
            f"app server on {port}",
            lambda p=port: Browser("localhost", p, None).get("/login/")[0] == 200,
            300,
        )
    site = Browser("localhost", listen, tls, CLIENT_ADDRESS)
    wait_until("nginx", lambda: site.get("/login/")[0] == 200, 60)

    # 1. Two-factor sign-in through nginx over https.
    from django_otp.oath import totp

    staff = data["facilitators"][0]
    status, _, page = site.get("/login/")
    status, headers, _ = site.post(
        "/login/",
        {
            "username": staff["username"],
            "password": staff["password"],
            "csrfmiddlewaretoken": field_value(page, "csrfmiddlewaretoken"),
        },
    )
    check(status == 302, "password accepted through nginx (https)")
    check("secure" in headers.get("set-cookie", "").lower(), "session cookie marked Secure")
    status, _, page = site.get("/two-factor/")
    status, _, _ = site.post(
        "/two-factor/",
        {
            "code": f"{totp(bytes.fromhex(staff['totp_key'])):06d}",
            "next": "/",
            "csrfmiddlewaretoken": field_value(page, "csrfmiddlewaretoken"),
        },
    )
    check(status == 302, "second factor accepted through nginx")
    status, _, _ = site.get("/")
    check(status == 200, "home page after two-factor sign-in")

    # 2. Attendance taken through app server A, read through app server B.
    a, b = site.pinned_to(ports[0]), site.pinned_to(ports[1])
    session_path = data["pages"]["sessions"][0]
    status, _, page = a.get(session_path)
    check(status == 200, f"session page from app server A ({session_path})")
    enrollment_id = int(re.findall(r"/attendance/(\d+)/", page)[0])
    status, _, _ = a.post(
        f"{session_path}attendance/{enrollment_id}/",
        {"mark": "late", "minutes_late": "37", "csrfmiddlewaretoken": a.cookies["csrftoken"]},
    )
    check(status in (200, 302), "attendance mark saved through app server A")
    status, _, page = b.get(session_path)
    check(status == 200 and "(37 min)" in page, "the mark is read back through app server B")
    session_id = int(session_path.strip("/").split("/")[-1])
    marks = stack.query(
        "from alliance.programs.models import Attendance\n"
        f"result = list(Attendance.objects.filter(session_id={session_id}, "
        f"enrollment_id={enrollment_id}).values_list('mark', 'minutes_late'))"
    )
    check(marks == [["late", 37]], "one attendance row, as marked")

    # 3. Client addresses: from X-Forwarded-For only via the trusted proxy.
    forged = {"X-Forwarded-For": FORGED}
    victim = data["facilitators"][1]["username"]
    for browser in (Browser("localhost", ports[0], None, "127.0.0.1"), site):
        _, _, page = browser.get("/login/")
        browser.post(
            "/login/",
            {
                "username": victim,
                "password": "not-the-password",
                "csrfmiddlewaretoken": field_value(page, "csrfmiddlewaretoken"),
            },
            headers=forged,
        )
    seen = stack.query(
        "from axes.models import AccessAttempt\n"
        f"result = sorted(set(AccessAttempt.objects.filter(username={victim!r})"
        ".values_list('ip_address', flat=True)))"
    )
    check(
        seen == sorted(["127.0.0.1", CLIENT_ADDRESS]),
        f"failed sign-ins logged from the real peers {seen} (direct: the peer; via nginx: the "
        f"client nginx saw), never the forged {FORGED}",
    )

    # 4. Check-outs at the kiosk through nginx; one app server and one worker killed mid-flow.
    marker_file = stack.work / "slow-marker.txt"
    stack.query(
        "from tests.stack.stack_tasks import slow_marker\n"
        f"result = str(slow_marker.enqueue({str(marker_file)!r}, 'once', 30).id)"
    )
    acknowledged: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def kiosk_men() -> None:
        for token in data["kiosks"]:
            for man in data["men"]:
                if stop.is_set():
                    return
                try:
                    key = check_out(listen, tls, token, man)
                except Exception as exc:  # reported below
                    failures.append(f"{man['enrollment']}: {exc}")
                    continue
                acknowledged.append(key)

    sender = threading.Thread(target=kiosk_men)
    sender.start()
    running = wait_for_running(stack, "tests.stack.stack_tasks.slow_marker")
    victim_worker = "worker-1" if running.startswith("stack-1-") else "worker-2"
    time.sleep(2)
    stack.kill("web-a")
    stack.kill(victim_worker)
    print(f"    killed app server A and {victim_worker} (it was running the slow task)", flush=True)
    sender.join(timeout=600)
    stop.set()
    check(not failures, f"every check-out acknowledged through nginx ({len(acknowledged)} sent)")
    check(len(acknowledged) == len(data["kiosks"]) * len(data["men"]), "no check-out skipped")

    # 5. An evaluation computed by a (surviving) worker.
    stack.query(
        "from alliance.outcomes.tasks import compute_evaluation_task\n"
        "from alliance.programs.models import Program\n"
        "result = str(compute_evaluation_task.enqueue("
        "program_ids=list(Program.objects.values_list('pk', flat=True))).id)"
    )

    # 6. The queue drains: the killed worker's task is given back and run once.
    def drained() -> bool:
        left = stack.sql(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')"
        )
        return left == [(0,)]

    wait_until("the queue to drain", drained, 240)
    tasks = stack.query(
        "from django_tasks_db.models import DBTaskResult\n"
        "result = {str(t.id): [t.task_path, t.status, t.worker_ids] for t in "
        "DBTaskResult.objects.all()}"
    )
    slow = [t for t in tasks.values() if t[0].endswith("slow_marker")]  # type: ignore[union-attr]
    check(
        len(slow) == 1 and slow[0][1] == "SUCCESSFUL" and len(slow[0][2]) == 2,
        f"the killed worker's task was given back and finished by the other ({slow[0][2]})",
    )
    lines = marker_file.read_text(encoding="utf-8").splitlines()
    check(lines == ["once"], "and it ran to completion exactly once")
    statuses = {t[1] for t in tasks.values()}  # type: ignore[union-attr]
    check(statuses == {"SUCCESSFUL"}, f"every task finished successfully ({len(tasks)} tasks)")
    snapshot = stack.query(
        "from alliance.outcomes.models import EvaluationSnapshot\n"
        "result = EvaluationSnapshot.objects.filter(computed_at__isnull=False).count()"
    )
    check(bool(snapshot), "the evaluation was computed and stored by a worker")
    daily = sorted(
        t[0]  # type: ignore[index]
        for t in tasks.values()  # type: ignore[union-attr]
        if t[0].endswith(("send_reminders_task", "flag_missed_measures_task"))  # type: ignore[index]
    )
    check(
        daily == [f"alliance.ops.tasks.{n}" for n in DAILY_TASKS],
        "each daily job enqueued once by the two workers' schedulers (and run)",
    )

    # 7. Nothing lost or duplicated in the check-outs.
    stored = stack.query(
        "from django.db.models import Count\n"
        "from alliance.measures.models import Administration\n"
        f"keys = {acknowledged!r}\n"
        "rows = Administration.objects.filter(submission_key__in=keys, status='complete')\n"
        "result = sorted(rows.values('submission_key').annotate(n=Count('id'))"
        ".values_list('n', flat=True))"
    )
    check(stored == [1] * len(acknowledged), "every acknowledged check-out stored exactly once")
    status, _, _ = site.get("/")
    check(status == 200, "the site still answers through nginx with one app server gone")


def wait_for_running(stack: Stack, path: str) -> str:
    found: list[str] = []

    def running() -> bool:
        rows = stack.sql(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
            f"WHERE task_path = '{path}' AND status = 'RUNNING'"
        )
        found[:] = [ids[-1] for (ids,) in rows]  # type: ignore[index]
        return bool(found)

    wait_until(f"{path} to be running", running, 180)
    return found[0]


def check_out(listen: int, tls: ssl.SSLContext, token: str, man: dict) -> str:
    """One man's kiosk check-out through nginx; retried with the same key on an error, as the
    kiosk page does. Returns the key once the thank-you page arrived."""
    browser = Browser("localhost", listen, tls, CLIENT_ADDRESS)
    roster = f"/kiosk/{token}/"
    pin_url = f"{roster}man/{man['enrollment']}/"
    checkout = f"{roster}checkout/"
    key, posted = "", {}
    for attempt in range(6):
        try:
            status, _, page = browser.get(pin_url)
            if status != 200:
                raise StackFailure(f"PIN page HTTP {status}")
            status, _, _ = browser.post(
                pin_url,
                {
                    "csrfmiddlewaretoken": field_value(page, "csrfmiddlewaretoken"),
                    "pin": man["pin"],
                },
            )
            if status != 302:
                raise StackFailure(f"kiosk sign-in HTTP {status}")
            status, _, form = browser.get(checkout)
            key = field_value(form, "key")
            items = sorted(set(re.findall(r'name="item_([a-z0-9_]+)"', form)))
            posted = {
                "csrfmiddlewaretoken": field_value(form, "csrfmiddlewaretoken"),
                "key": key,
                **{f"item_{item}": "7" for item in items},
            }
            break
        except (OSError, http.client.HTTPException, StackFailure):
            if attempt == 5:
                raise
            time.sleep(2)
    # Once the form is his, a lost reply is answered by sending the same key again.
    status = 0
    for retry in range(8):
        try:
            status, _, reply = browser.post(checkout, posted)
            if status == 200 and "Thank you" in reply:
                return key
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(1 + retry)
    raise StackFailure(f"check-out {key} not acknowledged (last HTTP {status})")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="alliance-stack-"))
    started = time.monotonic()
    try:
        run(work)
    except StackFailure as failure:
        print(f"FAIL {failure}", file=sys.stderr, flush=True)
        print(f"Logs kept in {work}", file=sys.stderr)
        return 1
    print(f"Stack test passed in {time.monotonic() - started:.0f} s.", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
