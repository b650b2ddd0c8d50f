"""7. Snapshots: loading a record of 200 events from its events alone, and with a snapshot
taken every `interval` events (the load reads the last snapshot and what follows). The load
is timed at every size from 200 to 299 events and averaged, so each interval is seen with
every length of tail after its last snapshot.

The record is an aid fund (the one kind that gathers hundreds of events: a movement per
payment). Each interval also costs writes: a snapshot is a stored copy of the whole state.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any, ClassVar

from benchmarks.table import Row, timed
from casework.log import CaseLog
from casework.store import resolve
from domain.funds import AidFund

EVENTS, SIZES = 200, 100


def _load_time(path: Path, interval: int | None, loads: int) -> tuple[float, float]:
    """Mean load seconds over the sizes, and seconds to write EVENTS events, one save each."""

    class Log(CaseLog):
        is_snapshotting_enabled = interval is not None
        snapshotting_intervals: ClassVar[dict[type[Any], int]] = (
            {AidFund: interval} if interval else {}
        )

    if path.exists():
        path.unlink()
    log = Log(env=resolve(f"sqlite:///{path}").env)
    fund = AidFund(code="f", org="county", name="fund", at=_at(0), actor="bench")
    log.save(fund)

    def write(upto: int) -> None:
        for i in range(fund.version, upto):
            fund.contribute(amount=Decimal(1), source="drive", at=_at(i), actor="bench")
            log.save(fund)

    wrote = timed(lambda: write(EVENTS))
    key = AidFund.id_for("f")
    took = []
    for size in range(EVENTS, EVENTS + SIZES):
        write(size)
        assert log.repository.get(key).version == size
        took.append(median(timed(lambda: log.repository.get(key)) for _ in range(loads)))
    log.close()
    path.unlink()
    return sum(took) / len(took), wrote


def _at(i: int) -> Any:
    from datetime import UTC, datetime, timedelta
    return datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=i)


def run(tmp: Path, loads: int) -> list[Row]:
    bare, bare_write = _load_time(tmp / "snap-none.db", None, loads)
    rows = []
    for interval in (10, 50, 100, 200):
        took, wrote = _load_time(tmp / f"snap-{interval}.db", interval, loads)
        sizes = f"{EVENTS}–{EVENTS + SIZES - 1}"
        rows.append(Row("7", f"load a fund of {sizes} events, snapshot every {interval}",
                        took * 1e3, "no snapshots", bare * 1e3, "ms", "—", None,
                        f"writing the {EVENTS} events: {wrote / bare_write:.2f}× unsnapshotted"))
    return rows
