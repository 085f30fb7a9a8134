"""Lighthouse scores (mobile, its default) for the pages families land on, in es and ar."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench import throughput, tools

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "overview": "/{lang}/trials/{nct}/",
    "questionnaire": "prescreen",
    "contact form": "contact",
}


def score(command: Path, url: str, folder: Path, tries: int = 3) -> dict[str, int] | str:
    """Run Lighthouse (again if its trace fails); return each category's score, or why not."""
    for _ in range(tries):
        result = score_once(command, url, folder)
        if not isinstance(result, str):
            break
    return result


def score_once(command: Path, url: str, folder: Path) -> dict[str, int] | str:
    output = folder / "report.json"
    result = subprocess.run(
        [
            str(command),
            url,
            "--output=json",
            f"--output-path={output}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={tools.CHROMIUM_FLAGS}",
        ],
        env=os.environ | {"CHROME_PATH": tools.CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
    )
    if result.returncode or not output.exists():
        return f"failed: {result.stderr.strip().splitlines()[-1:] or result.returncode}"
    report = json.loads(output.read_text())
    failing = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    return scores | {"failing": failing}


def run() -> str:
    """Score each page that exists; return a Markdown section."""
    command = tools.lighthouse()
    head = ["## Lighthouse", ""]
    if command is None:
        return "\n".join([*head, "Lighthouse could not be installed (npm): not measured.", ""])
    paths = {
        name: pattern if pattern.startswith("/") else tools.routes_for(pattern)
        for name, pattern in PAGES.items()
    }
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'lighthouse.db'}"
        with tools.served("trialfinder:create_app()", tools.site_environment(database)) as base:
            for name, pattern in paths.items():
                for lang in ("es", "ar"):
                    if pattern is None:
                        rows.append((name, lang, "not available yet"))
                        continue
                    url = base + pattern.format(lang=lang, nct=throughput.NCT)
                    rows.append((name, lang, score(command, url, Path(folder))))
    return report(rows)


def report(rows: list) -> str:
    lines = [
        "## Lighthouse",
        "",
        "Lighthouse 12, mobile (its default: emulated phone, slow 4G, 4x CPU slowdown), Chromium",
        "headless, served by gunicorn on this machine. Target: 100 in every category.",
        "",
        "| page | lang | performance | accessibility | best practices | SEO | below 1 |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for name, lang, result in rows:
        if isinstance(result, str):
            lines.append(f"| {name} | {lang} | {result} | | | | |")
            continue
        values = " | ".join(str(result[category]) for category in CATEGORIES)
        lines.append(f"| {name} | {lang} | {values} | {', '.join(result['failing']) or '-'} |")
    return "\n".join(lines) + "\n"
