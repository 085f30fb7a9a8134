"""What the benchmarks need: wrk, lighthouse, a free port, a served app, percentiles."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "bench" / ".node"  # lighthouse is installed here, never globally
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]


def apt_install(command: str, package: str) -> str | None:
    """Return the path of a command, installing its Debian package once if it is missing."""
    if not shutil.which(command):
        print(f"bench: installing {package} with apt-get", flush=True)
        quiet = {
            "stdout": subprocess.DEVNULL,
            "env": os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
        }
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, **quiet)
    return shutil.which(command)


def lighthouse() -> Path | None:
    """Return the lighthouse command, installing the npm package into bench/.node if needed."""
    command = NODE / "node_modules" / ".bin" / "lighthouse"
    if not command.exists() and shutil.which("npm"):
        print("bench: installing lighthouse with npm into bench/.node", flush=True)
        NODE.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund", "lighthouse@12"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
    return command if command.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@contextmanager
def served(app: str, environment: dict[str, str]):
    """Serve a WSGI app with gunicorn (2 sync workers) on a free port; yield its base URL."""
    port = free_port()
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    try:
        wait_for(port)
        time.sleep(1)  # both workers up
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` (0..1) of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# An app built in this process serves as in production, which names who holds the data.
PRIVACY = {"DATA_CONTROLLER": "Benchmark hospital, 28046 Madrid", "DPO_EMAIL": "dpo@hospital.test"}


def site_environment(database_url: str, **settings: str) -> dict[str, str]:
    """Return the environment that serves trialfinder from a given database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRIALFINDER_")}
    environment |= {
        "TRIALFINDER_SECRET_KEY": "benchmark-only",
        # Served as in production, which refuses the shipped example address of La Paz.
        "TRIALFINDER_LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
        # and starts only when the privacy page can name the data controller and its DPO.
        **{f"TRIALFINDER_{name}": value for name, value in PRIVACY.items()},
        "TRIALFINDER_DATABASE_URL": database_url,
        "TRIALFINDER_MAILBOX_DIR": str(Path(database_url.removeprefix("sqlite:///")).parent),
    }
    return environment | {f"TRIALFINDER_{name}": value for name, value in settings.items()}


def routes_for(pattern: str) -> str | None:
    """Return the URL pattern ('/{lang}/...') of a GET page whose endpoint mentions `pattern`."""
    from trialfinder import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    for rule in app.url_map.iter_rules():
        if (
            pattern in rule.endpoint
            and "GET" in rule.methods
            and set(rule.arguments) <= {"lang", "nct_id"}
            and not rule.rule.startswith("/api/")
        ):
            return rule.rule.replace("<lang>", "{lang}").replace("<nct_id>", "{nct}")
    return None
