"""The live projection: folds new events into the read model, exactly once each.

It pulls (SQLite has no subscriptions): read the notifications after the tracked position,
fold a batch, write the batch's rows with its tracking record in one transaction. Run it
after commands (the facade does), from `casework project`, or in a separate process.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, cast

from eventsourcing.persistence import IntegrityError, Tracking

from casework.errors import InvalidInput
from casework.log import CaseLog
from casework.statistics.counters import Sums
from casework.statistics.figures import Cohort, Report, Window, flow_report, report
from casework.statistics.fold import (
    CASE_COLUMNS,
    BodyRow,
    Delivery,
    fold,
    ids_needed,
    local_day,
    reopened_as_of,
)
from casework.statistics.readmodel import (
    SQLiteSummaryRecorder,
    SummaryTables,
    postgres_recorder_class,
    zone_tag,
)
from domain import KINDS


class CaseSummaries:
    """The per-case summary read model and the projection that keeps it current."""

    def __init__(self, log: CaseLog, *, postgres: bool, tz: tzinfo) -> None:
        self.log, self.tz = log, tz
        base: type[Any] = postgres_recorder_class() if postgres else SQLiteSummaryRecorder
        tag = zone_tag(tz)
        if tag:  # counters are kept by local day: a read model per time zone
            base = type(base.__name__, (base,), {
                "names": base.names + tag,
                "application_name": f"{base.application_name}-{tag.rstrip('_')}"})
        self.tables: SummaryTables = cast(SummaryTables, log.tracking_recorder(base))
        self.name = self.tables.application_name
        self.day = local_day(tz)

    @property
    def position(self) -> int:
        with self.log.faults("cannot read the read model's position"):
            return self.tables.max_tracking_id(self.name) or 0  # type: ignore[attr-defined]

    def catch_up(self, batch: int = 2000, limit: int | None = None) -> int:
        """Fold every event recorded since the last position; returns how many were folded."""
        read = self.log.payload_reader()
        done = 0
        while limit is None or done < limit:
            start = self.position
            size = batch if limit is None else min(batch, limit - done)
            with self.log.faults("cannot read the store's events"):
                notes = self.log.recorder.select_notifications(
                    start=start, limit=size, inclusive_of_start=False
                )
            if not notes:
                break
            rows = self.tables.load(
                n.originator_id.hex for n in notes if ids_needed(n.topic)  # type: ignore[union-attr]
            )
            rows.day, rows.history = self.day, self.log.history
            for n in notes:
                fold(rows, n.originator_id.hex, n.id, n.topic, read(n.state))  # type: ignore[union-attr]
            try:
                self.tables.write(rows, Tracking(self.name, notes[-1].id), start)
            except IntegrityError:
                continue  # another runner folded this batch first; read on from its position
            done += len(notes)
            if len(notes) < size:
                break
        return done

    def cases(self, kind: str, **equal: str | None) -> list[Any]:
        """Summaries of one kind of case whose columns equal the given values (None: any),
        oldest first, after catching up; not the voided."""
        self.catch_up()
        where, params = ["kind = ? AND voided_at IS NULL"], [kind]
        for column, value in equal.items():
            if column not in CASE_COLUMNS and column not in ("state", "org"):
                raise ValueError(f"no column {column}")
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows: list[Any] = self.tables.select(
            "cases", "WHERE " + " AND ".join(where) + " ORDER BY received_at, number", params
        )
        return rows

    def delivered(self, kind: str, beneficiary: str, org: str, since: str) -> list[Delivery]:
        """Help of one kind delivered to a worker by a body since a moment."""
        self.catch_up()
        rows: list[Delivery] = self.tables.select(
            "deliveries", "WHERE kind = ? AND beneficiary = ? AND org = ? AND at >= ?",
            [kind, beneficiary, org, since])
        return rows

    def sums(self, w: Window, orgs: list[str] | None) -> Sums:
        """The counters summed over `w`'s parts for `orgs` (None: every body)."""
        return self.tables.sums(w.parts(self.tables.first_year()), orgs)

    def report(self, w: Window, *, cohort: bool = False) -> Report:
        """The period's return for `w` from the counters (after catching up), with the
        cohort's figures where asked for. A body no record names is an error."""
        self.catch_up()
        sums = self.sums(w, w.bodies)
        if not sums.known:
            raise InvalidInput({"org": f"no record names the body {w.org!r}"})
        return flow_report(sums, w, self.cohort(w, sums) if cohort else None)

    def cohort(self, w: Window, sums: Sums | None = None) -> Cohort:
        """Today's cohort figures for `w`: the rows of the cases received in the period
        (by the index on kind, or body, and time of receipt), and the period's money and
        the stocks at as_of from the counters (`sums`, if the caller has them)."""
        self.catch_up()
        if sums is None:
            sums = self.sums(w, w.bodies)
        kinds, orgs = sorted(KINDS), w.bodies or []
        where = (f"WHERE kind IN ({', '.join('?' for _ in kinds)})"
                 + (f" AND org IN ({', '.join('?' for _ in orgs)})" if orgs else "")
                 + " AND received_at >= ? AND received_at < ?")
        cases = self.tables.select("cases", where, [*kinds, *orgs, w.lo, w.hi])
        return report(reopened_as_of(cases, w.cut, self.log.history, local_day(w.tz)),
                      sums, w, self.tables.select("bodies"))

    def bodies(self) -> list[BodyRow]:
        """Every registered union body, by code, after catching up."""
        self.catch_up()
        rows: list[BodyRow] = self.tables.select("bodies", "ORDER BY code")
        return rows
