"""The live projection: folds new events into the read model, exactly once each.

It pulls (SQLite has no subscriptions): read the notifications after the tracked position,
fold a batch, write the batch's rows with its tracking record in one transaction. Run it
after commands (the facade does), from `casework project`, or in a separate process.
"""

from __future__ import annotations

from typing import Any, cast

from eventsourcing.persistence import IntegrityError, Tracking

from casework.log import CaseLog
from casework.statistics.figures import Report, Window, report
from casework.statistics.fold import BodyRow, CaseRow, fold, ids_needed
from casework.statistics.readmodel import (
    SQLiteSummaryRecorder,
    SummaryTables,
    postgres_recorder_class,
)


class CaseSummaries:
    """The per-case summary read model and the projection that keeps it current."""

    def __init__(self, log: CaseLog, *, postgres: bool) -> None:
        self.log = log
        recorder_class: type[Any] = (
            postgres_recorder_class() if postgres else SQLiteSummaryRecorder
        )
        self.tables: SummaryTables = cast(
            SummaryTables, log.tracking_recorder(recorder_class)
        )
        self.name = SummaryTables.application_name

    @property
    def position(self) -> int:
        return self.tables.max_tracking_id(self.name) or 0  # type: ignore[attr-defined]

    def catch_up(self, batch: int = 2000, limit: int | None = None) -> int:
        """Fold every event recorded since the last position; returns how many were folded."""
        read = self.log.payload_reader()
        done = 0
        while limit is None or done < limit:
            start = self.position
            size = batch if limit is None else min(batch, limit - done)
            notes = self.log.recorder.select_notifications(
                start=start, limit=size, inclusive_of_start=False
            )
            if not notes:
                break
            rows = self.tables.load(
                n.originator_id.hex for n in notes if ids_needed(n.topic)  # type: ignore[union-attr]
            )
            for n in notes:
                fold(rows, n.originator_id.hex, n.id, n.topic, read(n.state))  # type: ignore[union-attr]
            try:
                self.tables.write(rows, Tracking(self.name, notes[-1].id))
            except IntegrityError:
                continue  # another runner folded this batch first; read on from its position
            done += len(notes)
            if len(notes) < size:
                break
        return done

    def cases(
        self, kind: str, *, state: str | None = None, org: str | None = None
    ) -> list[CaseRow]:
        """Summaries of one kind of case, oldest first, after catching up."""
        self.catch_up()
        where, params = ["kind = ?"], [kind]
        for column, value in (("state", state), ("org", org)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows: list[CaseRow] = self.tables.select(
            "cases", "WHERE " + " AND ".join(where) + " ORDER BY received_at, number", params
        )
        return rows

    def report(self, w: Window) -> Report:
        """The figures for `w`, queried from the read model (after catching up)."""
        self.catch_up()
        org, cut = ([w.org] if w.org else []), [w.cut]
        by_org = " AND org = ?" if w.org else ""
        t = self.tables
        return report(
            t.select("cases", "WHERE (received_at >= ? AND received_at < ?"
                     " OR help_kind = 'monthly_subsidy')" + by_org, [w.lo, w.hi, *org]),
            t.select("deliveries", "WHERE at >= ? AND at < ?" + by_org,
                     [w.lo, w.flow_hi, *org]),
            t.select("fund_moves", "WHERE at < ?" + by_org, [*cut, *org]),
            t.select("register_moves", "WHERE at < ?" + by_org, [*cut, *org]),
            t.select("funds", "WHERE 1 = 1" + by_org, org),
            w,
            t.select("bodies"),
        )

    def bodies(self) -> list[BodyRow]:
        """Every registered union body, by code, after catching up."""
        self.catch_up()
        rows: list[BodyRow] = self.tables.select("bodies", "ORDER BY code")
        return rows
