"""Outbox delivery rate: messages per second to a local aiosmtpd, one and two workers."""

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import finder, tools

MESSAGES = 1000


class Counter:
    """An SMTP server's handler that only counts what it accepts."""

    def __init__(self):
        self.count, self.lock = 0, threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def queue(url: str, port: int) -> None:
    from trialfinder import create_app
    from trialfinder.extensions import db
    from trialfinder.outbox.models import OutboxMessage

    settings = {"SECRET_KEY": "bench", "DATABASE_URL": url, "MAIL_SERVER": "127.0.0.1"}
    settings |= tools.PRIVACY
    app = create_app(settings | {"MAIL_PORT": port, "LEAD_EMAIL_OVERRIDE": "team@hospital.test"})
    with app.app_context():
        rows = [
            OutboxMessage(kind="bench", recipient=f"team{n}@hospital.invalid",
                          subject=f"Request {n}", body_text="A request.\n" * 20)
            for n in range(MESSAGES)
        ]  # fmt: skip
        db.session.add_all(rows)
        db.session.commit()
        db.engine.dispose()


def deliver(url: str, port: int, workers: int) -> float:
    """Queue MESSAGES, run `flask outbox send` in `workers` processes; return messages/s."""
    from aiosmtpd.controller import Controller

    counter = Counter()
    server = Controller(counter, hostname="127.0.0.1", port=port)
    server.start()
    try:
        queue(url, port)
        environment = tools.site_environment(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port))
        command = [sys.executable, "-m", "flask", "--app", "trialfinder", "outbox", "send"]
        started = time.perf_counter()
        processes = [
            subprocess.Popen(
                command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            for _ in range(workers)
        ]
        for process in processes:
            process.wait()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    if counter.count != MESSAGES:
        raise RuntimeError(f"{counter.count} of {MESSAGES} messages arrived")
    return MESSAGES / elapsed


def run() -> str:
    """Return a Markdown section with the delivery rates."""
    lines = [
        "## Outbox",
        "",
        f"{MESSAGES} queued messages delivered by `flask outbox send` processes to a local",
        "aiosmtpd that accepts everything; the time includes each process's start (about 1 s).",
        "",
        "| database | workers | messages/s |",
        "|---|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for workers in (1, 2):
            place = Path(folder) / str(workers)
            place.mkdir()
            with finder.databases(place) as found:  # fresh, empty databases
                for name, url in found:
                    rate = deliver(url, tools.free_port(), workers)
                    lines.append(f"| {name} | {workers} | {rate:.0f} |")
    return "\n".join(lines) + "\n"
