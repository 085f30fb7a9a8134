"""Contact submissions under load against gunicorn (`python -m bench.load --help`).

Starts a local aiosmtpd server and gunicorn on loopback ports, sends N contact submissions over
C concurrent connections the way a browser does (GET the form, read csrf_token, POST it with the
session cookie; CSRF stays on), then checks that every lead was stored and every email arrived
exactly once. Rate limits are off for the run. Prints a Markdown table row for BENCHMARKS.md.
"""

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from bench import tools

ROOT = Path(__file__).resolve().parent.parent
NCT = "NCT06709469"
FORM = f"/es/trials/{NCT}/contact"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Counting:
    """An SMTP handler that counts each Message-ID it accepts."""

    def __init__(self):
        self.ids: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = re.search(rb"^Message-ID: (\S+)", envelope.original_content, re.M | re.I)
        with self.lock:
            self.ids[found.group(1).decode() if found else "?"] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database(url: str | None, folder: Path) -> tuple[str, str]:
    """Return (URL the app uses, label): a fresh SQLite file, or a fresh PostgreSQL schema."""
    if not url:
        return f"sqlite:///{folder / 'load.db'}", "SQLite (WAL)"
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1)).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))  # a name made here, not from input
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}", "PostgreSQL"


def environment(database_url: str, smtp_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRIALFINDER_")}
    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": uuid.uuid4().hex,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
        "RATELIMIT_ENABLED": "false",  # one address sends everything: limits would refuse it
        **tools.PRIVACY,
    }
    return env | {f"TRIALFINDER_{name}": value for name, value in settings.items()}


def flask(env: dict, *args: str) -> str:
    """Run a `flask --app trialfinder` command; return what it printed."""
    command = [sys.executable, "-m", "flask", "--app", "trialfinder", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


def start_gunicorn(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    # One process creates the schema and imports the shipped trial first, as a deployment's
    # release step would, so that the workers do not all race to do it.
    flask(env, "outbox", "status")
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", args.worker_class]
    command += ["--threads", str(args.threads), "--log-level", "warning"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "trialfinder:create_app()"], env=env, cwd=ROOT, stdout=output, stderr=output
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def submit(port: int, n: int) -> tuple[float, str]:
    """Send one contact request as a browser would; return (seconds for the POST, outcome)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", FORM)
        page = connection.getresponse()
        html = page.read().decode()
        cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
        form = {
            "csrf_token": TOKEN.search(html).group(1),
            "first_name": f"Carga{n}",
            "last_name": "Prueba",
            "email": f"load{n}@example.com",
            "preferred_language": "es",
            "respondent": "child",
            "country": "ES",
            "postal_code": "28013",
            "message": f"Load test request {n}",
            "consent": "y",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        started = time.perf_counter()
        connection.request("POST", FORM, body=urlencode(form), headers=headers)
        answer = connection.getresponse()
        answer.read()
        elapsed = time.perf_counter() - started
        return elapsed, "ok" if answer.status == 303 else f"HTTP {answer.status}"
    except Exception as error:  # noqa: BLE001 - every failure is counted and named
        return 0.0, type(error).__name__
    finally:
        connection.close()


def stored(database_url: str) -> tuple[int, Counter]:
    """Return the number of leads and the outbox rows by status."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as connection:
        leads = connection.execute(text("SELECT count(*) FROM lead")).scalar_one()
        rows = connection.execute(
            text("SELECT status, count(*) FROM outbox_message GROUP BY status")
        )
        statuses = Counter(dict(rows.all()))
    engine.dispose()
    return leads, statuses


def run(args) -> dict:
    handler, smtp_port, web_port = Counting(), free_port(), free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    with tempfile.TemporaryDirectory() as folder:
        database_url, label = database(args.database_url, Path(folder))
        env = environment(database_url, smtp_port)
        log = Path(folder) / "gunicorn.log"
        server = start_gunicorn(args, env, web_port, log)
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(lambda n: submit(web_port, n), range(args.requests)))
            wall = time.perf_counter() - started
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        before_drain = sum(handler.ids.values())
        drained = flask(env, "outbox", "send")  # what the requests could not send, from cron
        time.sleep(1)
        leads, statuses = stored(database_url)
        server_errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
    smtp.stop()
    times = sorted(seconds for seconds, outcome in results if outcome == "ok")
    return {
        "database": label,
        "server": f"gunicorn {args.workers}×{args.worker_class}"
        + (f"×{args.threads}" if args.worker_class == "gthread" else ""),
        "submissions": args.requests,
        "concurrency": args.concurrency,
        "per_second": args.requests / wall,
        "p50_ms": 1000 * statistics.median(times) if times else 0,
        "p99_ms": 1000 * times[int(len(times) * 0.99) - 1] if times else 0,
        "errors": Counter(outcome for _s, outcome in results if outcome != "ok"),
        "server_errors": server_errors[:5],
        "stored": leads,
        "outbox": dict(statuses),
        "sent_during_run": before_drain,
        "drain": drained,
        "delivered": sum(handler.ids.values()),
        "unique": len(handler.ids),
        "duplicates": sum(n - 1 for n in handler.ids.values() if n > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TRIALFINDER_LOAD_DATABASE_URL"),
        help="an empty PostgreSQL database (postgresql://...); default: a fresh SQLite file",
    )
    result = run(parser.parse_args())
    for key, value in result.items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    errors = sum(result["errors"].values())
    print(
        f"| {result['database']} | {result['server']} | {result['submissions']} | "
        f"{result['concurrency']} | {result['per_second']:.0f} | {result['p50_ms']:.0f} | "
        f"{result['p99_ms']:.0f} | {errors} | {result['stored']} | {result['delivered']} | "
        f"{result['duplicates']} |"
    )
    expected = 2 * result["submissions"]
    ok = errors == 0 and not result["server_errors"] and result["stored"] == result["submissions"]
    ok = ok and result["unique"] == expected and result["duplicates"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
