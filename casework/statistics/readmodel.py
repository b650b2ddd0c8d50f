"""The read model's tables, kept in the event store's own database next to its tracking row.

A recorder subclass of the library's tracking recorder (SQLite or PostgreSQL) writes a
batch's rows and its tracking position in one transaction, so each event is counted once,
and a projection killed half-way resumes from the last position it committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteTrackingRecorder

from casework.statistics.fold import (
    CaseRow,
    Delivery,
    FundMove,
    FundRow,
    RegisterMove,
    Rows,
    WorkerRow,
)

#: Bump when a row's shape changes: the new tables fill again from the event log, the
#: old ones can be dropped. The read model is disposable; the events are the record.
VERSION = 3  # 3: a case's columns come from the kinds' declarations (see SHAPE)

ROW_TABLES: dict[str, type[Any]] = {
    "cases": CaseRow,
    "funds": FundRow,
    "workers": WorkerRow,
    "deliveries": Delivery,
    "fund_moves": FundMove,
    "register_moves": RegisterMove,
}
KEYED = {"cases": "id", "funds": "id", "workers": "id"}

#: The tables' shape, as a short digest in their names: a kind, a state or a summary column
#: added to the model is a new shape, whose tables fill again from the event log.
SHAPE = hashlib.sha256(repr([(t, [(f.name, str(f.type)) for f in fields(r)])
                             for t, r in ROW_TABLES.items()]).encode()).hexdigest()[:8]
#: The read model's tables are named PREFIX + table.
PREFIX = f"cw{VERSION}_{SHAPE}_"
INDEXES = [
    "CREATE INDEX IF NOT EXISTS {n}cases_received ON {t}cases (kind, received_at)",
    # The desk's caseloads and lists: the open cases of a kind, of some bodies.
    "CREATE INDEX IF NOT EXISTS {n}cases_open ON {t}cases (kind, state, org, received_at, number)",
    "CREATE INDEX IF NOT EXISTS {n}deliveries_at ON {t}deliveries (at)",
    "CREATE INDEX IF NOT EXISTS {n}fund_moves_at ON {t}fund_moves (at)",
    "CREATE INDEX IF NOT EXISTS {n}register_moves_at ON {t}register_moves (at)",
]


def _ddl(table: str, row: type[Any], big_int: str, text: str) -> str:
    cols = []
    for f in fields(row):
        numeric = f.type is int or str(f.type).startswith("int")
        sqltype = big_int if f.name == "seq" else ("INTEGER" if numeric else text)
        cols.append(f"{f.name} {sqltype}")
    key = KEYED.get(table, "seq")
    return f"CREATE TABLE IF NOT EXISTS {{t}}{table} ({', '.join(cols)}, PRIMARY KEY ({key}))"


class SummaryTables:
    """SQL shared by both dialects; subclasses say how to name tables and bind values."""

    application_name = f"casework-summaries-v{VERSION}-{SHAPE}"
    prefix = ""
    param = "?"
    big_int = "INTEGER"
    #: Times are UTC ISO strings compared as text: the comparison must be bytewise.
    text = "TEXT"

    def _sql(self, statement: str) -> str:
        statement = statement.replace("{t}", self.prefix + PREFIX).replace("{n}", PREFIX)
        return statement if self.param == "?" else statement.replace("?", self.param)

    def summary_ddl(self) -> list[str]:
        tables = [_ddl(name, row, self.big_int, self.text) for name, row in ROW_TABLES.items()]
        return [self._sql(s) for s in [*tables, *INDEXES]]

    def _transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)  # type: ignore[attr-defined]

    def write(self, rows: Rows, tracking: Tracking) -> None:
        """Upsert the touched rows, append the moves, advance tracking: all or nothing."""
        with self._transaction(commit=True) as c:
            for table, keyed in (("cases", rows.cases), ("funds", rows.funds),
                                 ("workers", rows.workers)):
                touched = [astuple(r) for k, r in keyed.items() if k in rows.touched]
                if touched:
                    c.executemany(self._upsert(table), touched)
            for table, moves in (("deliveries", rows.deliveries),
                                 ("fund_moves", rows.fund_moves),
                                 ("register_moves", rows.register_moves)):
                if moves:
                    c.executemany(self._insert(table), [astuple(m) for m in moves])
            self._insert_tracking(c, tracking)  # type: ignore[attr-defined]

    def _insert(self, table: str) -> str:
        names = [f.name for f in fields(ROW_TABLES[table])]
        marks = ", ".join("?" for _ in names)
        return self._sql(f"INSERT INTO {{t}}{table} ({', '.join(names)}) VALUES ({marks})")

    def _upsert(self, table: str) -> str:
        names = [f.name for f in fields(ROW_TABLES[table])]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
        return self._insert(table) + self._sql(
            f" ON CONFLICT (id) DO UPDATE SET {updates}"
        )

    def load(self, ids: Iterable[str]) -> Rows:
        """The keyed rows a batch of events will update."""
        wanted = list(set(ids))
        rows = Rows()
        if not wanted:
            return rows
        with self._transaction(commit=False) as c:
            for table, target in (("cases", rows.cases), ("funds", rows.funds),
                                  ("workers", rows.workers)):
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    marks = ", ".join("?" for _ in chunk)
                    c.execute(self._sql(f"SELECT * FROM {{t}}{table} WHERE id IN ({marks})"),
                              chunk)
                    for r in c.fetchall():
                        row = _row(ROW_TABLES[table], r)
                        target[row.id] = row
        return rows

    def select(self, table: str, where: str = "", params: Sequence[Any] = ()) -> list[Any]:
        """Rows of one table as their dataclass, filtered by a WHERE clause."""
        row_type = ROW_TABLES[table]
        names = ", ".join(f.name for f in fields(row_type))
        sql = self._sql(f"SELECT {names} FROM {{t}}{table} {where}")
        with self._transaction(commit=False) as c:
            c.execute(sql, list(params))
            return [row_type(*tuple(r.values()) if isinstance(r, dict) else tuple(r))
                    for r in c.fetchall()]


def _row(row_type: type[Any], r: Any) -> Any:
    return row_type(**{f.name: r[f.name] for f in fields(row_type)})


class SQLiteSummaryRecorder(SummaryTables, SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.summary_ddl()]


def postgres_recorder_class() -> type[Any]:
    """The PostgreSQL twin, built only where the postgres extra is installed."""
    from eventsourcing.postgres import PostgresTrackingRecorder
    from psycopg.sql import SQL

    class PostgresSummaryRecorder(SummaryTables, PostgresTrackingRecorder):
        param = "%s"
        big_int = "BIGINT"
        text = 'TEXT COLLATE "C"'  # a locale's collation would not order ISO times bytewise

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.prefix = f'"{self.datastore.schema}".'
            self.sql_create_statements.extend(SQL(s).format() for s in self.summary_ddl())

    return PostgresSummaryRecorder
