"""Page weight in a real browser: bytes on the wire (gzip) and requests, per page type."""

import tempfile
from pathlib import Path

from bench import throughput, tools

TARGET_BYTES, TARGET_REQUESTS = 35 * 1024, 4


def weigh(browser, url: str) -> tuple[int, int]:
    """Load a page with all its assets; return (bytes received for bodies, request count)."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    total = sum(request.sizes()["responseBodySize"] for request in finished)
    count = len(finished)
    context.close()
    return total, count


def run() -> str:
    """Weigh each page type in es and ar; return a Markdown section."""
    from playwright.sync_api import sync_playwright

    args = tools.CHROMIUM_FLAGS.split()
    rows = []
    paths = {"search results": "/{lang}/?q=leukemia", **throughput.page_paths()}
    paths |= {"privacy": "/{lang}/privacy", "not found (404)": "/{lang}/nothing-here"}
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'weight.db'}"
        with tools.served("trialfinder:create_app()", tools.site_environment(database)) as base:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=tools.CHROMIUM, args=args)
                for name, pattern in paths.items():
                    for lang in ("es", "ar"):
                        if pattern is None:
                            rows.append((name, lang, None))
                            continue
                        url = base + pattern.format(lang=lang, nct=throughput.NCT)
                        rows.append((name, lang, weigh(browser, url)))
                browser.close()
    return report(rows)


def report(rows: list) -> str:
    lines = [
        "## Page weight",
        "",
        "Chromium (Playwright), cold cache: body bytes as received (gzip) of the page and every",
        f"request it makes. Targets: at most {TARGET_BYTES // 1024} KB and {TARGET_REQUESTS} "
        "requests per page.",
        "",
        "| page | lang | KB (gzip) | requests | targets |",
        "|---|---|---:|---:|---|",
    ]
    for name, lang, result in rows:
        if result is None:
            lines.append(f"| {name} | {lang} | not available yet | | |")
            continue
        size, count = result
        met = size <= TARGET_BYTES and count <= TARGET_REQUESTS
        lines.append(
            f"| {name} | {lang} | {size / 1024:.1f} | {count} | {'met' if met else 'missed'} |"
        )
    return "\n".join(lines) + "\n"
