"""`make deploy-check`: the portal as a municipality runs it, on this machine, end to end.

Two gunicorn app servers on PostgreSQL and Redis behind Debian's nginx (``deploy/nginx/
fritidsportalen.conf`` itself, on loopback with a throw-away certificate), and the outbox worker:

1. a family applies for equipment with a photo of the receipt, and a guide signs in (password and
   code) and approves it — every request through nginx, which alternates between the servers;
   the worker sends the family's SMS;
2. a burst of requests while one app server is stopped: nginx sends each refused connection to
   the other one, so no request fails;
3. PostgreSQL is restarted: 5 s after it is back, no request fails.

It prints what it did and the figures, and exits 1 if anything failed. It creates (and drops) the
database ``deploy_check`` next to ``PORTAL_CHECK_DATABASE_URL``'s (default: the local test
server) and uses Redis database 15. It restarts the machine's PostgreSQL: run it alone.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyotp
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
APP_PORTS = (18001, 18002)
NGINX_PORT = 18443
BASE = f"https://127.0.0.1:{NGINX_PORT}"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CSS = re.compile(r"/static/css/portal\.css\?v=[0-9a-f]+")
REFERENCE = re.compile(r"[A-Z]{2}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}")


def say(text: str) -> None:
    print(text, flush=True)


class Failed(RuntimeError):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


# The machine: a database, a certificate, processes ----------------------------------------------


def database_urls() -> tuple[str, str]:
    """(the server's URL to create the database on, the check's database URL)."""
    admin = os.environ.get("PORTAL_CHECK_DATABASE_URL", "postgresql+psycopg://127.0.0.1:5432/test")
    return admin, make_url(admin).set(database="deploy_check").render_as_string(False)


def recreate_database(admin_url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "deploy_check" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "deploy_check"'))
    engine.dispose()


def drop_database(admin_url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "deploy_check" WITH (FORCE)'))
    engine.dispose()


def certificate(work: Path) -> Path:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem"),
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return work / "cert.pem"


def nginx_config(work: Path) -> Path:
    """The shipped site file on loopback: its ports and certificate replaced, nothing else."""
    site = (ROOT / "deploy" / "nginx" / "fritidsportalen.conf").read_text()
    for shipped, here in (
        ("127.0.0.1:8001", f"127.0.0.1:{APP_PORTS[0]}"),
        ("127.0.0.1:8002", f"127.0.0.1:{APP_PORTS[1]}"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{NGINX_PORT} ssl;"),
        ("/etc/ssl/fritidsportalen/fullchain.pem", str(work / "cert.pem")),
        ("/etc/ssl/fritidsportalen/privkey.pem", str(work / "key.pem")),
        ("/var/cache/nginx/fritidsportalen", str(work / "nginx-cache")),
    ):
        check(shipped in site, f"the nginx site file no longer has {shipped!r}")
        site = site.replace(shipped, here)
    (work / "site.conf").write_text(site)
    temp = work / "nginx-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/nginx-error.log;\nevents {{}}\n"
        "http {\n"
        "  log_format upstream '$request_method $uri $status $upstream_addr';\n"
        f"  access_log {work}/nginx-access.log upstream;\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
        f"  scgi_temp_path {temp}/scgi;\n"
        f"  include {work}/site.conf;\n}}\n"
    )
    subprocess.run(["nginx", "-t", "-c", str(work / "nginx.conf")], check=True, capture_output=True)
    return work / "nginx.conf"


class Processes:
    """The app servers, the worker and nginx, each logging to a file in ``work``."""

    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.work, self.env = work, env
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], **env: str) -> None:
        log = (self.work / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
        )

    def app_server(self, n: int) -> None:
        port = APP_PORTS[n]
        gunicorn = [str(BIN / "gunicorn"), "-c", "python:portal.gunicorn_conf"]
        self.start(f"app{n + 1}", gunicorn, PORTAL_BIND=f"127.0.0.1:{port}")
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), f"app server {n + 1}")

    def stop(self, name: str) -> None:
        process = self.running.pop(name)
        process.send_signal(signal.SIGTERM)  # gunicorn: finish what is in flight, then stop
        process.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5, verify=False).status_code == 200  # noqa: S501 - loopback
    except httpx.HTTPError:
        return False


def wait_until(ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise Failed(f"{what} did not come up within {seconds:.0f} s")


# A family and a guide, through nginx ----------------------------------------------------------


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


class Visitor:
    def __init__(self, cert: Path) -> None:
        self.client = httpx.Client(base_url=BASE, verify=str(cert), timeout=30)
        self.csrf = ""

    def get(self, url: str) -> httpx.Response:
        response = self.client.get(url)
        check(response.status_code == 200, f"GET {url}: {response.status_code}")
        if found := CSRF.search(response.text):
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str], **files: tuple[str, bytes, str]) -> str:
        # Over HTTPS the CSRF check also wants the page it came from, as a browser says.
        response = self.client.post(
            url,
            data={"csrf_token": self.csrf, **data},
            files=files or None,
            headers={"Referer": BASE + url},
        )
        check(response.status_code == 303, f"POST {url}: {response.status_code}")
        return response.headers["Location"]


#: The family's answers, step by step (a step with two posts: add a thing, then go on).
ANSWERS: dict[str, list[dict[str, str]]] = {
    "eligibility": [{"has_pass": "yes"}],
    "participant": [{"first_name": "Layla", "last_name": "Deploy"}],
    "birth-date": [{"day": "14", "month": "3", "year": "2015"}],
    "items": [{"description": "Fodboldstøvler", "price_kr": "400", "action": "add"},
              {"action": "continue"}],
    "paid": [{"already_paid": "paid"}],
    "receipts": [{"action": "upload"}, {"action": "continue"}],
    "relation": [{"relation": "parent"}],
    "contact": [{"phone": "20 12 34 56", "email": "", "language": "da"}],
    "postcode": [{"postcode": "7100"}],
    "message": [{"message": ""}],
}  # fmt: skip


def family_applies(cert: Path) -> str:
    family = Visitor(cert)
    family.get("/da/apply")
    url = family.post("/da/apply", {"kind": "equipment"})
    while not url.endswith("/check"):
        step = url.rsplit("/", 1)[1].split("?")[0]
        for answer in ANSWERS[step]:
            family.get(url)
            files = {}
            if answer.get("action") == "upload":
                files = {"files": ("kvittering.jpg", photo(), "image/jpeg")}
            url = family.post(url, answer, **files)
    family.get(url)
    sent = family.post(url, {})
    page = family.get(sent).text
    found = REFERENCE.search(page)
    check(found is not None, "no reference on the page after sending")
    assert found is not None
    return found.group(0)


def guide_approves(cert: Path, reference: str) -> None:
    from portal.demo import DEMO_PASSWORD_GUIDE, DEMO_TOTP_SECRET

    guide = Visitor(cert)
    guide.get("/da/staff/sign-in")
    code_url = guide.post(
        "/da/staff/sign-in",
        {"email": "guide@demo.fritidsportalen.dk", "password": DEMO_PASSWORD_GUIDE},
    )
    guide.get(code_url)
    guide.post(code_url, {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    page = guide.get(f"/da/staff/cases/{reference}").text
    check("kvittering.jpg" in page, "the photo is not on the case")
    photo_url = re.search(r'href="(/da/staff/cases/[^"]+/files/[^"]+)"', page)
    check(photo_url is not None, "no link to the photo")
    assert photo_url is not None
    for _ in range(4):  # from both servers: the bytes are in the database, not on one disk
        check(guide.client.get(photo_url.group(1)).content[:2] == b"\xff\xd8", "photo")
    guide.post(f"/da/staff/cases/{reference}/approve", {"amount_kr": "400"})


# Load -----------------------------------------------------------------------------------------


def burst(cert: Path, count: int, during: Callable[[], None] | None = None) -> Counter[str]:
    """``count`` GETs from 10 clients; ``during`` runs once a third of them are done."""
    urls = ["/da/activities", "/healthz", "/ar/activities/girls-cricket", "/da/"]
    outcomes: Counter[str] = Counter()
    done = threading.Semaphore(0)
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            status = httpx.get(BASE + urls[n % len(urls)], verify=str(cert), timeout=30)
            outcome = str(status.status_code)
        except httpx.HTTPError as error:
            outcome = type(error).__name__
        with lock:
            outcomes[outcome] += 1
        done.release()

    with ThreadPoolExecutor(max_workers=10) as pool:
        futures = [pool.submit(one, n) for n in range(count)]
        if during is not None:
            for _ in range(count // 3):
                done.acquire()
            during()
        for future in futures:
            future.result()
    return outcomes


def static_file(cert: Path, path: str) -> tuple[str, str]:
    """nginx's cache status and the Cache-Control of one static file, as a browser asks."""
    response = httpx.get(
        BASE + path, verify=str(cert), timeout=30, headers={"Accept-Encoding": "gzip"}
    )
    check(response.status_code == 200, f"GET {path}: {response.status_code}")
    return response.headers.get("X-Cache-Status", "-"), response.headers.get("Cache-Control", "")


def upstreams(work: Path) -> Counter[str]:
    """Requests per app server so far (the last one nginx tried for each)."""
    lines = (work / "nginx-access.log").read_text().splitlines()
    return Counter(line.rsplit(" ", 1)[1] for line in lines if line)


def app_requests(work: Path, uri: str) -> int:
    """Requests for ``uri`` that reached an app server (nginx answered the others from its
    cache: no upstream). Counted by path, so a line nginx writes late for another request
    (it logs after the last byte went out) is not counted with them."""
    lines = (work / "nginx-access.log").read_text().splitlines()
    return sum(1 for line in lines if f" {uri} " in line and not line.endswith(" -"))


def retried(work: Path) -> int:
    """Requests nginx sent on to the other server (``$upstream_addr`` names two)."""
    lines = (work / "nginx-access.log").read_text().splitlines()
    return sum(", " in line for line in lines)


@contextmanager
def step(title: str) -> Iterator[None]:
    started = time.monotonic()
    say(f"-- {title}")
    yield
    say(f"   done in {time.monotonic() - started:.1f} s")


def postgres_restart() -> float:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.monotonic() - started


def main() -> int:
    for program in ("nginx", "openssl", "pg_ctlcluster"):
        if shutil.which(program) is None:
            say(f"{program} is missing (make deploy-check installs nginx; PostgreSQL must run)")
            return 1
    work = Path(tempfile.mkdtemp(prefix="deploy-check-"))
    admin_url, url = database_urls()
    env = {
        **os.environ,
        "FLASK_APP": "portal",
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": "deploy-check-secret-key-of-enough-length-0123456789",
        "PORTAL_CPR_KEY": "deploy-check-cpr-key-of-enough-length-0123456789",
        "PORTAL_DATABASE_URL": url,
        "PORTAL_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "PORTAL_PROXY_HOPS": "1",
        "PORTAL_PUBLIC_URL": BASE,
        "PORTAL_WORKERS": "2",
    }
    processes = Processes(work, env)
    failures: list[str] = []
    try:
        with step("a new database, migrated, with the demo data"):
            recreate_database(admin_url)
            for command in (["db", "upgrade"], ["seed-demo"]):
                subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True,
                               capture_output=True)  # fmt: skip
        cert = certificate(work)
        config = nginx_config(work)
        with step("two app servers, the outbox worker and nginx"):
            processes.app_server(0)
            processes.app_server(1)
            processes.start("worker", [str(BIN / "flask"), "outbox", "work"])
            processes.start("nginx", ["nginx", "-c", str(config)])
            wait_until(lambda: answers(f"{BASE}/healthz"), "nginx")

        with step("a family applies with a photo; a guide approves (through nginx)"):
            reference = family_applies(cert)
            guide_approves(cert, reference)
            engine = create_engine(url)

            def sms_sent() -> bool:
                with engine.connect() as connection:
                    return bool(connection.execute(text(
                        "SELECT count(*) FROM outbox_message WHERE status = 'sent' "
                        "AND template = 'application_approved'"
                    )).scalar())  # fmt: skip

            wait_until(sms_sent, "the worker sending the approval SMS", 30)
            with engine.connect() as connection:
                status = connection.execute(
                    text("SELECT status FROM application WHERE reference = :r"),
                    {"r": reference},
                ).scalar()
            engine.dispose()
            check(status == "approved", f"{reference} is {status}")
            served = upstreams(work)
            say(f"   {reference} approved; requests per app server: {dict(served)}")
            for port in APP_PORTS:
                check(served[f"127.0.0.1:{port}"] > 5, f"app server {port} served too little")

        with step("static files: the app servers answer once, then nginx's cache"):
            css = CSS.search(Visitor(cert).get("/da/").text)
            check(css is not None, "the home page links no versioned portal.css")
            assert css is not None
            seen = [static_file(cert, css.group(0)) for _ in range(5)]
            from_app = app_requests(work, css.group(0).split("?")[0])
            say(
                f"   {css.group(0)}: {[status for status, _ in seen]}; "
                f"{from_app} of 5 reached an app server; Cache-Control: {seen[-1][1]}"
            )
            check([status for status, _ in seen[1:]] == ["HIT"] * 4, f"not cached: {seen}")
            check("immutable" in seen[-1][1], f"Cache-Control: {seen[-1][1]}")

        with step("300 requests while app server 1 stops"):
            outcomes = burst(cert, 300, during=lambda: processes.stop("app1"))
            say(f"   outcomes: {dict(outcomes)}; nginx retried {retried(work)} on the other")
            if set(outcomes) != {"200"}:
                failures.append(f"during the stop: {dict(outcomes)}")
            processes.app_server(0)

        with step("PostgreSQL restarts; 5 s later, 200 requests"):
            seconds = postgres_restart()
            say(f"   PostgreSQL restarted in {seconds:.1f} s")
            time.sleep(5)
            outcomes = burst(cert, 200)
            say(f"   outcomes: {dict(outcomes)}")
            if set(outcomes) != {"200"}:
                failures.append(f"after the database restart: {dict(outcomes)}")
    except (Failed, subprocess.CalledProcessError, httpx.HTTPError) as error:
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        processes.stop_all()
        drop_database(admin_url)
    if failures:
        say("FAILED: " + "; ".join(failures) + f" (logs in {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    say("deploy check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
