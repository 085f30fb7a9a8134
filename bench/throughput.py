"""Requests per second: trialfinder against a bare Flask app, same gunicorn, same wrk."""

import re
import subprocess
import tempfile
from pathlib import Path

from . import tools

NCT = "NCT06709469"
WRK = ["-t2", "-c32", "-d10s", "--latency", "-H", "Accept-Encoding: gzip"]
PAGES = {
    "home": "/{lang}/",
    "overview": "/{lang}/trials/{nct}/",
    "FAQ": "/{lang}/trials/{nct}/faq",
    "questionnaire step": "prescreen",  # routes built in parallel: looked up at run time
    "contact form": "contact",
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str) -> dict:
    """Run wrk against one URL; return requests/s, p50 and p99 in ms, and errors."""
    output = subprocess.run(["wrk", *WRK, url], capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def ms(text: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(number) * UNITS[unit]

    return {
        "rps": rps,
        "p50": ms(latency["50"]),
        "p99": ms(latency["99"]),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def page_paths() -> dict[str, str | None]:
    """Return each page's path pattern, or None when that page does not exist yet."""
    found = {}
    for name, pattern in PAGES.items():
        found[name] = pattern if pattern.startswith("/") else tools.routes_for(pattern)
    return found


def run() -> str:
    """Measure the bare app, then trialfinder's pages in es and ar; return a Markdown section."""
    if not tools.apt_install("wrk", "wrk"):
        return "## Throughput\n\nwrk could not be installed: not measured.\n"
    with tools.served("bench.hello:app", tools.site_environment("sqlite://")) as base:
        floor = wrk(base + "/")
    rows = [("bare Flask hello", "-", floor)]
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'bench.db'}"
        with tools.served("trialfinder:create_app()", tools.site_environment(database)) as base:
            for name, pattern in page_paths().items():
                for lang in ("es", "ar"):
                    if pattern is None:
                        rows.append((name, lang, None))
                        continue
                    rows.append((name, lang, wrk(base + pattern.format(lang=lang, nct=NCT))))
    return report(floor, rows)


def report(floor: dict, rows: list) -> str:
    lines = [
        "## Throughput",
        "",
        "gunicorn, 2 sync workers; `wrk -t2 -c32 -d10s` with `Accept-Encoding: gzip`, on the same",
        "two cores as the server. Targets: at least 70% of the bare app's requests per second,",
        "p99 at most 25 ms.",
        "",
        "| page | lang | req/s | vs bare | p50 ms | p99 ms | targets |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for name, lang, result in rows:
        if result is None:
            lines.append(f"| {name} | {lang} | not available yet | | | | |")
            continue
        ratio = result["rps"] / floor["rps"]
        met = ratio >= 0.7 and result["p99"] <= 25 and not result["non_2xx"]
        verdict = "met" if met else "missed" + (" (errors)" if result["non_2xx"] else "")
        lines.append(
            f"| {name} | {lang} | {result['rps']:.0f} | {ratio:.0%} | {result['p50']:.1f} "
            f"| {result['p99']:.1f} | {verdict if name != 'bare Flask hello' else '-'} |"
        )
    return "\n".join(lines) + "\n"
