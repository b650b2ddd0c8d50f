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

from benchmarks.history import ORGS, Writer, _aid, _dispute, times
from benchmarks.table import Row, timed
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


def fill(path: Path, cases: int) -> None:
    if path.exists():
        path.unlink()
    with Casework(store=f"sqlite:///{path}") as cw:
        w = Folder(cw, random.Random(5))
        w.rows = Rows()
        start = datetime(2022, 1, 1, tzinfo=UTC)
        funds = {org: AidFund(code=f"{org}-aid", org=org, name=org, at=start, actor="bench")
                 for org in ORGS}
        for f in funds.values():
            f.contribute(amount=Decimal(10**9), source="allocation", at=start, actor="bench")
            w.add(f)
        clock = times(cases * 5, 0.49, start)
        while w.cases < cases:
            at, org = next(clock), w.rng.choice(ORGS)
            if w.rng.random() < 0.55:
                w.add(_dispute(w, org, at))
            else:
                _aid(w, org, at, funds[org], None)
        w.flush()
        cw.summaries.tables.write(w.rows, Tracking(SummaryTables.application_name, w.seq),
                                  cw.summaries.position)


GROUP_BY = (f"SELECT org, state, category, COUNT(*), SUM(workers) FROM {PREFIX}cases "
            "WHERE kind = 'dispute' AND received_at >= ? AND received_at < ? "
            "GROUP BY org, state, category")


def measure(path: Path, cases: int, rounds: int) -> dict[str, float]:
    """Median seconds of the return (all bodies, one body), the cohort report, a raw SELECT
    of the period's case rows and one GROUP BY over them, all on the same read model."""
    fill(path, cases)
    out: dict[str, float] = {}
    with Casework(store=f"sqlite:///{path}") as cw:
        cw.report(*H1)  # warm: imports, statement cache, page cache
        out["all"] = median(timed(lambda: cw.report(*H1)) for _ in range(rounds))
        out["one"] = median(timed(lambda: cw.report(*H1, org="county")) for _ in range(rounds))
        out["cohort"] = median(timed(lambda: cw.summaries.cohort(
            cw._window(*H1, None, None, None, None))) for _ in range(max(1, rounds // 3)))
    with sqlite3.connect(path) as c:
        sql = f"SELECT * FROM {PREFIX}cases WHERE received_at >= ? AND received_at < ?"
        span = ("2022-01-01", "2022-07-01")
        out["raw"] = median(timed(lambda: c.execute(sql, span).fetchall()) for _ in range(rounds))
        out["group"] = median(timed(lambda: c.execute(GROUP_BY, span).fetchall())
                              for _ in range(rounds))
    c.close()
    path.unlink()
    return out


def run(path: Path, cases: int, rounds: int) -> list[Row]:
    small = measure(path, cases // 10, rounds)
    big = measure(path, cases, rounds)
    note = f"median of {rounds}"
    return [
        Row("5a", f"return, all bodies, half-year of {cases:,} cases", big["all"],
            "raw SELECT of the period's case rows", big["raw"], "s", "< 100 ms",
            big["all"] < 0.1, note),
        Row("5b", f"return, all bodies, half-year of {cases:,} cases", big["all"],
            "one GROUP BY over the period's disputes", big["group"], "s", "—", None, note),
        Row("5c", f"return, one body, half-year of {cases:,} cases", big["one"],
            "raw SELECT of the period's case rows", big["raw"], "s", "< 100 ms",
            big["one"] < 0.1, note),
        Row("5d", f"return, all bodies, {cases:,} cases", big["all"],
            f"same at {cases // 10:,} cases", small["all"], "s", "≤ 1.5×",
            big["all"] <= 1.5 * small["all"], note),
        Row("5e", f"return, one body, {cases:,} cases", big["one"],
            f"same at {cases // 10:,} cases", small["one"], "s", "≤ 1.5×",
            big["one"] <= 1.5 * small["one"], note),
        Row("5f", f"cohort report (on request), {cases:,} cases", big["cohort"],
            "raw SELECT of the period's case rows", big["raw"], "s", "—", None,
            "reads the cohort's rows"),
    ]
