"""100,000 studies on PostgreSQL: import time as a sponsor would run it, then search times.

The studies are synthetic (bench/generate.py), written as the registry's search pages of 1,000
studies each and imported page by page with `services.import_file`, as `flask trials import
PAGE...` does. Then each kind of search is timed with `finder.find`, in several languages.
"""

import json
import os
import random
import tempfile
import time
from pathlib import Path

from bench import finder as finder_bench
from bench import generate, tools

TRIALS = int(os.environ.get("TRIALFINDER_BENCH_SCALE", 100_000))  # fewer to try it out
PAGE = 1_000  # studies per file: the registry's largest page
ROUNDS = 3
IMPORT_TARGET_S = 600
NEEDS_POSTGRES = "needs PostgreSQL (`.ci/run make bench`)."
SEARCH_TARGET_MS = 25
# A family's words in their language: the vocabulary of conditions makes them find English records.
WORDS = finder_bench.WORDS + ["leucemia", "leucémie", "لوكيميا", "VIH", "diabetes tipo 1", "asma"]


def write_pages(folder: Path) -> list[Path]:
    """Write the studies as pages of PAGE; return their paths."""
    rng = random.Random(6)
    paths = []
    for first in range(0, TRIALS, PAGE):
        studies = [generate.study(rng, number) for number in range(first, first + PAGE)]
        path = folder / f"page-{first // PAGE:03d}.json"
        path.write_text(json.dumps({"studies": studies}), encoding="utf-8")
        paths.append(path)
    return paths


def queries() -> dict[str, list[dict]]:
    kinds = finder_bench.queries()
    kinds["words"] = [{"q": words} for words in WORDS]
    return kinds


def measure(url: str, pages: list[Path]) -> tuple[float, dict[str, list[float]]]:
    """Import every page into an empty database; then time each kind of search."""
    from trialfinder import create_app
    from trialfinder.extensions import db
    from trialfinder.lib.geo import locate
    from trialfinder.trials import finder, search, services

    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "RATELIMIT_ENABLED": False}
        | {"LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test"}
        | tools.PRIVACY
    )
    times: dict[str, list[float]] = {}
    with app.app_context():
        started = time.perf_counter()
        for path in pages:
            services.import_file(path)
        services.keep_in_title_order()  # as `flask trials import` does once it has read all
        imported = time.perf_counter() - started
        for kind, arguments in queries().items():
            for round_ in range(ROUNDS + 1):  # round 0 warms up: a country's postal codes load
                for args in arguments:
                    with app.test_request_context("/es/"):
                        near = args.get("near")
                        started = time.perf_counter()
                        place = locate(args.get("country", ""), near, near) if near else None
                        age = search.parse_age(args.get("age"))
                        finder.find(args.get("q", ""), age, "", place)
                        took = (time.perf_counter() - started) * 1000
                        times.setdefault(kind if round_ else f"{kind}, first", []).append(took)
        db.engine.dispose()
    return imported, times


def run() -> str:
    """Generate and import 100,000 studies on PostgreSQL, then search; a Markdown section."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        pages = write_pages(Path(folder))
        generated = time.perf_counter() - started
        with finder_bench.databases(Path(folder)) as found:
            postgres = [url for name, url in found if name == "PostgreSQL"]
            if not postgres:
                return f"## 100,000 studies\n\nNot measured: {NEEDS_POSTGRES}\n"
            imported, times = measure(postgres[0], pages)
    return report(imported, times, generated)


def report(imported: float, times: dict[str, list[float]], generated: float) -> str:
    lines = [
        "## 100,000 studies (PostgreSQL)",
        "",
        f"{TRIALS:,} synthetic studies, written as {TRIALS // PAGE} registry pages of {PAGE:,} "
        f"({generated:.0f} s to write), imported page by page with `services.import_file` as "
        "`flask trials import` does (each page one transaction; the index gets the vocabulary of "
        f"conditions and every site's town). Then {ROUNDS} rounds of each query set through "
        "`finder.find` (count + the 20 shown), words including Spanish, French and Arabic ones, "
        "after one round that loads what a process loads once (a country's postal codes), "
        "shown apart as 'first'.",
        f"Targets: import at most {IMPORT_TARGET_S} s; search p95 at most {SEARCH_TARGET_MS} ms.",
        "",
        f"Import: {imported:.0f} s ({TRIALS / imported:,.0f} studies/s): "
        f"{'met' if imported <= IMPORT_TARGET_S else 'missed'}.",
        "",
        "| search | p50 ms | p95 ms | max ms | target |",
        "|---|---:|---:|---:|---|",
    ]
    for kind, values in times.items():
        p95 = tools.percentile(values, 0.95)
        target = (
            "(once per process)"
            if kind.endswith("first")
            else "met"
            if p95 <= SEARCH_TARGET_MS
            else "missed"
        )
        lines.append(
            f"| {kind} | {tools.percentile(values, 0.5):.1f} | {p95:.1f} | {max(values):.1f} "
            f"| {target} |"
        )
    return "\n".join(lines) + "\n"
