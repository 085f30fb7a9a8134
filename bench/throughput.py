"""Requests per second: trialfinder against a bare Flask app, same gunicorn, same wrk."""

import re
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from bench import tools

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
# (share of the bare app's requests/s, p99 ms or None) each kind of page must reach.
READING_TARGET = (0.70, 25.0)
TARGETS = {
    "questionnaire step": (0.35, None),
    "contact form": (0.35, None),
    "overview, 304 revalidation": (0.80, None),
}


ROUNDS = 2  # other work shares the two cores: each figure is the better of two runs


def best(url: str, *headers: str) -> dict:
    """Run wrk ROUNDS times; return the least disturbed run (the most requests per second)."""
    return max((wrk(url, *headers) for _ in range(ROUNDS)), key=lambda result: result["rps"])


def bare() -> dict:
    """Measure the bare Flask app, served exactly like trialfinder."""
    with tools.served("bench.hello:app", tools.site_environment("sqlite://")) as base:
        return best(base + "/")


def wrk(url: str, *headers: str) -> dict:
    """Run wrk against one URL; return requests/s, p50 and p99 in ms, and errors."""
    extra = [part for header in headers for part in ("-H", header)]
    output = subprocess.run(["wrk", *WRK, *extra, url], capture_output=True, text=True).stdout
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
    before = bare()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'bench.db'}"
        with tools.served("trialfinder:create_app()", tools.site_environment(database)) as base:
            for name, pattern in page_paths().items():
                for lang in ("es", "ar"):
                    if pattern is None:
                        rows.append((name, lang, None))
                        continue
                    rows.append((name, lang, best(base + pattern.format(lang=lang, nct=NCT))))
            for lang in ("es", "ar"):
                url = base + PAGES["overview"].format(lang=lang, nct=NCT)
                tag = f"If-None-Match: {etag(url)}"
                rows.append(("overview, 304 revalidation", lang, best(url, tag)))
    # The bare figure before and after the pages: the better one, so no ratio is flattered.
    floor = max(before, bare(), key=lambda result: result["rps"])
    return report(floor, [("bare Flask hello", "-", floor), *rows])


def etag(url: str) -> str:
    """Return the ETag a browser asking for gzip keeps for a page."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        return response.headers["ETag"]


def verdict(name: str, ratio: float, result: dict) -> str:
    """Say whether a page met its target share of the bare app's rate (and p99)."""
    share, p99 = TARGETS.get(name, READING_TARGET)
    if result["non_2xx"]:
        return "missed (errors)"
    met = ratio >= share and (p99 is None or result["p99"] <= p99)
    target = f"≥ {share:.2f}×" + (f", p99 ≤ {p99:.0f} ms" if p99 else "")
    return f"{'met' if met else 'missed'} ({target})"


def report(floor: dict, rows: list) -> str:
    lines = [
        "## Throughput",
        "",
        "gunicorn, 2 sync workers; `wrk -t2 -c32 -d10s` with `Accept-Encoding: gzip`, on the same",
        "two cores as the server, the bare app measured in the same run (before and after the",
        f"pages; the better figure). Each figure is the better of {ROUNDS} runs. Targets: reading",
        "pages (home, overview, FAQ) at least 0.70× the bare app's requests per second with p99",
        "at most 25 ms; a 304 revalidation (`If-None-Match`) 0.80×; the form pages 0.35×.",
        "",
        "| page | lang | req/s | bare req/s | vs bare | p50 ms | p99 ms | targets |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, lang, result in rows:
        if result is None:
            lines.append(f"| {name} | {lang} | not available yet | | | | | |")
            continue
        ratio = result["rps"] / floor["rps"]
        met = verdict(name, ratio, result) if name != "bare Flask hello" else "-"
        lines.append(
            f"| {name} | {lang} | {result['rps']:.0f} | {floor['rps']:.0f} | {ratio:.2f}× "
            f"| {result['p50']:.1f} | {result['p99']:.1f} | {met} |"
        )
    return "\n".join(lines) + "\n"
