"""Run every benchmark, print one table, write it as JSON.

    python -m benchmarks                 # default sizes: about three minutes on 2 cores
    python -m benchmarks --full          # the issue's sizes: 1,000,000-event histories
    python -m benchmarks --only 1,2,5    # a subset; sizes: see --help
    python -m benchmarks --only 8 --desk-cases 100000   # the desk under load, 100k cases
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import commands, desk, funds, postgres, projection, query, replay, snapshots
from benchmarks.history import generate
from benchmarks.table import Row, render, write

ADMIN_URL = (os.environ.get("CASEWORK_TEST_POSTGRES")
             or "postgresql://postgres@127.0.0.1:5432/postgres")


def machine() -> dict[str, str]:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"cpus": str(os.cpu_count()), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true",
                    help="large history of 1,000,000 events (default: --events)")
    ap.add_argument("--events", type=int, default=100_000,
                    help="large history for replay, memory and catch-up (default 100,000)")
    ap.add_argument("--small", type=int, default=10_000,
                    help="small history, the baseline for memory and catch-up (10,000)")
    ap.add_argument("--new", type=int, default=1_000, help="new events per catch-up (1,000)")
    ap.add_argument("--cases", type=int, default=100_000,
                    help="cases in the report query's half-year (100,000)")
    ap.add_argument("--commands", type=int, default=100,
                    help="cases per round of the command benchmark, 3 commands each (100)")
    ap.add_argument("--pg-commands", type=int, default=120,
                    help="commands per process on PostgreSQL (120)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of timed work (5)")
    ap.add_argument("--postgres", default=ADMIN_URL,
                    help="a server URL to create the benchmark database on; 'none' skips 6")
    ap.add_argument("--desk-cases", type=int, default=10_000,
                    help="cases behind the desk's load test, 8 (10,000; the issue: 100000)")
    ap.add_argument("--desk-rounds", type=int, default=40,
                    help="rounds of 4 requests per member of staff in 8 (40)")
    ap.add_argument("--only", default="1,2,3,4,5,6,7,8,9", help="which benchmarks to run")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results/latest.json")
    a = ap.parse_args(argv)
    only = set(a.only.split(","))
    large = 1_000_000 if a.full else a.events
    started = time.perf_counter()
    rows: list[Row] = []

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {name}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="casework-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if only & {"2", "3", "4"}:
            step(f"writing histories of {a.small:,} and {large:,} events")
            small_h = (tmp / "small.db", generate(tmp / "small.db", a.small))
            large_h = (tmp / "large.db", generate(tmp / "large.db", large))
        if "1" in only:
            step("1 command path")
            rows += commands.run(tmp, a.commands, a.rounds)
        if "2" in only:
            step("2 replay")
            rows += replay.speed(large_h[0], large_h[1], 1 if a.full else 3)
        if "3" in only:
            step("3 memory")
            rows += replay.memory(small_h, large_h)
        if "4" in only:
            step("4 catch-up")
            rows += projection.run(small_h, large_h, tmp, a.new, a.rounds)
        if "5" in only:
            step(f"5 report query over {a.cases:,} cases")
            rows += query.run(tmp / "query.db", a.cases, a.rounds * 2)
        if "6" in only and a.postgres != "none":
            step("6 PostgreSQL")
            rows += postgres.run(a.postgres, a.pg_commands)
        if "7" in only:
            step("7 snapshots")
            rows += snapshots.run(tmp, 3)
        if "8" in only:
            step(f"8 the desk: 20 staff on {a.desk_cases:,} cases")
            rows += desk.run(tmp, a.desk_cases, a.desk_rounds)
        if "9" in only:
            step("9 fund payments: 1,000 movements against 10")
            rows += funds.run(tmp, a.rounds * 6)
    took = time.perf_counter() - started
    step("done")
    print(render(rows))
    meta: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "seconds": round(took, 1),
        "argv": sys.argv[1:] if argv is None else argv, "machine": machine(),
    }
    write(rows, a.out, meta)
    print(f"\n{took:.0f} s on {meta['machine']['cpus']} × {meta['machine']['cpu']}; "
          f"written to {a.out}")
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
