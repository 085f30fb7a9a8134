"""python -m bench (make bench): run every benchmark in turn, print and write BENCHMARKS.md."""

import os
import sys
import time
from datetime import date

from bench import (
    devserver,
    finder,
    lighthouse,
    machine,
    outbox,
    pageweight,
    questionnaire,
    scale,
    throughput,
    tools,
)

SECTIONS = {
    "throughput": throughput.run,
    "finder": finder.run,
    "scale": scale.run,
    "outbox": outbox.run,
    "questionnaire": questionnaire.run,
    "pageweight": pageweight.run,
    "lighthouse": lighthouse.run,
    "devserver": devserver.run,
}
INTRO = """# Benchmarks

Measured by `make bench` (`python -m bench`, scripts in `bench/`) on {day}; run it again to
replace this file. PostgreSQL rows appear when `TRIALFINDER_BENCH_POSTGRES_URL` (or the test
server's `TRIALFINDER_TEST_POSTGRES_URL`, e.g. `.ci/run make bench`) is set. The numbers are
this machine's, measured while other work may have been running on it (see the load average).

## Machine

{machine}
"""


def main(names: list[str]) -> None:
    chosen = names or list(SECTIONS)
    parts = [INTRO.format(day=date.today().isoformat(), machine=machine.describe())]
    for name in chosen:
        started = time.monotonic()
        print(f"bench: {name} ...", flush=True)
        parts.append(SECTIONS[name]())
        print(parts[-1], f"({time.monotonic() - started:.0f} s)\n", flush=True)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    parts.append(f"Load average when the run ended: {load}.\n")
    parts.append((tools.ROOT / "bench" / "NOTES.md").read_text(encoding="utf-8"))
    # Measured by `python -m bench.load` and the fault tests, not by this run: kept as written.
    parts.append((tools.ROOT / "bench" / "LOAD.md").read_text(encoding="utf-8"))
    if not names:  # a partial run is for trying things out; only a full one is recorded
        (tools.ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
        print("bench: wrote BENCHMARKS.md")


if __name__ == "__main__":
    main(sys.argv[1:])
