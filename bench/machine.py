"""The machine and software the numbers were measured on."""

import os
import platform
import re
import subprocess
from importlib.metadata import version
from pathlib import Path


def cpu_model() -> str:
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return match.group(1).strip() if match else platform.processor() or "unknown"


def memory_gib() -> float:
    text = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 / 1024 if match else 0.0


def tool_version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    lines = (result.stdout or result.stderr).strip().splitlines()  # wrk --version exits with 1
    return lines[0] if lines else "?"


def postgres_version() -> str:
    servers = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    return tool_version([str(servers[-1]), "--version"]) if servers else "not installed"


def describe() -> str:
    """Return a Markdown list describing this machine."""
    import sqlite3

    packages = ["flask", "gunicorn", "sqlalchemy", "jinja2", "flask-compress", "psycopg"]
    return "\n".join(
        [
            f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {memory_gib():.0f} GiB",
            f"- System: {platform.platform()}; Python {platform.python_version()}",
            f"- SQLite {sqlite3.sqlite_version}; PostgreSQL: {postgres_version()}",
            "- " + ", ".join(f"{name} {version(name)}" for name in packages),
            f"- wrk: {tool_version(['wrk', '--version']).split(' Copyright')[0]};"
            f" Chromium: {tool_version(['/usr/bin/chromium', '--version'])}",
            f"- Load average when the run started: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        ]
    )
