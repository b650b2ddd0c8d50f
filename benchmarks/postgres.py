"""6. PostgreSQL: commands per second from 1, 2 and 4 processes on distinct cases, and with
a quarter of the commands on shared records (two funds every process contributes to).

Runs in a fresh database created for the run and dropped after it. A lost race is a
`ConcurrentUpdate`; the worker counts it and retries, and the funds' balances must show
every contribution exactly once.
"""

from __future__ import annotations

import multiprocessing as mp
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from benchmarks.table import Row
from casework import Casework, ConcurrentUpdate

SHARED = ("shared-a", "shared-b")


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    import psycopg

    name = f"cw_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _work(url: str, cases: list[str], shared: int, start: float,
          out: mp.Queue) -> None:  # type: ignore[type-arg]
    cw = Casework(store=url, org="county")
    d, conflicts, done = cw.disputes, 0, 0
    time.sleep(max(0.0, start - time.time()))  # all processes begin together
    t = time.perf_counter()
    for i, n in enumerate(cases):
        d.accept(n, actor="m-01")
        d.start_mediation(n, mediator="m-02", actor="m-01")
        d.resolve(n, settled_amount="100", actor="m-02")
        done += 3
        if i < shared:
            while True:
                try:
                    cw.funds.contribute(SHARED[i % 2], amount="1", source="drive", actor="a-01")
                    break
                except ConcurrentUpdate:
                    conflicts += 1
            done += 1
    out.put((done, conflicts, time.perf_counter() - t))
    cw.close()


def _round(url: str, processes: int, per_process: int, shared: bool) -> tuple[float, int, int]:
    """Commands/s, conflicts and lost contributions for one run."""
    contributions = per_process // 4 if shared else 0
    cases_each = (per_process - contributions) // 3
    with Casework(store=url, org="county") as cw:
        before = {f: cw.funds.balance(f) for f in SHARED}
        batches = [[cw.disputes.receive(category="wages", workers=1, amount="100",
                                        channel="visit", employer="e", actor="m-01")
                    for _ in range(cases_each)] for _ in range(processes)]
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start = time.time() + 2.0
    procs = [ctx.Process(target=_work, args=(url, b, contributions, start, out))
             for b in batches]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    done = sum(r[0] for r in results)
    with Casework(store=url, org="county") as cw:
        gained = sum(cw.funds.balance(f) - before[f] for f in SHARED)
    lost = contributions * processes - int(gained)
    return done / max(r[2] for r in results), sum(r[1] for r in results), lost


def run(admin_url: str, per_process: int) -> list[Row]:
    rows = []
    with fresh_database(admin_url) as url:
        with Casework(store=url, org="county") as cw:
            for f in SHARED:
                cw.funds.open(f, name=f, actor="a-01")
                cw.funds.contribute(f, amount=Decimal(1), source="seed", actor="a-01")
        for shared in (False, True):
            one = 0.0
            for n in (1, 2, 4):
                rate, conflicts, lost = _round(url, n, per_process, shared)
                one = one or rate
                what = "¼ on shared funds" if shared else "distinct cases"
                note = f"{conflicts} conflicts retried, {lost} lost" if shared else ""
                rows.append(Row("6", f"PostgreSQL commands/s, {n} process(es), {what}", rate,
                                "1 process", one, "cmd/s", "none lost" if shared else "—",
                                (lost == 0) if shared else None, note))
    return rows
