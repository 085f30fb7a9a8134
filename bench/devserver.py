"""`make run` with no settings: seconds from a contact request to its two .eml files."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from bench import tools

REQUESTS = 5  # the shipped rate limit lets one address send 5 a minute
NCT = "NCT06709469"
LEFT_OUT = {".git", ".venv", "instance", "__pycache__", ".pytest_cache", ".node", "screenshots"}


def start(clone: Path, port: int) -> subprocess.Popen:
    stamp = clone.parent / "installed"
    stamp.touch()  # this virtualenv is installed: `make` must not reinstall into it
    bin_dir = Path(sys.executable).parent
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TRIALFINDER_", "FLASK_"))
    }
    command = [
        "make",
        "--no-print-directory",
        "run",
        f"PORT={port}",
        f"BIN={bin_dir}",
        f"STAMP={stamp}",
    ]
    return subprocess.Popen(
        command, cwd=clone, env=environment, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def request_seconds(base: str, mailbox: Path, number: int) -> float:
    """Send one French contact request; return the seconds until both of its emails are files."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base}/fr/trials/{NCT}/contact", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    fields = {
        "csrf_token": token, "first_name": "Bench", "last_name": f"Family {number}",
        "email": f"family{number}@example.com", "preferred_language": "fr",
        "respondent": "child", "country": "ES", "postal_code": "28013",
        "message": "A benchmark request.", "consent": "y",
    }  # fmt: skip
    before = len(list(mailbox.glob("*.eml"))) if mailbox.exists() else 0
    started = time.monotonic()
    sent = opener.open(
        f"{base}/fr/trials/{NCT}/contact", urllib.parse.urlencode(fields).encode(), 30
    )
    if "/contact/sent/" not in sent.geturl():
        raise RuntimeError(f"the contact request was not accepted: {sent.geturl()}")
    while len(list(mailbox.glob("*.eml"))) < before + 2:
        if time.monotonic() - started > 30:
            return float("inf")
        time.sleep(0.01)
    return time.monotonic() - started


def run() -> str:
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "trialfinder"
        shutil.copytree(tools.ROOT, clone, ignore=lambda _d, names: LEFT_OUT & set(names))
        port = tools.free_port()
        server = start(clone, port)
        try:
            tools.wait_for(port, seconds=120)
            base, mailbox = f"http://127.0.0.1:{port}", clone / "instance" / "mailbox"
            seconds = [request_seconds(base, mailbox, n) for n in range(REQUESTS)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return (
        "## make run: a contact request to its emails\n\n"
        f"`make run` with no settings, in a copy of the repository; {REQUESTS} French contact "
        "requests, each timed from sending the form until both emails (staff, family copy) are "
        "`.eml` files in `instance/mailbox/` (goal: within 3 s).\n\n"
        f"| median | slowest |\n|---|---|\n"
        f"| {tools.percentile(seconds, 0.5):.3f} s | {max(seconds):.3f} s |\n"
    )
