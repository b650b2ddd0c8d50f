"""5. The report query over the read model for a half-year of N cases.

The read model is filled by folding the events of generated cases straight into its tables
(one transaction), as the projection would, without storing the events first: the query
only reads the read model, and this keeps the default run short.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from statistics import median
from uuid import UUID

from eventsourcing.persistence import Tracking

from benchmarks.history import ORGS, Writer, _aid, _dispute
from benchmarks.table import Row, interleaved, timed
from casework import Casework
from casework.statistics.fold import Rows, fold
from casework.statistics.readmodel import PREFIX, SummaryTables
from domain.funds import AidFund

H1 = (date(2022, 1, 1), date(2022, 6, 30))


class Folder(Writer):
    """A writer whose flush folds the events into read-model rows instead of storing them."""

    rows: Rows
    seq: int = 0

    def flush(self) -> None:
        mapper = self.cw.log.mapper
        for record in self.pending.values():
            for e in record.collect_events():
                self.seq += 1
                stored = mapper.to_stored_event(e)
                fold(self.rows, UUID(str(stored.originator_id)).hex, self.seq, stored.topic,
                     json.loads(stored.state))
                self.events += 1
        self.pending.clear()


def fill(path: Path, cases: int, before: int = 0) -> int:
    """A read model of `cases` cases received in 2022H1, after `before` cases received at
    the same pace in the years before it (a longer history, the same period); returns how
    many events were folded."""
    if path.exists():
        path.unlink()
    with Casework(store=f"sqlite:///{path}") as cw:
        w = Folder(cw, random.Random(5))
        w.rows = Rows()
        pace = (datetime(2022, 6, 28, tzinfo=UTC) - datetime(2022, 1, 1, tzinfo=UTC)) / cases
        start = datetime(2022, 1, 1, tzinfo=UTC) - pace * before
        funds = {org: AidFund(code=f"{org}-aid", org=org, name=org, at=start, actor="bench")
                 for org in ORGS}
        for f in funds.values():
            f.contribute(amount=Decimal(10**9), source="allocation", at=start, actor="bench")
            w.add(f)
        at = start
        while w.cases < cases + before:
            org = w.rng.choice(ORGS)
            if w.rng.random() < 0.55:
                w.add(_dispute(w, org, at))
            else:
                _aid(w, org, at, funds[org], None)
            at += pace
        w.flush()
        cw.summaries.tables.write(w.rows, Tracking(SummaryTables.application_name, w.seq),
                                  cw.summaries.position)
        return w.events


GROUP_BY = (f"SELECT org, state, category, COUNT(*), SUM(workers) FROM {PREFIX}cases "
            "WHERE kind = 'dispute' AND received_at >= ? AND received_at < ? "
            "GROUP BY org, state, category")
SPAN = ("2022-01-01", "2022-07-01")
RAW = f"SELECT * FROM {PREFIX}cases WHERE received_at >= ? AND received_at < ?"


def measure(paths: tuple[Path, Path], rounds: int) -> dict[str, tuple[float, float]]:
    """Median seconds of the return (all bodies, one body) and of the cohort report on two
    read models, in alternation so that the machine's load hits both alike; and of a raw
    SELECT of the period's case rows and one GROUP BY over them on the second."""
    out: dict[str, tuple[float, float]] = {}
    with (Casework(store=f"sqlite:///{paths[0]}") as a,
          Casework(store=f"sqlite:///{paths[1]}") as b):
        for cw in (a, b):
            cw.report(*H1)  # warm: imports, statement cache, page cache
        out["all"] = interleaved(lambda: a.report(*H1), lambda: b.report(*H1), rounds)
        out["one"] = interleaved(lambda: a.report(*H1, org="county"),
                                 lambda: b.report(*H1, org="county"), rounds)
        wa, wb = (cw._window(*H1, None, None, None, None) for cw in (a, b))
        out["cohort"] = interleaved(lambda: a.summaries.cohort(wa),
                                    lambda: b.summaries.cohort(wb), max(3, rounds // 3))
    with sqlite3.connect(paths[1]) as c:
        raw = median(timed(lambda: c.execute(RAW, SPAN).fetchall()) for _ in range(rounds))
        group = median(timed(lambda: c.execute(GROUP_BY, SPAN).fetchall())
                       for _ in range(rounds))
        out["raw"] = (raw, raw)
        out["group"] = (group, group)
    c.close()
    return out


def run(path: Path, cases: int, rounds: int) -> list[Row]:
    small, big = path.with_suffix(".small.db"), path.with_suffix(".big.db")
    fill(small, cases // 10)
    fill(big, cases)
    m = measure((small, big), rounds)
    # The history: the same 2022H1 (a tenth of `cases`, about ten events a case) after one
    # and after nine half-years of cases at the same pace (about 200k and 1M events).
    cohort = cases // 10
    short = fill(small, cohort, before=cohort)
    long = fill(big, cohort, before=9 * cohort)
    h = measure((small, big), rounds)
    for p in (small, big):
        p.unlink()
    note = f"median of {rounds}, alternating"

    def bar(value: float, baseline: float) -> bool:
        return value <= 1.5 * baseline

    return [
        Row("5a", f"return, all bodies, half-year of {cases:,} cases", m["all"][1],
            "raw SELECT of the period's case rows", m["raw"][1], "s", "< 100 ms",
            m["all"][1] < 0.1, note),
        Row("5b", f"return, all bodies, half-year of {cases:,} cases", m["all"][1],
            "one GROUP BY over the period's disputes", m["group"][1], "s", "—", None, note),
        Row("5c", f"return, one body, half-year of {cases:,} cases", m["one"][1],
            "raw SELECT of the period's case rows", m["raw"][1], "s", "< 100 ms",
            m["one"][1] < 0.1, note),
        Row("5d", f"return, all bodies, {cases:,} cases", m["all"][1],
            f"same at {cases // 10:,} cases", m["all"][0], "s", "≤ 1.5×",
            bar(*m["all"][::-1]), note),
        Row("5e", f"return, one body, {cases:,} cases", m["one"][1],
            f"same at {cases // 10:,} cases", m["one"][0], "s", "≤ 1.5×",
            bar(*m["one"][::-1]), note),
        Row("5f", f"cohort report (on request), {cases:,} cases", m["cohort"][1],
            "raw SELECT of the period's case rows", m["raw"][1], "s", "—", None,
            "reads the cohort's rows"),
        Row("5g", f"cohort report, {cases:,} cases", m["cohort"][1],
            f"same at {cases // 10:,} cases", m["cohort"][0], "s", "∝ cohort", None, note),
        Row("5h", f"return, all bodies, {cohort:,} cases in 2022H1 of {long:,} events",
            h["all"][1], f"same period in {short:,} events", h["all"][0], "s", "≤ 1.5×",
            bar(*h["all"][::-1]), note),
        Row("5i", f"return, one body, {cohort:,} cases in 2022H1 of {long:,} events",
            h["one"][1], f"same period in {short:,} events", h["one"][0], "s", "≤ 1.5×",
            bar(*h["one"][::-1]), note),
        Row("5j", f"cohort report, {cohort:,} cases in 2022H1 of {long:,} events",
            h["cohort"][1], f"same period in {short:,} events", h["cohort"][0], "s", "≤ 1.5×",
            bar(*h["cohort"][::-1]), note),
    ]
