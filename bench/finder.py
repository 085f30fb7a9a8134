"""The finder over 10,000 synthetic trials: import time, then search times (p50, p95)."""

import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from bench import generate, tools

TRIALS = 10_000
ROUNDS = 8  # each query set is run this many times
WORDS = (
    "leukemia|lymphoma children|asthma|car-t|type 2 diabetes|glio|heart failure|myeloma|"
    "cystic fibrosis|vaccine|leuk|melanoma|mobile app|stroke|sickle cell|immunotherapy"
).split("|")
PLACES = [("ES", code) for code in "28001 08001 41001 46001 15001 33001 07001 35001 50001".split()]
PLACES += [("ES", "Zaragoza"), ("FR", "Paris"), ("PT", "Lisboa"), ("RO", "Bucharest")]
PLACES += [("IS", "Reykjavik"), ("EG", "Cairo")]


def queries() -> dict[str, list[dict]]:
    """Return the home-page searches of each kind, as query-string arguments."""
    rng = random.Random(6)
    return {
        "words": [{"q": words} for words in WORDS],
        "age": [{"age": str(age)} for age in range(0, 91, 6)],
        "distance": [{"country": country, "near": near} for country, near in PLACES],
        "words + age + distance": [
            {"q": words, "age": str(rng.randint(1, 80)), "country": "ES", "near": near}
            for words, (_country, near) in zip(WORDS, PLACES * 2, strict=False)
        ],
    }


@contextmanager
def databases(folder: Path) -> Iterator[list[tuple[str, str]]]:
    """Yield (name, URL) of each database to measure: SQLite, and PostgreSQL when given.

    PostgreSQL gets a schema of its own, dropped afterwards with what the migrations put in it
    (the `cube` extension among them), so the next run starts as empty as this one.
    """
    found = [("SQLite", f"sqlite:///{folder / 'finder.db'}")]
    server = os.environ.get("TRIALFINDER_BENCH_POSTGRES_URL") or os.environ.get(
        "TRIALFINDER_TEST_POSTGRES_URL"
    )
    if not server:
        yield found
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    found.append(("PostgreSQL", f"{server}{separator}options={quote(f'-csearch_path={schema}')}"))
    try:
        yield found
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def measure(url: str, studies: Path) -> dict:
    """Import the studies into a fresh database, then time every search twice over."""
    from trialfinder import create_app
    from trialfinder.extensions import db
    from trialfinder.lib.geo import locate
    from trialfinder.trials import finder, services
    from trialfinder.trials.search import parse_age

    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "RATELIMIT_ENABLED": False}
        | {"LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test"}
        | tools.PRIVACY
    )
    with app.app_context():
        started = time.perf_counter()
        services.import_file(studies)
        imported = time.perf_counter() - started
    client, result = app.test_client(), {"import": imported}
    for kind, arguments in queries().items():
        search, page = [], []
        for _round in range(ROUNDS):
            for args in arguments:
                with app.test_request_context("/es/"):
                    near = args.get("near")
                    started = time.perf_counter()
                    place = locate(args.get("country", ""), near, near) if near else None
                    finder.find(args.get("q", ""), parse_age(args.get("age")), "", place)
                    search.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                # 127.0.0.1: the host of the default base URL, the one host served outside tests
                answer = client.get("/es/", query_string=args, base_url="http://127.0.0.1")
                assert answer.status_code == 200
                page.append((time.perf_counter() - started) * 1000)
        result[kind] = (search, page)
    with app.app_context():
        db.engine.dispose()  # no connection left in the schema that is dropped next
    return result


def run() -> str:
    """Generate, import and search; return a Markdown section."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        studies = generate.write(TRIALS, Path(folder) / "studies.json")
        size = studies.stat().st_size / 1e6
        with databases(Path(folder)) as found:
            for name, url in found:
                rows.append((name, measure(url, studies)))
    return report(rows, size)


def report(rows: list, size: float) -> str:
    lines = [
        "## Finder at scale",
        "",
        f"{TRIALS:,} synthetic studies in the registry's v2 format ({size:.0f} MB, 1 to 8 sites",
        "each, 60% of sites in Spain), imported with `services.import_file` (one transaction).",
        "Search: `finder.find` (count + results, 20 shown); page: the whole home page through",
        f"Flask's test client (search + 20 cards + the form). {ROUNDS} rounds of each query set:",
        "the first round builds each results page, later rounds are served from the page store.",
        "Targets: import at most 60 s; search p95 at most 25 ms.",
        "",
        "| database | import s | search | search p50 ms | search p95 ms | page p50 ms "
        "| page p95 ms | targets |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for name, result in rows:
        imported = result.pop("import")
        for kind, (search, page) in result.items():
            p95 = tools.percentile(search, 0.95)
            verdict = "met" if p95 <= 25 and imported <= 60 else "missed"
            lines.append(
                f"| {name} | {imported:.1f} | {kind} | {tools.percentile(search, 0.5):.1f} "
                f"| {p95:.1f} | {tools.percentile(page, 0.5):.1f} "
                f"| {tools.percentile(page, 0.95):.1f} | {verdict} |"
            )
    return "\n".join(lines) + "\n"
