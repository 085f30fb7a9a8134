"""`make run PORT=…` gives the site the address it serves, so emailed and shared links work."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str, env: dict | None = None) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        [make, "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def test_run_on_another_port_writes_links_with_that_port():
    commands = dry_run("PORT=8000")
    assert 'TRIALFINDER_BASE_URL="${TRIALFINDER_BASE_URL:-http://127.0.0.1:8000}"' in commands
    assert "--port 8000" in commands


def test_a_base_url_set_by_the_operator_wins():
    """The shell keeps a TRIALFINDER_BASE_URL already set: ${VAR:-default} only fills it in."""
    commands = dry_run("PORT=8000")
    line = next(line for line in commands.splitlines() if "TRIALFINDER_BASE_URL" in line)
    shell = shutil.which("sh")
    value = subprocess.run(
        [shell, "-c", line.split(" \\")[0].strip() + " sh -c 'echo \"$TRIALFINDER_BASE_URL\"'"],
        capture_output=True,
        text=True,
        env={"TRIALFINDER_BASE_URL": "https://trials.example.org", "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.strip()
    assert value == "https://trials.example.org"
